// The pad's runner console (issue 16): Run (the pad's code on custom stdin), Run samples
// and Run all tests (hidden ones too) for the round's selected question; Ctrl/Cmd+Enter
// runs. Results arrive for everyone in the round over the session socket (RunUpdate; the
// server has already cut hidden tests down to counts for anyone but staff), and the POST's
// own answer only carries the run id. Renders the latest run: verdict, compile errors,
// each visible test (stdin, expected, stdout, stderr, time) and the hidden tests' counts.

import { h, replace } from '../lib/dom';

/** The pad's language ids -> the runner's (GET /api/runtimes). */
const RUNTIME_OF: Record<string, string> = { python: 'python', cpp: 'cpp', typescript: 'javascript', java: 'java', go: 'go' };

export interface RunPanelOptions {
  loopId: string;
  roundIndex: number;
  token: string;
  code: () => string;
  language: () => string;
  questionId: () => string;
}

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

  constructor(private readonly opts: RunPanelOptions) {
    this.stdin = h('textarea', { class: 'run-stdin', rows: 2, placeholder: 'stdin for Run (optional)', 'aria-label': 'Standard input', 'data-testid': 'run-stdin' });
    this.status = h('span', { class: 'run-status', role: 'status', 'data-testid': 'run-status' });
    this.out = h('div', { class: 'run-output', 'aria-live': 'polite', 'data-testid': 'run-output' });
    const button = (label: string, tests: 'none' | 'sample' | 'all', testid: string) =>
      h('button', { type: 'button', class: 'small', 'data-testid': testid, onclick: () => void this.run(tests) }, label);
    this.el = h(
      'section',
      { class: 'run-panel', 'aria-label': 'Run code', 'data-testid': 'run-panel' },
      h('div', { class: 'run-bar' },
        button('Run', 'none', 'run-code'),
        button('Run samples', 'sample', 'run-samples'),
        button('Run all tests', 'all', 'run-all'),
        this.status),
      this.stdin,
      this.out,
    );
  }

  /** Ctrl/Cmd+Enter in the pad. */
  onKey(e: KeyboardEvent): void {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void this.run(this.opts.questionId() ? 'sample' : 'none');
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
    const res = await fetch(`/api/loops/${encodeURIComponent(this.opts.loopId)}/rounds/${this.opts.roundIndex}/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${this.opts.token}` },
      body: JSON.stringify({ language, code: this.opts.code(), stdin: this.stdin.value, tests, questionId }),
    }).catch(() => null);
    if (!res) {
      this.status.textContent = 'Cannot reach the server.';
      return;
    }
    const body = await res.json().catch(() => ({}));
    if (res.status !== 202) this.status.textContent = body?.error?.message ?? `Refused (${res.status})`;
  }

  /** A RunUpdate from the session: the run as the server lets this user see it. */
  update(json: string): void {
    let run: RunView;
    try {
      run = JSON.parse(json) as RunView;
    } catch {
      return;
    }
    this.latest = run.runId;
    if (run.status !== 'done') {
      this.status.textContent = `${run.by ?? 'Someone'} is running ${run.language}…`;
      return;
    }
    this.status.textContent = '';
    const rows: HTMLElement[] = [];
    rows.push(h('div', { class: `run-verdict verdict-${(run.verdict ?? '').toLowerCase()}`, 'data-testid': 'run-verdict' },
      `${run.verdict}`, ` · ${run.passed ?? 0}/${run.total ?? 0} passed`, run.by ? ` · run by ${run.by}` : ''));
    if (run.error) rows.push(h('pre', { class: 'run-stderr' }, run.error));
    if (run.compile && run.compile.verdict !== 'OK') rows.push(h('pre', { class: 'run-stderr', 'data-testid': 'run-compile' }, run.compile.stderr));
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

  get latestRunId(): string {
    return this.latest;
  }
}
