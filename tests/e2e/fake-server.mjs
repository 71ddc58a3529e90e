// A stand-in for the MockLoop server, for developing and checking the web client while the
// real server (issue 4/5) is being built. It speaks the same contract (docs/api.md, proto/,
// y-websocket at /yjs/<doc>) with the least logic that lets every page work: one L6 template,
// in-memory loops, a server-side phase timer, scorecards and a naive debrief. It is NOT the
// product and proves nothing about the server; room.e2e.mjs runs against the real binary
// unless MOCKLOOP_E2E_FAKE=1.
//
// Usage: node fake-server.mjs --listen 127.0.0.1:PORT --static-dir ../../client-web/dist

import http from 'node:http';
import { readFileSync, existsSync, statSync } from 'node:fs';
import { extname, join, resolve, normalize } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';
import { setupWSConnection } from '@y/websocket-server/utils';
import { create, fromBinary, toBinary, toJson, fromJson } from '@bufbuild/protobuf';
import * as C from './gen/content_pb.js';
import * as L from './gen/loop_pb.js';
import * as S from './gen/session_pb.js';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (v.startsWith('--') ? [...a, [v.slice(2), all[i + 1]]] : a), []));
const [host, port] = (args.listen ?? '127.0.0.1:0').split(':');
const staticDir = resolve(args['static-dir'] ?? '../../client-web/dist');

// ---- content ----
const anchors = (c) => ({ strongNoHire: `${c}: missing or wrong`, noHire: `${c}: partial, needed prompting`, hire: `${c}: solid at L6 scale`, strongHire: `${c}: exceptional, drove the discussion` });
const rubricSD = create(C.RubricSchema, {
  id: 'system-design', roundKind: C.RoundKind.SYSTEM_DESIGN, title: 'System design rubric',
  overallGuidance: 'Judge at the level scale (L6 ~10M users).',
  competencies: ['Requirements', 'High-level design', 'Deep dive', 'Scale and operations', 'Trade-offs'].map((n, i) => ({ id: `sd-${i}`, name: n, anchors: anchors(n) })),
});
const rubricGeneric = create(C.RubricSchema, { id: 'generic', title: 'Rubric', competencies: [{ id: 'g-0', name: 'Overall signal', anchors: anchors('Signal') }] });
const plans = {
  [C.RoundKind.SYSTEM_DESIGN]: [['Requirements', 8, 10, 9], ['High-level design', 10, 12, 11], ['Detailed design', 15, 20, 18], ['Scale and operations', 12, 15, 14], ['Trade-offs and evolution', 5, 8, 8]],
  [C.RoundKind.CODING]: [['Understand the problem', 5, 7, 6], ['Design', 3, 5, 4], ['Implement', 25, 30, 28], ['Test and optimise', 5, 7, 7]],
};
const planFor = (kind) => create(C.PhasePlanSchema, { roundKind: kind, phases: (plans[kind] ?? [['Questions', 30, 40, 35], ['Wrap-up', 5, 10, 10]]).map(([title, mi, ma, p], i) => ({ id: `p${i}`, title, minMinutes: mi, maxMinutes: ma, plannedMinutes: p, guidance: `Guidance for ${title}` })) });
const questions = [
  create(C.QuestionSchema, { id: 'sd-cdn', roundKind: C.RoundKind.SYSTEM_DESIGN, title: 'Global content delivery', prompt: 'Design a content delivery platform for 1B users.', hints: ['HINT-SECRET: ask about cache hierarchy'], followUps: ['How do you invalidate?'], interviewerNotes: 'Good answers cover edge PoPs.', lpIds: ['dive-deep'] }),
  create(C.QuestionSchema, { id: 'sd-fraud', roundKind: C.RoundKind.SYSTEM_DESIGN, title: 'Real-time fraud detection', prompt: 'Detect fraud in 100M transactions a day.', hints: ['HINT-SECRET: latency budget'], followUps: [] }),
];
const K = C.RoundKind;
const template = create(C.TemplateSchema, {
  id: 'l6-loop', name: 'L6 loop', description: 'Engineering manager loop', level: C.Level.L6, breakMinutes: 15, decisionRule: C.DecisionRule.MIN_HIRE_ROUNDS, minHireRounds: 4,
  rounds: [['phone', 'Phone screen', K.PHONE_SCREEN, 45], ['coding-1', 'Coding 1', K.CODING, 45], ['coding-2', 'Coding 2', K.CODING, 45], ['system-design', 'System design', K.SYSTEM_DESIGN, 60], ['behavioral-1', 'Behavioral 1', K.BEHAVIORAL, 45], ['behavioral-2', 'Behavioral 2', K.BEHAVIORAL, 45], ['bar-raiser', 'Bar Raiser', K.BAR_RAISER, 60]]
    .map(([id, title, kind, d], i) => ({ id, title, kind, durationMinutes: d, onsite: i > 0, barRaiser: id === 'bar-raiser' })),
});

