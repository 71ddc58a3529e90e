// Crash safety: clients write continuously while the server is killed with SIGKILL at random
// moments and restarted on the same database. The server broadcasts an update only after it
// is committed, so every update any client received from it (broadcasts and step-2 state)
// must be in the document afterwards.
//
// Writers start every session with a fresh Y.Doc (a new client id) and sync from the server
// before writing, so nothing a server lost can be re-sent by a client and mask the loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tempDir } from '../support/server.mjs';
import { Y, waitFor, sleep, rawClient, fetchDoc } from './lib.mjs';

const ROUNDS = Number(process.env.CRASH_ROUNDS || 6);
const WRITERS = 4;
const DOC = 'crash-doc';
const FLAGS = ['--allow-anonymous-docs', '--updates-per-second', '100000', '--update-burst', '100000',
  '--compact-after', '40'];

// Every (client, clock range) of the structs in an update.
function structRanges(update) {
  const { structs } = Y.decodeUpdate(update);
  return structs.filter((s) => !(s instanceof Y.Skip)).map((s) => ({ client: s.id.client, clock: s.id.clock, len: s.length }));
}

test('no update a client received is lost across repeated SIGKILLs', async (t) => {
  const dir = tempDir();
  let port = 0;
  const received = [];           // every sync payload any client got from the server
  const tokensSeen = new Set();  // text tokens a client saw in a received update
  let seq = 0;
  let kills = 0;
  let server = null;
  t.after(() => server?.stop('SIGKILL'));

  for (let round = 0; round < ROUNDS; round++) {
    // Same port as before when possible (providers would reconnect there); a new one otherwise.
    try {
      server = await startServer(FLAGS, { dir, port });
    } catch {
      server = await startServer(FLAGS, { dir });
    }
    port = server.port;
    const clients = [];
    for (let w = 0; w <= WRITERS; w++) clients.push(rawClient(`${server.ws}/yjs/${DOC}`));
    await Promise.all(clients.map((c) => c.opened));
    await waitFor(() => clients.every((c) => c.syncedStep2), 'clients synced');
    const writers = clients.slice(1);   // clients[0] only reads
    let running = true;
    const loops = writers.map(async (c, w) => {
      while (running && c.close === null && c.ws.readyState === c.ws.OPEN) {
        const token = `<r${round}w${w}s${seq++}>`;
        c.edit((doc) => {
          const text = doc.getText('t');
          text.insert(text.length, token);
          doc.getMap('m').set(token, round);
        });
        await sleep(1 + Math.floor(Math.random() * 4));
      }
    });
    // Kill at a random moment: mid-stream, with batches in flight and compactions running.
    await sleep(250 + Math.floor(Math.random() * 900));
    server.proc.kill('SIGKILL');
    await server.exited;
    kills++;
    running = false;
    await Promise.all(loops);
    await Promise.all(clients.map((c) => c.closed));
    for (const c of clients) received.push(...c.received);
  }

  // Collect the tokens inside what was received, by applying it all to one doc.
  const seen = new Y.Doc();
  for (const u of received) Y.applyUpdate(seen, u);
  for (const m of seen.getText('t').toString().matchAll(/<[^>]+>/g)) tokensSeen.add(m[0]);
  for (const k of seen.getMap('m').keys()) tokensSeen.add(k);

  server = await startServer(FLAGS, { dir });
  const final = await fetchDoc(server.ws, DOC);
  const sv = Y.decodeStateVector(Y.encodeStateVector(final));
  let missing = 0;
  let structs = 0;
  for (const u of received) {
    for (const r of structRanges(u)) {
      structs++;
      if ((sv.get(r.client) ?? 0) < r.clock + r.len) missing++;
    }
  }
  const finalText = final.getText('t').toString();
  const lostTokens = [...tokensSeen].filter((tok) => !finalText.includes(tok) || !final.getMap('m').has(tok));
  t.diagnostic(`${kills} kills, ${received.length} received payloads, ${structs} structs, ` +
    `${tokensSeen.size} tokens seen, ${seq} written, ${final.getMap('m').size} in the final doc`);
  assert.ok(kills === ROUNDS);
  assert.ok(tokensSeen.size > 50, 'clients received a meaningful number of updates');
  assert.equal(missing, 0, `${missing} received structs are missing from the final state`);
  assert.deepEqual(lostTokens.slice(0, 10), [], `${lostTokens.length} received insertions lost`);
  // The document is consistent: the text holds exactly the map's tokens.
  assert.equal((finalText.match(/<[^>]+>/g) || []).length, final.getMap('m').size);
});
