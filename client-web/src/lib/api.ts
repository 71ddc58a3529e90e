// REST client for docs/api.md. Bodies are the protobuf JSON mapping; responses are parsed
// with the generated schemas (unknown fields ignored, so a newer server does not break us).

import { fromJson, toJson, type DescMessage, type MessageShape, type MessageInitShape, create } from '@bufbuild/protobuf';
import {
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

async function call<S extends DescMessage>(schema: S, method: string, path: string, token?: string, body?: unknown): Promise<MessageShape<S>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
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

function bodyOf<S extends DescMessage>(schema: S, init: MessageInitShape<S>): unknown {
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
  createStudyRoom: (req: MessageInitShape<typeof CreateStudyRoomRequestSchema>) =>
    call(StudyRoomSchema, 'POST', '/api/study-rooms', undefined, bodyOf(CreateStudyRoomRequestSchema, req)),
  /** The self-contained HTML report, as text. */
  async debriefHtml(id: string, token: string): Promise<string> {
    const res = await fetch(`/api/loops/${encodeURIComponent(id)}/debrief`, { headers: { Accept: 'text/html', Authorization: `Bearer ${token}` } });
    if (!res.ok) throw new ApiError(res.status, String(res.status), await res.text());
    return res.text();
  },
};
