// The pad's runner console (issue 16): Run (the pad's code on custom stdin), Run samples
// and Run all tests (hidden ones too) for the round's selected question; Ctrl/Cmd+Enter
// runs. Results arrive for everyone in the round over the session socket (RunUpdate; the
// server has already cut hidden tests down to counts for anyone but staff), and the POST's
// own answer only carries the run id. Renders the latest run: verdict, compile errors,
// each visible test (stdin, expected, stdout, stderr, time) and the hidden tests' counts.
// While a run goes, its stdout streams in (RunUpdate.chunk; a hidden test's pieces reach
// staff only). Compile and runtime errors come with source lines (run.diagnostics), handed
// to the pad so everyone in the round sees the same marks. Staff have a switch that lets the
// candidate run the hidden tests (RunUpdate.settings tells everyone; the server enforces it).
// In a study room (no `settingsUrl`) there is only Run: peers run on their own stdin, and
// every peer of the room sees every run (the server refuses question tests there).

import { h, replace } from '../lib/dom';
import type { RunUpdate } from '../gen/session_pb';

/** The pad's language ids -> the runner's (GET /api/runtimes). */
const RUNTIME_OF: Record<string, string> = { python: 'python', cpp: 'cpp', typescript: 'javascript', java: 'java', go: 'go' };

export interface RunPanelOptions {
  /** POST here to run; GET <runsUrl>/<id> reads one (…/rounds/{r}/runs or /api/study-rooms/{id}/runs). */
  runsUrl: string;
  /** The round's run settings (…/run-settings); none in a study room: Run only, no tests. */
  settingsUrl?: string;
  /** The name a study peer puts on its runs ("by"); rounds use the participant's name. */
  author?: string;
  token: string;
  code: () => string;
  language: () => string;
  questionId: () => string;
  /** Staff of the round (UI only: the server decides what each person may do and see). */
  staff: boolean;
  /** Marks for the pad from the latest finished run ([] clears them). */
  onDiagnostics?: (d: RunDiagnostic[]) => void;
}

export interface RunDiagnostic {
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

/** Most live output kept on screen per run (the final result replaces it). */
const MAX_LIVE_CHARS = 256 * 1024;

interface RunTest {
  name: string;
  verdict: string;
  timeMs?: number;
  stdin?: string;
  expected?: string;
  stdout?: string;
  stderr?: string;
  hidden?: boolean;
}

interface RunView {
  runId: string;
  status: string;
  verdict?: string;
  by?: string;
  language?: string;
  testsMode?: string;
  error?: string;
  compile?: { verdict: string; stderr: string };
  diagnostics?: RunDiagnostic[];
  tests?: RunTest[];
  hidden?: { passed: number; total: number };
  passed?: number;
  total?: number;
}

export class RunPanel {
  readonly el: HTMLElement;
  private stdin: HTMLTextAreaElement;
  private out: HTMLElement;
  private status: HTMLElement;
  private latest = '';
  private live: HTMLElement | null = null;
  private liveRun = '';
  private liveCase = '';
  private liveLength = 0;
  private allButton: HTMLButtonElement;
  private hiddenSwitch: HTMLInputElement | null = null;

  constructor(private readonly opts: RunPanelOptions) {
    this.stdin = h('textarea', { class: 'run-stdin', rows: 2, placeholder: 'stdin for Run (optional)', 'aria-label': 'Standard input', 'data-testid': 'run-stdin' });
    this.status = h('span', { class: 'run-status', role: 'status', 'data-testid': 'run-status' });
    this.out = h('div', { class: 'run-output', 'aria-live': 'polite', 'data-testid': 'run-output' });
    const button = (label: string, tests: 'none' | 'sample' | 'all', testid: string) =>
      h('button', { type: 'button', class: 'small', 'data-testid': testid, onclick: () => void this.run(tests) }, label);
    this.allButton = button('Run all tests', 'all', 'run-all') as HTMLButtonElement;
    // Candidates get "Run all tests" only once staff allowed it.
    this.allButton.hidden = !opts.staff || !opts.settingsUrl;
    let hiddenLabel: HTMLElement | null = null;
    if (opts.staff && opts.settingsUrl) {
      this.hiddenSwitch = h('input', { type: 'checkbox', 'data-testid': 'run-hidden-switch', onchange: () => void this.putSettings() }) as HTMLInputElement;
      hiddenLabel = h('label', { class: 'run-hidden-switch', title: 'The candidate then sees pass/fail counts only, never the hidden inputs or outputs' },
        this.hiddenSwitch, ' Candidate may run hidden tests');
    }
    this.el = h(
      'section',
      { class: 'run-panel', 'aria-label': 'Run code', 'data-testid': 'run-panel' },
      h('div', { class: 'run-bar' },
        button('Run', 'none', 'run-code'),
        opts.settingsUrl ? button('Run samples', 'sample', 'run-samples') : null,
        this.allButton,
        hiddenLabel,
        this.status),
      this.stdin,
      this.out,
    );
    void this.loadSettings();
  }

  private async loadSettings(): Promise<void> {
    if (!this.opts.settingsUrl) return;
    const res = await fetch(this.opts.settingsUrl, { headers: { Authorization: `Bearer ${this.opts.token}` } }).catch(() => null);
    if (!res?.ok) return;
    const body = (await res.json().catch(() => ({}))) as { candidateMayRunHidden?: boolean };
    this.applySettings(Boolean(body.candidateMayRunHidden));
  }

