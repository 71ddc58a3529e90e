// REST client for docs/api.md. Bodies are the protobuf JSON mapping; responses are parsed
// with the generated schemas (unknown fields ignored, so a newer server does not break us).

import { fromJson, toJson, type DescMessage, type MessageShape, type MessageInitShape, create } from '@bufbuild/protobuf';
import {
  AddParticipantResponseSchema,
  LoopSchema,
  ParticipantSchema,
  ParticipantSpecSchema,
  ScorecardDraftSchema,
  ScorecardSchema,
  ScorecardViewSchema,
  SetScheduleRequestSchema,
  UpdateParticipantRequestSchema,
  CreateLoopRequestSchema,
  CreateLoopResponseSchema,
  CreateStudyRoomRequestSchema,
  DebriefSchema,
  GetLoopResponseSchema,
  InviteSchema,
  ListTemplatesResponseSchema,
  StudyRoomSchema,
} from '../gen/loop_pb';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/**
 * The CSRF token of this tab's signed-in session (from sign-in or GET /api/me): sent in the
 * X-CSRF-Token header of every state-changing request, which the server requires whenever
 * the session cookie is what authorises it.
 */
let csrfToken = '';
export function setCsrfToken(t: string): void {
  csrfToken = t;
}

export async function call<S extends DescMessage>(schema: S, method: string, path: string, token?: string, body?: unknown): Promise<MessageShape<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (csrfToken && method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, 'network', `Cannot reach the server (${(e as Error).message})`);
  }
  const text = await res.text();
  let json: unknown = undefined;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    /* not JSON */
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.status, err?.code ?? String(res.status), err?.message ?? (text.slice(0, 200) || res.statusText));
  }
  return fromJson(schema, (json ?? {}) as never, { ignoreUnknownFields: true });
}

export function bodyOf<S extends DescMessage>(schema: S, init: MessageInitShape<S>): unknown {
  return toJson(schema, create(schema, init));
}

export const api = {
  templates: () => call(ListTemplatesResponseSchema, 'GET', '/api/templates'),
  createLoop: (req: MessageInitShape<typeof CreateLoopRequestSchema>) =>
    call(CreateLoopResponseSchema, 'POST', '/api/loops', undefined, bodyOf(CreateLoopRequestSchema, req)),
  getLoop: (id: string, token: string) => call(GetLoopResponseSchema, 'GET', `/api/loops/${encodeURIComponent(id)}`, token),
  debrief: (id: string, token: string) => call(DebriefSchema, 'GET', `/api/loops/${encodeURIComponent(id)}/debrief`, token),
  revoke: (loopId: string, tokenId: string, hostToken: string) =>
    call(InviteSchema, 'POST', `/api/loops/${encodeURIComponent(loopId)}/tokens/${encodeURIComponent(tokenId)}/revoke`, hostToken),
  // ---- the panel after creation (host only; the server refuses everyone else) ----
  addParticipant: (loopId: string, spec: MessageInitShape<typeof ParticipantSpecSchema>, hostToken: string) =>
    call(AddParticipantResponseSchema, 'POST', `/api/loops/${encodeURIComponent(loopId)}/participants`, hostToken, bodyOf(ParticipantSpecSchema, spec)),
  updateParticipant: (loopId: string, pid: string, req: MessageInitShape<typeof UpdateParticipantRequestSchema>, hostToken: string) =>
    call(ParticipantSchema, 'PUT', `/api/loops/${encodeURIComponent(loopId)}/participants/${encodeURIComponent(pid)}`, hostToken, bodyOf(UpdateParticipantRequestSchema, req)),
  removeParticipant: (loopId: string, pid: string, hostToken: string) =>
    call(LoopSchema, 'DELETE', `/api/loops/${encodeURIComponent(loopId)}/participants/${encodeURIComponent(pid)}`, hostToken),
  reissueInvite: (loopId: string, pid: string, hostToken: string) =>
    call(InviteSchema, 'POST', `/api/loops/${encodeURIComponent(loopId)}/participants/${encodeURIComponent(pid)}/invite`, hostToken),
  setSchedule: (loopId: string, req: MessageInitShape<typeof SetScheduleRequestSchema>, hostToken: string) =>
    call(LoopSchema, 'PUT', `/api/loops/${encodeURIComponent(loopId)}/schedule`, hostToken, bodyOf(SetScheduleRequestSchema, req)),
  // ---- scorecards ----
  scorecard: (loopId: string, round: number, token: string) =>
    call(ScorecardViewSchema, 'GET', `/api/loops/${encodeURIComponent(loopId)}/rounds/${round}/scorecard`, token),
  saveScorecard: (loopId: string, round: number, draft: MessageInitShape<typeof ScorecardDraftSchema>, baseRevision: bigint, token: string) =>
    call(ScorecardSchema, 'PUT', `/api/loops/${encodeURIComponent(loopId)}/rounds/${round}/scorecard?base_revision=${baseRevision}`, token, bodyOf(ScorecardDraftSchema, draft)),
  /** A save that outlives the page (fetch keepalive): for pagehide. Fire and forget. */
  saveScorecardOnExit(loopId: string, round: number, draft: MessageInitShape<typeof ScorecardDraftSchema>, baseRevision: bigint, token: string): void {
    try {
      void fetch(`/api/loops/${encodeURIComponent(loopId)}/rounds/${round}/scorecard?base_revision=${baseRevision}`, {
        method: 'PUT',
        keepalive: true,
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(bodyOf(ScorecardDraftSchema, draft)),
      }).catch(() => undefined);
    } catch {
      /* the page is going away */
    }
  },
  createStudyRoom: (req: MessageInitShape<typeof CreateStudyRoomRequestSchema>) =>
    call(StudyRoomSchema, 'POST', '/api/study-rooms', undefined, bodyOf(CreateStudyRoomRequestSchema, req)),
  /** The self-contained HTML report, as text. */
  async debriefHtml(id: string, token: string): Promise<string> {
    const res = await fetch(`/api/loops/${encodeURIComponent(id)}/debrief`, { headers: { Accept: 'text/html', Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new ApiError(res.status, String(res.status), await res.text());
    return res.text();
  },
};
