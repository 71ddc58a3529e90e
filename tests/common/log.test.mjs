// Log forging against the real process: a document name is percent-decoded from the request
// path, so "%0A" puts a newline into a logged field. Text logs must keep every event on one
// line (escaped), JSON logs must stay one valid JSON object per line.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { openWs, startServer } from '../support/server.mjs';

const FORGED = '2026-01-01T00:00:00.000Z ERROR auth: forged';
const docPath = `/yjs/a%0A${encodeURIComponent(FORGED)}%0D%09%1B%5B31m%FF%C3%E2%80%A8end`;

async function logOf(args) {
  const s = await startServer(args);
  try {
    const c = openWs(`${s.ws}${docPath}`);  // no token: refused, and the refusal logged with the doc name
    c.opened.catch(() => {});
    await Promise.race([c.closed, new Promise((r) => setTimeout(r, 3000))]);
    c.ws.terminate();
  } finally {
    await s.stop();
  }
  return s.output().err;
}

test('text logs escape control characters and invalid UTF-8 in a doc name', async () => {
  const err = await logOf([]);
  const lines = err.split('\n').filter((l) => l.length > 0);
  assert.ok(!lines.some((l) => l.startsWith('2026-01-01T00:00:00.000Z')), `a forged line was logged:\n${err}`);
  const refused = lines.find((l) => l.includes(' yjs: refused '));
  assert.ok(refused, err);
  assert.ok(refused.includes(`doc="a\\n${FORGED}\\r\\t\\x1b[31m\\xff\\xc3\\u2028end"`), refused);
  for (const l of lines) assert.doesNotMatch(l, /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u2028\u2029]/, l);
});

test('JSON logs are one valid JSON object per line for any doc name', async () => {
  const err = await logOf(['--log-json']);
  const lines = err.split('\n').filter((l) => l.length > 0);
  const events = lines.map((l) => JSON.parse(l));
  const refused = events.find((e) => e.component === 'yjs' && e.msg === 'refused');
  assert.ok(refused, err);
  assert.equal(refused.doc, `a\n${FORGED}\r\t\x1b[31m\ufffd\ufffd\u2028end`);
});
