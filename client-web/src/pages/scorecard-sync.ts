// Keeps the interviewer's scorecard draft safe (issue 15 item 7): every change is stashed in
// this tab's sessionStorage at once and saved over the session after a short pause, on blur
// and when the page goes away (a keepalive PUT); each save names the revision it started
// from, so a save from a stale tab is refused by the server (409 "conflict") and shown as a
// conflict with both texts instead of silently overwriting. Saves are sent one at a time so
// each names the revision the previous one produced. Owned by the InterviewerPanel.

import { create, fromJson, toJson, type MessageInitShape } from '@bufbuild/protobuf';
import { ScorecardDraftSchema, ScorecardStatus, type Scorecard, type ScorecardDraft } from '../gen/loop_pb';
import type { ClientMessageSchema } from '../gen/session_pb';
import { api } from '../lib/api';

type Body = MessageInitShape<typeof ClientMessageSchema>['body'];

export const SAVE_DEBOUNCE_MS = 400;

export interface SyncDeps {
  send(body: Body): number;
  loopId: string;
  round: number;
  token: string;
  participantId: string;
  draft(): ScorecardDraft;
  status(text: string, state: string): void;
  conflict(mine: ScorecardDraft, theirs: Scorecard): void;
}

export function sameDraft(a: ScorecardDraft | undefined, b: ScorecardDraft | undefined): boolean {
  const j = (d: ScorecardDraft | undefined) => JSON.stringify(toJson(ScorecardDraftSchema, d ?? create(ScorecardDraftSchema, {})));
  return j(a) === j(b);
}

export class ScorecardSync {
  revision: bigint;
  dirty = false;
  inConflict = false;
  private inflight: { id: number; sent: string } | null = null;
  private submitId = 0;
  private submitAfterSave = false;
  private timer: number | undefined;
  private readonly key: string;
  private readonly onBeforeUnload = (e: BeforeUnloadEvent) => {
    if (!this.dirty && !this.inflight) return;
    e.preventDefault();
    e.returnValue = '';
  };
  private readonly onPageHide = () => {
    if (!this.dirty || this.inConflict) return;
    api.saveScorecardOnExit(this.deps.loopId, this.deps.round, this.deps.draft(), this.revision, this.deps.token);
  };

  constructor(private readonly deps: SyncDeps, initial: Scorecard | undefined) {
    this.revision = initial?.revision ?? 0n;
    this.key = `mockloop.scorecard:${deps.loopId}:${deps.round}:${deps.participantId}`;
    window.addEventListener('beforeunload', this.onBeforeUnload);
    window.addEventListener('pagehide', this.onPageHide);
  }

  /**
   * A draft this tab typed but the server may not have: after a reload, the stash. Returns the
   * draft to show; a stash that conflicts with what the server has is reported as a conflict.
   */
  restore(server: Scorecard | undefined): ScorecardDraft | undefined {
    const stash = this.readStash();
    if (!stash) return undefined;
    let draft: ScorecardDraft;
    try {
      draft = fromJson(ScorecardDraftSchema, stash.draft as never, { ignoreUnknownFields: true });
    } catch {
      this.clearStash();
      return undefined;
    }
    if (server && sameDraft(draft, server.content)) {
      this.clearStash();
      return undefined;
    }
    if (BigInt(stash.base) === (server?.revision ?? 0n)) {
      this.dirty = true;
      this.schedule();
      return draft;
    }
    if (server) {
      this.inConflict = true;
      queueMicrotask(() => this.deps.conflict(draft, server));
    }
    return draft;
  }

  /** The user changed something: stash now, save after a pause. */
  changed(): void {
    this.dirty = true;
    this.stash();
    this.deps.status('Unsaved changes…', 'dirty');
    this.schedule();
  }