// ---- state ----
const loops = new Map(); // id -> { loop, tokens: Map(token -> participant), timers: Map(roundIndex -> timer), scorecards: [] , selected: Map }
const tokens = new Map(); // token -> { loopId, participant } | { study: id }
const rooms = new Map(); // roomId -> Set(conn)
const sessions = new Set(); // { ws, token }
const tok = () => randomBytes(32).toString('base64url');
const rid = () => randomBytes(6).toString('hex');

function send(res, status, body, type = 'application/json') {
  res.writeHead(status, { 'Content-Type': type });
  res.end(typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body));
}
const err = (res, status, code, message) => send(res, status, { error: { code, message } });
const staff = (role) => role === L.Role.HOST || role === L.Role.INTERVIEWER || role === L.Role.BAR_RAISER;

function authOf(req, url) {
  const h = req.headers.authorization ?? '';
  const t = h.startsWith('Bearer ') ? h.slice(7) : url.searchParams.get('token');
  return t ? tokens.get(t) : undefined;
}

function timerOf(L0, ri) {
  let t = L0.timers.get(ri);
  if (!t) L0.timers.set(ri, (t = { phaseIndex: 0, status: L.TimerStatus.IDLE, endsAt: 0, remaining: 0, duration: 0, autoAdvance: true, revision: 0 }));
  return t;
}
function timerMsg(L0, ri) {
  const t = timerOf(L0, ri);
  const plan = planFor(L0.loop.rounds[ri].kind);
  const planned = (plan.phases[t.phaseIndex]?.plannedMinutes ?? 0) * 60000;
  const now = Date.now();
  const dur = t.duration || planned;
  const remaining = t.status === L.TimerStatus.RUNNING ? t.endsAt - now : t.status === L.TimerStatus.IDLE ? dur : t.remaining;
  return create(L.TimerStateSchema, { roundIndex: ri, phaseIndex: t.phaseIndex, status: t.status, phaseEndsAtMs: BigInt(Math.round(t.endsAt)), remainingMs: BigInt(Math.round(remaining)), phaseDurationMs: BigInt(dur), autoAdvance: t.autoAdvance, overtime: remaining < 0, serverNowMs: BigInt(now), revision: BigInt(t.revision) });
}
function applyTimer(L0, ri, cmd) {
  const t = timerOf(L0, ri);
  const plan = planFor(L0.loop.rounds[ri].kind);
  const planned = (i) => (plan.phases[i]?.plannedMinutes ?? 0) * 60000;
  const now = Date.now();
  const A = S.TimerAction;
  const startPhase = (i) => { t.phaseIndex = i; t.duration = planned(i); t.endsAt = now + t.duration; t.status = L.TimerStatus.RUNNING; };
  switch (cmd.action) {
    case A.START: startPhase(t.phaseIndex); break;
    case A.PAUSE: if (t.status === L.TimerStatus.RUNNING) { t.remaining = t.endsAt - now; t.status = L.TimerStatus.PAUSED; } break;
    case A.RESUME: if (t.status === L.TimerStatus.PAUSED) { t.endsAt = now + t.remaining; t.status = L.TimerStatus.RUNNING; } break;
    case A.NEXT: if (t.phaseIndex + 1 < plan.phases.length) startPhase(t.phaseIndex + 1); else t.status = L.TimerStatus.FINISHED; break;
    case A.PREVIOUS: startPhase(Math.max(0, t.phaseIndex - 1)); break;
    case A.EXTEND: { const ms = Number(cmd.extendSeconds) * 1000; t.duration += ms; if (t.status === L.TimerStatus.RUNNING) t.endsAt += ms; else t.remaining += ms; break; }
    case A.SET_AUTO_ADVANCE: t.autoAdvance = cmd.autoAdvance; break;
    case A.RESET: Object.assign(t, { phaseIndex: 0, status: L.TimerStatus.IDLE, endsAt: 0, remaining: 0, duration: 0 }); break;
  }
  t.revision++;
}