  private async putSettings(): Promise<void> {
    if (!this.hiddenSwitch || !this.opts.settingsUrl) return;
    const want = this.hiddenSwitch.checked;
    const res = await fetch(this.opts.settingsUrl, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.opts.token}` },
      body: JSON.stringify({ candidateMayRunHidden: want }),
    }).catch(() => null);
    if (!res?.ok) {
      this.hiddenSwitch.checked = !want;
      this.status.textContent = 'Could not change the setting.';
    }
  }

  private applySettings(candidateMayRunHidden: boolean): void {
    if (this.hiddenSwitch) this.hiddenSwitch.checked = candidateMayRunHidden;
    else this.allButton.hidden = !candidateMayRunHidden;
  }

  /** Ctrl/Cmd+Enter in the pad. */
  onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.run(this.opts.questionId() && this.opts.settingsUrl ? 'sample' : 'none');
    }
  }

  async run(tests: 'none' | 'sample' | 'all'): Promise<void> {
    const language = RUNTIME_OF[this.opts.language()] ?? this.opts.language();
    const questionId = this.opts.questionId();
    if (tests !== 'none' && !questionId) {
      this.status.textContent = 'Select a question with tests first (or use Run).';
      return;
    }
    this.status.textContent = 'Queued…';
    const body: Record<string, string> = { language, code: this.opts.code(), stdin: this.stdin.value, tests, questionId };
    if (this.opts.author) body.by = this.opts.author;
    const res = await fetch(this.opts.runsUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.opts.token}` },
      body: JSON.stringify(body),
    }).catch(() => null);
    if (!res) {
      this.status.textContent = 'Cannot reach the server.';
      return;
    }
    const answer = await res.json().catch(() => ({}));
    if (res.status !== 202) this.status.textContent = answer?.error?.message ?? `Refused (${res.status})`;
  }

  /** A RunUpdate from the session: a streamed piece, a settings change, or the run as the server lets this user see it. */
  update(u: Pick<RunUpdate, 'runId' | 'json' | 'chunk' | 'settings'>): void {
    if (u.settings) return this.applySettings(u.settings.candidateMayRunHidden);
    if (u.chunk) return this.appendLive(u.runId, u.chunk.caseName, u.chunk.offset, u.chunk.text, u.chunk.hidden);
    let run: RunView;
    try {
      run = JSON.parse(u.json) as RunView;
    } catch {
      return;
    }
    this.latest = run.runId;
    if (run.status !== 'done') {
      this.status.textContent = `${run.by ?? 'Someone'} is running ${run.language}…`;
      return;
    }
    this.status.textContent = '';
    this.live = null;
    this.liveRun = '';
    this.opts.onDiagnostics?.(run.diagnostics ?? []);
    const rows: HTMLElement[] = [];
    rows.push(h('div', { class: `run-verdict verdict-${(run.verdict ?? '').toLowerCase()}`, 'data-testid': 'run-verdict' },
      `${run.verdict}`, ` · ${run.passed ?? 0}/${run.total ?? 0} passed`, run.by ? ` · run by ${run.by}` : ''));
    if (run.error) rows.push(h('pre', { class: 'run-stderr' }, run.error));
    if (run.compile && run.compile.verdict !== 'OK') rows.push(h('pre', { class: 'run-stderr', 'data-testid': 'run-compile' }, run.compile.stderr));
    if (run.diagnostics?.length)
      rows.push(h('ul', { class: 'run-diagnostics', 'data-testid': 'run-diagnostics' },
        run.diagnostics.map((d) => h('li', {}, `line ${d.line}${d.column ? `:${d.column}` : ''}: ${d.severity} ${d.message}`))));
    for (const t of run.tests ?? []) {
      rows.push(h('details', { class: 'run-test', open: t.verdict !== 'OK' || (run.tests?.length ?? 0) === 1, 'data-testid': 'run-test' },
        h('summary', {}, `${t.name}${t.hidden ? ' (hidden)' : ''}: ${t.verdict}`, t.timeMs !== undefined ? ` · ${t.timeMs} ms` : ''),
        t.stdin ? h('div', {}, h('em', {}, 'stdin'), h('pre', {}, t.stdin)) : null,
        t.expected !== undefined ? h('div', {}, h('em', {}, 'expected'), h('pre', {}, t.expected)) : null,
        h('div', {}, h('em', {}, 'stdout'), h('pre', { 'data-testid': 'run-stdout' }, t.stdout ?? '')),
        t.stderr ? h('div', {}, h('em', {}, 'stderr'), h('pre', { class: 'run-stderr' }, t.stderr)) : null));
    }
    if (run.hidden && run.hidden.total > 0)
      rows.push(h('div', { class: 'run-hidden', 'data-testid': 'run-hidden' }, `Hidden tests: ${run.hidden.passed}/${run.hidden.total} passed`));
    replace(this.out, rows);
  }

  /** Live stdout of a run in progress: pieces in order; a gap (joined late) waits for the result. */
  private appendLive(runId: string, caseName: string, offset: number, text: string, hidden: boolean): void {
    if (runId !== this.liveRun || caseName !== this.liveCase || !this.live) {
      if (offset !== 0) return;
      this.liveRun = runId;
      this.liveCase = caseName;
      this.liveLength = 0;
      this.live = h('pre', { class: 'run-live', 'data-testid': 'run-live' });
      replace(this.out, [h('div', { class: 'run-live-head' }, h('em', {}, `${caseName}${hidden ? ' (hidden)' : ''} · running…`)), this.live]);
    }
    const bytes = new TextEncoder().encode(text).length;  // offsets count bytes
    if (offset !== this.liveLength || this.liveLength + bytes > MAX_LIVE_CHARS) return;
    this.live.append(text);
    this.liveLength += bytes;
  }

  get latestRunId(): string {
    return this.latest;
  }
}