  /** Save now if anything is unsaved (blur, explicit save). */
  flush(): void {
    window.clearTimeout(this.timer);
    if (!this.dirty || this.inConflict) return;
    if (this.inflight) return; // sent when the one in flight is answered
    const draft = this.deps.draft();
    const id = this.deps.send({ case: 'saveScorecard', value: { draft, baseRevision: this.revision, roundIndex: this.deps.round } });
    this.inflight = { id, sent: JSON.stringify(toJson(ScorecardDraftSchema, draft)) };
    this.deps.status('Saving…', 'saving');
  }

  submit(): void {
    if (this.inConflict) return;
    if (this.dirty || this.inflight) {
      this.submitAfterSave = true;
      this.flush();
      return;
    }
    this.submitId = this.deps.send({ case: 'submitScorecard', value: { baseRevision: this.revision, roundIndex: this.deps.round } });
  }

  /** The server's copy after a save or submit of ours. */
  onScorecard(sc: Scorecard, requestId: bigint): void {
    this.revision = sc.revision;
    const id = Number(requestId);
    if (this.inflight && id === this.inflight.id) {
      const now = JSON.stringify(toJson(ScorecardDraftSchema, this.deps.draft()));
      if (now === this.inflight.sent) {
        this.dirty = false;
        this.clearStash();
      }
      this.inflight = null;
      if (this.dirty) {
        this.stash(); // on top of the new revision
        this.flush();
      }
      else if (this.submitAfterSave) {
        this.submitAfterSave = false;
        this.submit();
      }
    }
    if (id === this.submitId && sc.status === ScorecardStatus.SUBMITTED) this.submitId = 0;
  }

  /** An error answer; true when it was about our save or submit. */
  onError(code: string, requestId: bigint): boolean {
    const id = Number(requestId);
    const ours = (this.inflight && id === this.inflight.id) || (this.submitId && id === this.submitId);
    if (!ours) return false;
    this.inflight = null;
    this.submitAfterSave = false;
    if (code === 'conflict') void this.resolveStale();
    return true;
  }

  /** Keep this tab's text: save it over the stored one. */
  keepMine(theirs: Scorecard): void {
    this.inConflict = false;
    this.revision = theirs.revision;
    this.dirty = true;
    this.stash();
    this.flush();
  }

  /** Take the stored text; this tab's is dropped. */
  keepTheirs(theirs: Scorecard): void {
    this.inConflict = false;
    this.revision = theirs.revision;
    this.dirty = false;
    this.clearStash();
  }

  destroy(): void {
    window.clearTimeout(this.timer);
    window.removeEventListener('beforeunload', this.onBeforeUnload);
    window.removeEventListener('pagehide', this.onPageHide);
  }

  private async resolveStale(): Promise<void> {
    try {
      const view = await api.scorecard(this.deps.loopId, this.deps.round, this.deps.token);
      const theirs = view.mine;
      if (!theirs) return;
      if (sameDraft(theirs.content, this.deps.draft())) {
        this.keepTheirs(theirs); // the same text got there another way (a keepalive save)
        this.deps.status(`Draft saved (version ${theirs.version}).`, 'draft');
        return;
      }
      this.inConflict = true;
      this.deps.conflict(this.deps.draft(), theirs);
    } catch (e) {
      this.deps.status(`The scorecard was saved elsewhere and could not be reloaded: ${(e as Error).message}`, 'error');
    }
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.flush(), SAVE_DEBOUNCE_MS);
  }

  private readStash(): { base: string; draft: unknown } | null {
    try {
      return JSON.parse(sessionStorage.getItem(this.key) ?? 'null') as { base: string; draft: unknown } | null;
    } catch {
      return null;
    }
  }

  private stash(): void {
    try {
      sessionStorage.setItem(this.key, JSON.stringify({ base: String(this.revision), draft: toJson(ScorecardDraftSchema, this.deps.draft()) }));
    } catch {
      /* storage full or refused: the debounced save still runs */
    }
  }

  private clearStash(): void {
    try {
      sessionStorage.removeItem(this.key);
    } catch {
      /* ignore */
    }
  }
}
