// REST calls of the written work (docs/api.md, "Written work").
import type { MessageInitShape } from '@bufbuild/protobuf';
import { call, bodyOf, ApiError } from '../lib/api';
import {
  AskWrittenQuestionRequestSchema,
  CreateWrittenRequestSchema,
  ListWrittenResponseSchema,
  SubmitWrittenRequestSchema,
  WrittenAssignmentSchema,
  WrittenQuestionsSchema,
  WrittenVersionSchema,
} from '../gen/written_pb';

const base = (loopId: string) => `/api/loops/${encodeURIComponent(loopId)}/written`;

export const writtenApi = {
  list: (loopId: string, token: string) => call(ListWrittenResponseSchema, 'GET', base(loopId), token),
  assign: (loopId: string, req: MessageInitShape<typeof CreateWrittenRequestSchema>, token: string) =>
    call(WrittenAssignmentSchema, 'POST', base(loopId), token, bodyOf(CreateWrittenRequestSchema, req)),
  questions: (loopId: string, aid: string, token: string) =>
    call(WrittenQuestionsSchema, 'GET', `${base(loopId)}/${encodeURIComponent(aid)}/questions`, token),
  ask: (loopId: string, aid: string, text: string, token: string) =>
    call(WrittenQuestionsSchema, 'POST', `${base(loopId)}/${encodeURIComponent(aid)}/questions`, token, bodyOf(AskWrittenQuestionRequestSchema, { text })),
  submit: (loopId: string, aid: string, expectedText: string, token: string) =>
    call(WrittenVersionSchema, 'POST', `${base(loopId)}/${encodeURIComponent(aid)}/submit`, token, bodyOf(SubmitWrittenRequestSchema, { expectedText })),
  version: (loopId: string, aid: string, v: number, token: string) =>
    call(WrittenVersionSchema, 'GET', `${base(loopId)}/${encodeURIComponent(aid)}/versions/${v}`, token),
  reportUrl: (loopId: string, aid: string) => `${base(loopId)}/${encodeURIComponent(aid)}/report`,
};

export { ApiError };

/** "3 d 4 h left", "5 h 10 min left", "overdue by 2 h". */
export function timeLeft(dueMs: number, nowMs = Date.now()): string {
  const d = dueMs - nowMs;
  const abs = Math.abs(d);
  const days = Math.floor(abs / 86_400_000), hours = Math.floor((abs % 86_400_000) / 3_600_000), mins = Math.floor((abs % 3_600_000) / 60_000);
  const s = days > 0 ? `${days} d ${hours} h` : hours > 0 ? `${hours} h ${mins} min` : `${mins} min`;
  return d >= 0 ? `${s} left` : `overdue by ${s}`;
}