function latestScorecard(L0, ri, authorId) {
  return L0.scorecards.filter((s) => s.roundIndex === ri && s.authorId === authorId).at(-1);
}

function snapshot(L0, p, ri) {
  const round = L0.loop.rounds[ri];
  const st = staff(p.role);
  const sel = questions.find((q) => q.id === round.selectedQuestionId);
  const loopCopy = create(L.LoopSchema, { ...L0.loop, participants: st ? L0.loop.participants : [] });
  return create(S.StateSnapshotSchema, {
    loop: loopCopy, round, plan: st ? planFor(round.kind) : create(C.PhasePlanSchema, { ...planFor(round.kind), phases: planFor(round.kind).phases.map((ph) => ({ ...ph, guidance: '' })) }), timer: timerMsg(L0, ri), you: p, role: p.role,
    sharedDoc: `room-${round.roomId}`, privateDoc: st ? `room-${round.roomId}-private` : '',
    selectedPrompt: sel ? { id: sel.id, title: sel.title, prompt: sel.prompt } : undefined,
    selectedQuestion: st ? sel : undefined,
    questions: st ? questions.filter((q) => q.roundKind === round.kind) : [],
    rubric: st ? (round.kind === K.SYSTEM_DESIGN ? rubricSD : rubricGeneric) : undefined,
    myScorecard: st ? latestScorecard(L0, ri, p.id) : undefined,
    serverTimeMs: BigInt(Date.now()), canControlTimer: st, canEditSharedDoc: p.role !== L.Role.OBSERVER,
  });
}

function debrief(L0) {
  const rounds = L0.loop.rounds.map((r) => {
    const authors = [...new Set(L0.scorecards.filter((s) => s.roundIndex === r.index && s.status === L.ScorecardStatus.SUBMITTED).map((s) => s.authorId))];
    const cards = authors.map((a) => L0.scorecards.filter((s) => s.roundIndex === r.index && s.authorId === a && s.status === L.ScorecardStatus.SUBMITTED).at(-1));
    const overall = cards.map((c) => c.content?.overall ?? 0).filter(Boolean);
    const rec = overall.length ? Math.floor(overall.reduce((a, b) => a + b, 0) / overall.length) : 0;
    return { roundIndex: r.index, title: r.title, kind: r.kind, onsite: r.onsite, scorecards: cards, recommendation: rec, inclinedToHire: rec >= 3, weak: rec > 0 && rec < 3, complete: cards.length > 0 };
  });
  const hire = rounds.filter((r) => r.onsite && r.inclinedToHire).length;
  const vetoed = rounds.some((r) => r.scorecards.some((c) => c.content?.barRaiserVerdict === L.BarRaiserVerdict.VETO));
  return create(L.DebriefSchema, { loop: L0.loop, rounds, decision: { outcome: vetoed ? L.DecisionOutcome.NO_HIRE : L.DecisionOutcome.PENDING, barRaiserVetoed: vetoed, rule: 'At least 4 of 6 onsite rounds inclined to hire and Bar Raiser approval', onsiteRounds: 6, hireRounds: hire, reasons: ['fake server: naive decision'] }, generatedAtMs: BigInt(Date.now()) });
}

