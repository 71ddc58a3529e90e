// Review comments of a written draft (issue 21). A comments doc (written-<id>-review for
// comments the candidate may read, written-<id>-staff for staff-only ones: separate docs,
// so the server's doc access keeps the staff-only ones from the candidate and observers)
// holds a Y.Map "comments": id -> a plain object
//   { author, body, at, parent?, resolved?, quote?, start?, end? }
// start/end are Y.relativePositionToJSON of positions in the draft doc's Y.Text "text", so
// an anchor follows its sentence while the candidate keeps editing; `quote` is the text at
// the time of the comment (for reports). A reply has `parent` and no anchor; resolving sets
// `resolved` on the thread's first comment. server/loop/written_report.cpp reads the same.
import * as Y from 'yjs';

export const COMMENTS_MAP = 'comments';
export const DRAFT_TEXT = 'text';
/** One comment's body: at most 4000 characters (the server's reports cut nothing shorter). */
export const MAX_COMMENT_CHARS = 4000;

export interface StoredComment {
  author: string;
  body: string;
  at: number;
  parent?: string;
  resolved?: boolean;
  quote?: string;
  start?: unknown;
  end?: unknown;
}

export interface Thread {
  id: string;
  root: StoredComment;
  replies: { id: string; c: StoredComment }[];
  range: { from: number; to: number } | null; // null: the anchored text was deleted
  staffOnly: boolean;
}

const newId = () => Math.random().toString(36).slice(2, 10) + Date.now().toString(36);

export function addComment(map: Y.Map<StoredComment>, text: Y.Text, from: number, to: number, author: string, body: string): string {
  const id = newId();
  map.set(id, {
    author,
    body: body.slice(0, MAX_COMMENT_CHARS),
    at: Date.now(),
    quote: text.toString().slice(from, to).slice(0, 500),
    start: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, from)),
    // The end sticks to the character before it (assoc -1): text typed right after the
    // anchored sentence does not join the anchor.
    end: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, to, -1)),
  });
  return id;
}

export function reply(map: Y.Map<StoredComment>, parent: string, author: string, body: string): string {
  const id = newId();
  map.set(id, { author, body: body.slice(0, MAX_COMMENT_CHARS), at: Date.now(), parent });
  return id;
}

export function resolve(map: Y.Map<StoredComment>, id: string, resolved = true): void {
  const c = map.get(id);
  if (c) map.set(id, { ...c, resolved });
}

/** Where a comment's anchor is in `text` now (null when its text was deleted). */
export function anchorRange(c: StoredComment, text: Y.Text): { from: number; to: number } | null {
  if (!c.start || !c.end || !text.doc) return null;
  const s = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(c.start), text.doc);
  const e = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(c.end), text.doc);
  if (!s || !e || e.index < s.index) return null;
  return { from: s.index, to: e.index };
}

export function threads(map: Y.Map<StoredComment>, text: Y.Text, staffOnly: boolean): Thread[] {
  const out: Thread[] = [];
  map.forEach((c, id) => {
    if (!c || typeof c !== 'object' || c.parent) return;
    out.push({ id, root: c, replies: [], range: anchorRange(c, text), staffOnly });
  });
  map.forEach((c, id) => {
    if (!c?.parent) return;
    out.find((t) => t.id === c.parent)?.replies.push({ id, c });
  });
  for (const t of out) t.replies.sort((a, b) => a.c.at - b.c.at);
  return out.sort((a, b) => (a.range?.from ?? 1e9) - (b.range?.from ?? 1e9) || a.root.at - b.root.at);
}
