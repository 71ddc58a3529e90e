// The fast side of backpressure.test.mjs, in its own thread so that its CPU (20,000 Yjs
// edits and their echo to an observer) does not delay the victim's round trips measured
// on the main thread. workerData: { ws, doc, updates }. Posts 'ready', then on 'go' sends
// every update as fast as it can and posts { close, length, first, last } once the
// observer has them all.
import { parentPort, workerData } from 'node:worker_threads';

import { rawClient, waitFor } from './lib.mjs';

const { ws, doc, updates } = workerData;
const observer = rawClient(`${ws}/yjs/${doc}`);
const fast = rawClient(`${ws}/yjs/${doc}`);
await observer.opened;
await fast.opened;
await waitFor(() => observer.syncedStep2 && fast.syncedStep2, 'synced');
parentPort.postMessage('ready');
parentPort.once('message', async () => {
  for (let i = 0; i < updates; i++) fast.edit((d) => d.getArray('a').push([i]));
  await waitFor(() => observer.doc.getArray('a').length >= updates || fast.close, 'every update arrived', 60000, 50).catch((e) => { throw new Error(`${e.message}: ${observer.doc.getArray('a').length} of ${updates} arrived`); });
  const arr = observer.doc.getArray('a');
  parentPort.postMessage({ close: fast.close, open: fast.ws.readyState === fast.ws.OPEN, length: arr.length, first: arr.get(0), last: arr.get(arr.length - 1) });
  fast.ws.close();
  observer.ws.close();
});