// ---- HTTP ----
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };
async function body(req) { let b = ''; for await (const c of req) b += c; return b ? JSON.parse(b) : {}; }

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  try {
    if (p === '/api/templates') return send(res, 200, toJson(L.ListTemplatesResponseSchema, create(L.ListTemplatesResponseSchema, { templates: [template] })));
    if (p === '/api/loops' && req.method === 'POST') {
      const rq = fromJson(L.CreateLoopRequestSchema, await body(req), { ignoreUnknownFields: true });
      if (rq.templateId !== template.id) return err(res, 404, 'not_found', 'unknown template');
      const id = rid();
      const mk = (displayName, role, roundIndexes = []) => create(L.ParticipantSchema, { id: rid(), displayName, role, roundIndexes });
      const parts = [mk(rq.hostName || 'Host', L.Role.HOST), ...rq.participants.map((x) => mk(x.displayName, x.role, x.roundIndexes)), mk(rq.candidateName, L.Role.CANDIDATE)];
      const loop = create(L.LoopSchema, { id, templateId: template.id, title: rq.title || template.name, candidateName: rq.candidateName, level: template.level, createdAtMs: BigInt(Date.now()), participants: parts, decisionRule: template.decisionRule, minHireRounds: 4, rounds: template.rounds.map((r, i) => ({ index: i, specId: r.id, title: r.title, kind: r.kind, durationMinutes: r.durationMinutes, onsite: r.onsite, barRaiser: r.barRaiser, roomId: rid(), breakMinutesAfter: 15 })) });
      const L0 = { loop, timers: new Map(), scorecards: [] };
      loops.set(id, L0);
      const invites = parts.map((pp) => { const t = tok(); const tokenId = rid(); tokens.set(t, { loopId: id, participant: pp, tokenId }); return { tokenId, participantId: pp.id, displayName: pp.displayName, role: pp.role, token: t, link: `/join?token=${t}` }; });
      return send(res, 201, toJson(L.CreateLoopResponseSchema, create(L.CreateLoopResponseSchema, { loop, invites })));
    }
    if (p === '/api/study-rooms' && req.method === 'POST') {
      const id = rid(), t = tok();
      tokens.set(t, { study: id });
      return send(res, 201, toJson(L.StudyRoomSchema, create(L.StudyRoomSchema, { id, title: 'Study room', docName: `study-${id}`, token: t, link: `/study/${id}?token=${t}` })));
    }
    let m;
    if ((m = /^\/api\/loops\/([^/]+)\/tokens\/([^/]+)\/revoke$/.exec(p)) && req.method === 'POST') {
      const a = authOf(req, url);
      if (!a || a.loopId !== m[1] || a.participant.role !== L.Role.HOST) return err(res, 403, 'forbidden', 'host only');
      for (const [t, v] of tokens) if (v.tokenId === m[2]) { tokens.delete(t); for (const c of sessions) if (c.token === t) c.ws.close(4401, 'invite revoked'); return send(res, 200, { tokenId: m[2], revoked: true }); }
      return err(res, 404, 'not_found', 'no such token');
    }
    if ((m = /^\/api\/loops\/([^/]+)\/debrief$/.exec(p))) {
      const a = authOf(req, url);
      if (!a || a.loopId !== m[1]) return err(res, 401, 'unauthenticated', 'bad token');
      if (a.participant.role !== L.Role.HOST && a.participant.role !== L.Role.BAR_RAISER) return err(res, 403, 'forbidden', 'only the host and the bar raiser');
      const d = debrief(loops.get(m[1]));
      if ((req.headers.accept ?? '').includes('text/html')) return send(res, 200, `<!doctype html><title>Debrief</title><h1>${d.loop.title}</h1>`, 'text/html');
      return send(res, 200, toJson(L.DebriefSchema, d));
    }
    if (p === '/api/loops' && req.method === 'GET') return authOf(req, url) ? send(res, 200, { loops: [] }) : err(res, 401, 'unauthenticated', 'missing, unknown or revoked token');
    if (p.startsWith('/api/')) return err(res, 404, 'not_found', 'no such route');
    // static + SPA fallback
    const file = normalize(join(staticDir, p));
    if (file.startsWith(staticDir) && existsSync(file) && statSync(file).isFile()) return send(res, 200, readFileSync(file), MIME[extname(file)] ?? 'application/octet-stream');
    return send(res, 200, readFileSync(join(staticDir, 'index.html')), 'text/html');
  } catch (e) {
    return err(res, 400, 'invalid_argument', String(e.message ?? e));
  }
});

// ---- WebSockets ----
const wss = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const url = new URL(req.url, 'http://x');
  wss.handleUpgrade(req, socket, head, (ws) => {
    const a = authOf(req, url);
    if (url.pathname.startsWith('/yjs/')) {
      const docName = decodeURIComponent(url.pathname.slice(5));
      if (docName.endsWith('-private') && (!a?.participant || !staff(a.participant.role))) return ws.close(4403, 'forbidden: interviewers only');
      return setupWSConnection(ws, req, { docName });
    }
    if (url.pathname === '/session') {
      if (!a?.participant) return ws.close(4401, 'invalid or revoked token');
      const entry = { ws, token: new URL(req.url, 'http://x').searchParams.get('token') };
      sessions.add(entry);
      ws.on('close', () => sessions.delete(entry));
      return session(ws, loops.get(a.loopId), a.participant);
    }
    ws.close(4404, 'not found');
  });
});

