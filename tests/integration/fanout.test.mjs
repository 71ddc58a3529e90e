// Broadcasts to many connections of one document: with io_uring (one system call for the
// receivers of a moment, the default where the kernel allows it) and with --no-io-uring
// (one write per receiver), every receiver ends with every update, including one that
// stopped reading for a while (its writes come back short or refused and wait for the
// socket while the others keep receiving).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { waitFor, rawClient } from './lib.mjs';

async function metric(server, name) {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = text.match(new RegExp(`^${name} (\\d+)`, 'm'));
  return m ? Number(m[1]) : null;
}

for (const mode of ['io_uring', 'one by one']) {
  test(`a broadcast reaches every receiver, a stalled one included (${mode})`, async (t) => {
    const server = await startServer(['--allow-anonymous-docs', '--updates-per-second', '100000', '--update-burst', '100000',
      ...(mode === 'one by one' ? ['--no-io-uring'] : [])]);
    t.after(() => server.stop());
    const url = `${server.ws}/yjs/fan`;
    const clients = [];
    for (let i = 0; i < 8; i++) clients.push(rawClient(url));
    t.after(() => { for (const c of clients) c.ws.terminate(); });
    for (const c of clients) { await c.opened; await waitFor(() => c.syncedStep2, 'synced'); }
    const [w1, w2, stalled, ...readers] = clients;
    stalled.ws._socket.pause();
    const chunk = 'y'.repeat(64 * 1024);  // 200 of them overflow the kernel's buffers
    const per = 200;
    for (let i = 0; i < per; i++) {
      w1.edit((d) => d.getArray('a').push([`w1:${i}:${chunk}`]));
      w2.edit((d) => d.getArray('a').push([`w2:${i}`]));
      // Paced by a reading client, so only the stalled one falls behind.
      if (i % 10 === 9) await waitFor(() => readers[0].doc.getArray('a').length === 2 * (i + 1), `reader at ${i}`, 10000, 2);
    }
    // Lengths while waiting (cheap), whole contents once.
    const all = (c) => c.doc.getArray('a').length === 2 * per;
    await waitFor(() => all(w1) && all(w2), 'writers have each other\'s updates', 20000)
      .catch((e) => { throw new Error(`${e.message}: lengths w1 ${w1.doc.getArray('a').length} w2 ${w2.doc.getArray('a').length}`); });
    const want = JSON.stringify(w1.doc.getArray('a').toJSON());
    assert.equal(JSON.stringify(w2.doc.getArray('a').toJSON()), want);
    for (const r of readers) {
      await waitFor(() => all(r), 'reader got everything', 20000);
      assert.equal(JSON.stringify(r.doc.getArray('a').toJSON()), want);
    }
    assert.equal(stalled.close, null, 'the stalled client is still connected');
    assert.ok(stalled.doc.getArray('a').length < 2 * per, 'the stalled client really fell behind');
    stalled.ws._socket.resume();
    await waitFor(() => all(stalled), 'stalled client caught up', 20000);
    assert.equal(JSON.stringify(stalled.doc.getArray('a').toJSON()), want);
    assert.equal(stalled.close, null);

    const short = await metric(server, 'mockloop_ws_short_writes_total');
    t.diagnostic(`writes that found the socket full: ${short}`);
    assert.ok(short > 0, 'the stalled socket filled up');
    const batched = await metric(server, 'mockloop_ws_batched_writes_total');
    const log = server.output().out + server.output().err;
    t.diagnostic(`batched writes: ${batched}`);
    if (mode === 'one by one') {
      assert.equal(batched, 0);
    } else if (/io_uring unavailable/.test(log)) {
      t.diagnostic('io_uring is unavailable on this machine: the server wrote one by one');
      assert.equal(batched, 0);
    } else {
      assert.ok(batched >= per, `broadcasts went through io_uring (${batched} writes)`);
    }
  });
}
