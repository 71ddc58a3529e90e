// Shared by the account tests that fill a loop with every kind of row and then look for
// it in the SQLite file (home.test.mjs: the host's account; admin_loop.test.mjs: the
// operator's command line).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';

import { WebSocket, rawClient, sleep, waitFor } from '../integration/lib.mjs';

export const CHEAP = ['--pwhash-ops', '1', '--pwhash-mem-mib', '8'];
export const PW = 'correct horse battery';

export class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.csrf = ''; }
  async req(method, p, body, { csrf = true, token = null } = {}) {
    const h = { accept: 'application/json' };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (token) h.authorization = `Bearer ${token}`;
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.srv.url}${p}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const v = /mockloop_session=([^;]*)/.exec(setCookie)?.[1] ?? '';
      this.cookie = v ? `mockloop_session=${v}` : '';
    }
    const text = await res.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
    if (json.csrfToken) this.csrf = json.csrfToken;
    return { status: res.status, body: json, headers: res.headers, text };
  }
}

export const anon = (srv, method, p, token, body) => new Client(srv).req(method, p, body, { token });

export function sql(db, query) {
  return execFileSync('sqlite3', ['-readonly', db, query], { encoding: 'utf8' }).trim();
}

// Every (table, column) whose value mentions `needle` (text or blob bytes).
export function mentions(db, needle) {
  const tables = sql(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").split('\n').filter(Boolean);
  const hex = Buffer.from(needle).toString('hex');
  const found = [];
  for (const t of tables) {
    const cols = sql(db, `SELECT name FROM pragma_table_info('${t}')`).split('\n').filter(Boolean);
    for (const c of cols) {
      const n = Number(sql(db, `SELECT COUNT(*) FROM "${t}" WHERE instr(CAST("${c}" AS BLOB), X'${hex}') > 0`));
      if (n > 0) found.push(`${t}.${c}: ${n}`);
    }
  }
  return found;
}

export async function makeLoop(host, candidateName) {
  const made = await host.req('POST', '/api/loops', {
    templateId: 'single-coding', candidateName, participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER' }],
  });
  assert.equal(made.status, 201, made.text);
  const inv = (role) => made.body.invites.find((i) => i.role === role);
  return { loop: made.body.loop, host: inv('ROLE_HOST'), cand: inv('ROLE_CANDIDATE'), ivo: inv('ROLE_INTERVIEWER') };
}

// Fills every kind of row a loop can have: documents (board, notes, written draft) with
// history, round events (a session's presence and a timer), a submitted scorecard, a
// written assignment with a question.
export async function useLoop(srv, host, l) {
  const room = l.loop.rounds[0].roomId;
  const session = new WebSocket(`${srv.ws}/session?token=${l.host.token}`);
  session.on('error', () => {});
  await new Promise((r) => session.once('open', r));
  const docs = [
    rawClient(`${srv.ws}/yjs/room-${room}?token=${l.cand.token}`),
    rawClient(`${srv.ws}/yjs/room-${room}-notes-${l.ivo.participantId}?token=${l.ivo.token}`),
  ];
  await Promise.all(docs.map((d) => d.opened));
  await waitFor(() => docs.every((d) => d.syncedStep2), 'docs synced');
  docs[0].edit((d) => d.getText('code').insert(0, `print("${l.loop.id}")\n`));
  docs[1].edit((d) => d.getText('notes').insert(0, 'strong start\n'));
  const base = `/api/loops/${l.loop.id}/rounds/0`;
  const save = await anon(srv, 'PUT', `${base}/scorecard`, l.ivo.token, { overall: 'RATING_HIRE', summary: 'solid' });
  assert.equal(save.status, 200, save.text);
  assert.equal((await anon(srv, 'POST', `${base}/scorecard/submit`, l.ivo.token)).status, 200);
  const written = await anon(srv, 'POST', `/api/loops/${l.loop.id}/written`, l.host.token, { kind: 'WRITTEN_KIND_SIX_PAGER', title: 'Caching', prompt: 'Write about caches', dueAtMs: Date.now() + 7 * 86400000 });
  assert.equal(written.status, 201, written.text);
  const ask = await anon(srv, 'POST', `/api/loops/${l.loop.id}/written/${written.body.id}/questions`, l.cand.token, { text: 'How long?' });
  assert.equal(ask.status, 201, ask.text);
  const draft = rawClient(`${srv.ws}/yjs/written-${written.body.id}?token=${l.cand.token}`);
  await draft.opened;
  await waitFor(() => draft.syncedStep2, 'draft synced');
  draft.edit((d) => d.getText('text').insert(0, '# Caches\n'));
  await sleep(300);
  for (const d of [...docs, draft]) d.ws.close();
  session.close();
  await sleep(200);
  return { room, assignment: written.body.id };
}