function session(ws, L0, p) {
  const st = staff(p.role);
  let ri = 0; // like the real server: the first round, until join_round
  const conn = { ws, p, get ri() { return ri; } };
  const join = () => { const roomId = L0.loop.rounds[ri].roomId; if (!rooms.has(roomId)) rooms.set(roomId, new Set()); rooms.get(roomId).add(conn); };
  const leave = () => rooms.get(L0.loop.rounds[ri].roomId)?.delete(conn);
  const out = (requestId, body) => ws.readyState === 1 && ws.send(toBinary(S.ServerMessageSchema, create(S.ServerMessageSchema, { requestId: BigInt(requestId), body })));
  const room = () => rooms.get(L0.loop.rounds[ri].roomId) ?? new Set();
  join();
  out(0, { case: 'snapshot', value: snapshot(L0, p, ri) });
  ws.on('close', leave);
  ws.on('message', (data) => {
    let m;
    try { m = fromBinary(S.ClientMessageSchema, new Uint8Array(data)); } catch { return out(0, { case: 'error', value: { code: 'invalid_argument', message: 'bad frame' } }); }
    const id = Number(m.requestId);
    const b = m.body;
    if (b.case === 'ping') return out(id, { case: 'pong', value: { clientTimeMs: b.value.clientTimeMs, serverTimeMs: BigInt(Date.now()) } });
    if (b.case === 'joinRound') { leave(); ri = Math.min(b.value.roundIndex, L0.loop.rounds.length - 1); join(); return out(id, { case: 'snapshot', value: snapshot(L0, p, ri) }); }
    if (!st) return out(id, { case: 'error', value: { code: 'forbidden', message: 'not allowed for your role' } });
    if (b.case === 'timer') { applyTimer(L0, ri, b.value); const t = timerMsg(L0, ri); for (const c of room()) c.ws.readyState === 1 && c.ws.send(toBinary(S.ServerMessageSchema, create(S.ServerMessageSchema, { body: { case: 'timer', value: t } }))); return; }
    if (b.case === 'selectQuestion') {
      const q = questions.find((x) => x.id === b.value.questionId);
      if (!q) return out(id, { case: 'error', value: { code: 'not_found', message: 'no such question' } });
      L0.loop.rounds[ri].selectedQuestionId = q.id;
      for (const c of room()) c.ws.readyState === 1 && c.ws.send(toBinary(S.ServerMessageSchema, create(S.ServerMessageSchema, { body: { case: 'questionSelected', value: { prompt: { id: q.id, title: q.title, prompt: q.prompt }, question: staff(c.p.role) ? q : undefined } } })));
      return;
    }
    if (b.case === 'saveScorecard' || b.case === 'submitScorecard') {
      let cur = latestScorecard(L0, ri, p.id);
      if (b.case === 'saveScorecard') {
        if (!cur || cur.status === L.ScorecardStatus.SUBMITTED) { cur = create(L.ScorecardSchema, { loopId: L0.loop.id, roundIndex: ri, authorId: p.id, authorName: p.displayName, authorRole: p.role, version: (cur?.version ?? 0) + 1, status: L.ScorecardStatus.DRAFT }); L0.scorecards.push(cur); }
        cur.content = b.value.draft; cur.updatedAtMs = BigInt(Date.now());
      } else {
        if (!cur || cur.status !== L.ScorecardStatus.DRAFT) return out(id, { case: 'error', value: { code: 'conflict', message: 'no draft to submit' } });
        if (!cur.content?.overall) return out(id, { case: 'error', value: { code: 'invalid_argument', message: 'overall recommendation required' } });
        cur.status = L.ScorecardStatus.SUBMITTED; cur.submittedAtMs = BigInt(Date.now());
      }
      return out(id, { case: 'scorecard', value: { scorecard: cur } });
    }
  });
}

// Auto-advance / overtime ticking is not needed for the client checks; timers just run.
server.listen(Number(port), host, () => {
  console.log(`fake MockLoop listening on http://${host}:${server.address().port}/`);
});
