// Evidence links (issue 19) in headless Chromium against the real server, with a panel's
// contexts open at once: the candidate draws and types in the live round; the interviewer,
// in the same round, presses "Mark now" against a competency on the scorecard form and
// submits; the candidate keeps drawing afterwards. The host's debrief page shows the cited
// moment as a link; following it opens the replay at that moment, and the board and code it
// shows are what GET .../state?at=<that ms> answers (not the later board). The HTML report
// links the moment and embeds the board as it was then; a click on that link in the debrief
// page's report frame opens the replay at the moment too. The candidate's context (every
// WebSocket frame and every HTTP response it got) never carried the scorecard, the moment or
// the interviewer's notes. Screenshots: test-output/e2e/evidence-*.png.
//
// Run: (cd client-web && npm run build) && MOCKLOOP_BIN=../../build/server/app/mockloop node --test evidence.e2e.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBinary } from '@bufbuild/protobuf';
import { ServerMessageSchema } from './gen/session_pb.js';
import { boardDrag as drag, boardSticky as sticky, recordFrames, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 900 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const SUMMARY = 'SCORECARD-SUMMARY-e19a cached before requirements';
const EVIDENCE = 'EVIDENCE-e19b drew the cache first';
const NOTE = 'PRIVATE-NOTE-e19c ask about eviction';

async function api(method, path, token, body, accept = 'application/json') {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { Accept: accept, ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text && accept === 'application/json' ? JSON.parse(text) : {}, text };
}

/** The protobuf varint of a non-negative integer (how an int64 moment travels in a frame). */
function varint(n) {
  let v = BigInt(n);
  const out = [];
  while (v > 127n) { out.push(Number((v & 127n) | 128n)); v >>= 7n; }
  out.push(Number(v));
  return Buffer.from(out);
}

// What a replay page draws: each shape's id and type, and the texts on the board.
const drawn = (page) => page.$$eval('[data-testid="board-shapes"] g[data-shape-id]', (gs) => gs.map((g) => ({ id: g.getAttribute('data-shape-id'), type: g.getAttribute('data-shape-type') })).sort((a, b) => a.id.localeCompare(b.id)));
const expected = (state) => Object.entries(state.board.shapes ?? {}).map(([id, s]) => ({ id, type: s.type })).sort((a, b) => a.id.localeCompare(b.id));
const shownAt = (page) => page.$eval(T('replay'), (el) => Number(el.querySelector('main')?.dataset.shownAt ?? 0));

test('Mark now cites a moment: debrief link, replay at that moment, report; the candidate gets none of it', async (t) => {
  const created = await api('POST', '/api/loops', '', {
    templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana',
    participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER', roundIndexes: [0] }],
  });
  assert.equal(created.status, 201, created.text);
  const tok = Object.fromEntries(created.json.invites.map((i) => [i.role, i.token]));
  const loopId = created.json.loop.id;
  const contexts = [];
  t.after(() => Promise.all(contexts.map((c) => c.close())));
  const open = async (token) => {
    const ctx = await b.browser.newContext({ viewport: VIEW });
    contexts.push(ctx);
    const page = await ctx.newPage();
    return { ctx, page };
  };

  // The candidate: every frame and every HTTP response recorded from the first request on.
  const cand = await open(tok.ROLE_CANDIDATE);
  const candFrames = recordFrames(cand.page);
  const candBodies = [];
  cand.page.on('response', (r) => {
    candBodies.push(r.body().then((x) => ({ url: r.url(), body: x }), () => ({ url: r.url(), body: Buffer.alloc(0) })));
  });
  await cand.page.goto(`${server.base}/join?token=${tok.ROLE_CANDIDATE}`);
  await cand.page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await cand.page.click(T('view-split'));

  const ivo = await open(tok.ROLE_INTERVIEWER);
  await ivo.page.goto(`${server.base}/join?token=${tok.ROLE_INTERVIEWER}`);
  await ivo.page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await ivo.page.waitForSelector(T('rubric-form'));
  await ivo.page.click(T('view-split'));

  // The candidate draws a box and a sticky and writes code; the interviewer sees them.
  await drag(cand.page, 'rect', [60, 60], [200, 140]);
  await sticky(cand.page, [320, 100], 'cache first');
  await cand.page.click('.cm-content');
  await cand.page.keyboard.type('def get(key):\n    return cache[key]');
  await ivo.page.waitForFunction(() => document.querySelector('.cm-content')?.textContent.includes('cache[key]'), null, { timeout: 5000 });
  await ivo.page.waitForFunction(() => [...document.querySelectorAll('[data-shape-type="sticky"] text')].some((x) => x.textContent === 'cache first'), null, { timeout: 5000 });
  await ivo.page.click(T('my-notes-content'));
  await ivo.page.keyboard.type(NOTE);
  await sleep(400);

  // "Mark now" against a competency: a chip linking the replay at the server's present.
  const cid = await ivo.page.$eval('[data-testid^="competency-"]', (el) => el.dataset.testid.slice('competency-'.length));
  await ivo.page.click(T(`moments-${cid}-mark`));
  const chip = await ivo.page.waitForSelector(`${T(`moments-${cid}`)} a`);
  const moment = Number(new URL(await chip.getAttribute('href'), server.base).searchParams.get('at'));
  assert.ok(Math.abs(moment - Date.now()) < 5000, `the mark is the present: ${moment}`);
  await sleep(400);

  // After the mark the candidate goes on: a second box and more code.
  await drag(cand.page, 'rect', [60, 260], [200, 340]);
  await sticky(cand.page, [320, 300], 'added later');
  await cand.page.click('.cm-content');
  await cand.page.keyboard.press('Control+End');
  await cand.page.keyboard.type('\n# LATER-CODE');
  await ivo.page.waitForFunction(() => document.querySelector('.cm-content')?.textContent.includes('LATER-CODE'), null, { timeout: 5000 });

  // The interviewer rates, writes evidence and submits.
  const ratings = await ivo.page.$$eval('fieldset[data-testid^="rating-"]', (fs) => fs.map((f) => f.dataset.testid));
  for (const r of ratings) await ivo.page.check(`[data-testid="${r}-3"]`);
  await ivo.page.fill(`${T(`competency-${cid}`)} textarea`, EVIDENCE);
  await ivo.page.check(T('overall-3'));
  await ivo.page.fill(T('scorecard-summary'), SUMMARY);
  await ivo.page.locator(T(`competency-${cid}`)).scrollIntoViewIfNeeded();
  await shot(ivo.page, 'evidence-01-mark-now');
  await ivo.page.click(T('scorecard-submit'));
  await ivo.page.waitForSelector(`${T('scorecard-status')}[data-state="submitted"]`, { timeout: 5000 });
  const stored = (await api('GET', `/api/loops/${loopId}/rounds/0/scorecard`, tok.ROLE_INTERVIEWER)).json;
  const mine = JSON.stringify(stored);
  assert.ok(mine.includes(String(moment)), `the stored scorecard cites the moment: ${mine.slice(0, 300)}`);

  // The host's debrief: the moment is a link to the replay at that moment.
  const host = await open(tok.ROLE_HOST);
  await host.page.goto(`${server.base}/debrief/${loopId}?token=${tok.ROLE_HOST}`);
  const link = await host.page.waitForSelector(`${T('debrief-round-0')} ${T('debrief-moments')} a.moment-link`, { timeout: 10_000 });
  const href = new URL(await link.getAttribute('href'), server.base);
  assert.equal(href.pathname, `/replay/${loopId}/0`);
  assert.equal(Number(href.searchParams.get('at')), moment);
  await shot(host.page, 'evidence-02-debrief');

  // Following it opens the replay at that moment, showing what the state API rebuilt then.
  const [replay] = await Promise.all([host.ctx.waitForEvent('page'), link.click()]);
  await replay.waitForFunction(() => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) > 0, null, { timeout: 15_000 });
  assert.equal(await shownAt(replay), moment, 'the replay shows the cited moment');
  const then = (await api('GET', `/api/v1/loops/${loopId}/rounds/0/state?at=${moment}`, tok.ROLE_HOST)).json;
  const thenShapes = expected(then);
  assert.deepEqual(thenShapes.map((s) => s.type).sort(), ['rect', 'sticky'], 'the board at the mark: one box, one sticky');
  await replay.waitForFunction((n) => document.querySelectorAll('[data-testid="board-shapes"] g[data-shape-id]').length === n, thenShapes.length, { timeout: 5000 });
  assert.deepEqual(await drawn(replay), thenShapes, 'the replay draws the board of that moment');
  const code = await replay.$eval(T('code-content'), (el) => el.textContent);
  assert.equal(code.replace(/\s+/g, ''), then.code.text.replace(/\s+/g, ''));
  assert.ok(then.code.text.includes('cache[key]') && !then.code.text.includes('LATER-CODE'), then.code.text);
  assert.ok(!(await replay.textContent(T('replay-board'))).includes('added later'), 'not the later board');
  await shot(replay, 'evidence-03-replay-at-moment');

  // The HTML report: the link, and the board as it was at the moment, embedded.
  await host.page.click(T('debrief-html'));
  const frame = await host.page.waitForSelector(T('debrief-report-frame'));
  const html = await api('GET', `/api/loops/${loopId}/debrief`, tok.ROLE_HOST, undefined, 'text/html').then((r) => r.text);
  assert.ok(html.includes(`href="/replay/${loopId}/0?at=${moment}"`), 'the report links the moment');
  assert.ok((await frame.getAttribute('srcdoc')).includes(`/replay/${loopId}/0?at=${moment}&amp;token=`), 'the page\'s copy links it with the reader\'s token');
  const fig = new RegExp(`<figure class="board" data-moment="${moment}">([\\s\\S]*?)</figure>`).exec(html);
  assert.ok(fig, 'the report embeds the board at the moment');
  assert.match(fig[1], /<svg[\s\S]*cache first/, 'the embedded board has the sticky drawn before the mark');
  assert.ok(!fig[1].includes('added later'), 'and not the one drawn after it');
  assert.ok(html.includes('added later'), 'the final board (elsewhere in the report) has it');
  const report = await frame.contentFrame();
  await report.locator(`figure[data-moment="${moment}"]`).scrollIntoViewIfNeeded();
  await shot(host.page, 'evidence-04-report');
  // A click on the report's cited moment (in the debrief page's sandboxed frame) opens the
  // replay at that moment in a new tab, as the reader (before: the frame became an error page).
  const [fromReport] = await Promise.all([host.ctx.waitForEvent('page'), report.click(`a.moment[href*="at=${moment}"]`)]);
  await fromReport.waitForFunction(() => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) > 0, null, { timeout: 15_000 });
  assert.equal(await shownAt(fromReport), moment);
  assert.deepEqual(await drawn(fromReport), thenShapes);
  assert.doesNotMatch(fromReport.url(), /token=/, 'the token leaves the address bar');
  assert.equal(await (await frame.contentFrame()).$$eval(`figure[data-moment="${moment}"]`, (f) => f.length), 1, 'the report stays in its frame');

  // The candidate's context never got the scorecard, the moment or the notes.
  await sleep(500);
  const bodies = await Promise.all(candBodies);
  assert.ok(bodies.some((x) => x.url.includes('/api/')), 'the candidate made API calls');
  assert.ok(candFrames.some((f) => f.url.includes('/session')) && candFrames.some((f) => f.url.includes('/yjs/')));
  const secrets = [SUMMARY, EVIDENCE, NOTE, 'PRIVATE-NOTE-e19c', 'EVIDENCE-e19b', 'SCORECARD-SUMMARY-e19a', 'momentsMs', 'moments_ms'].map((s) => Buffer.from(s));
  // The app's own scripts spell the field names; the answers and frames must not carry them.
  const answers = bodies.filter((x) => !/\.(js|css|woff2?|svg|png|ico)(\?|$)/.test(new URL(x.url).pathname));
  for (const x of answers) for (const s of secrets) assert.ok(!x.body.includes(s), `the candidate received ${s} from ${x.url}`);
  const candBytes = Buffer.concat([...candFrames.map((f) => f.data), ...answers.map((x) => x.body)]);
  for (const s of secrets) assert.ok(!candBytes.includes(s), `the candidate received ${s}`);
  assert.ok(!candBytes.includes(Buffer.from(String(moment))), 'the candidate received the moment (as text)');
  for (const f of candFrames) if (f.dir === 'in') assert.ok(!f.data.includes(varint(moment)), `a frame on ${f.url} carries the moment`);
  assert.ok(!candFrames.some((f) => f.url.includes('-notes-') || f.url.includes('-private')), 'the candidate opened no notes or private doc');
  for (const f of candFrames) {
    if (f.dir !== 'in' || !f.url.includes('/session')) continue;
    const m = fromBinary(ServerMessageSchema, new Uint8Array(f.data));
    assert.notEqual(m.body.case, 'scorecard', 'the candidate got a scorecard message');
    if (m.body.case === 'snapshot') assert.equal(m.body.value.myScorecard, undefined);
  }
  await shot(cand.page, 'evidence-05-candidate');
});
