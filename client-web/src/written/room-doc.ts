// The written work inside the room (issue 21): a "Written work" link with the time left in
// the room's header (everyone with access; the candidate sees it before the loop), and in
// the 6-pager deep-dive round the latest submitted version beside the whiteboard (HTML
// rendered by the server from Markdown with raw HTML off: docs/written-work.md).
import { h, replace } from '../lib/dom';
import { writtenApi, timeLeft } from './api';

/** Header link(s) to the loop's written work; empty when nothing is assigned or not allowed. */
export async function writtenLinks(loopId: string, token: string): Promise<HTMLElement | null> {
  try {
    const list = await writtenApi.list(loopId, token);
    if (!list.assignments.length && !list.canAssign) return null;
    const href = (aid?: string) => `/written/${encodeURIComponent(loopId)}${aid ? '/' + encodeURIComponent(aid) : ''}?token=${encodeURIComponent(token)}`;
    const a = list.assignments[0];
    if (!a) return h('a', { class: 'button small', href: href(), 'data-testid': 'open-written' }, 'Written work');
    return h('a', { class: 'button small', href: href(a.id), 'data-testid': 'open-written', title: a.title },
      `Written work · ${timeLeft(Number(a.dueAtMs))}`);
  } catch {
    return null;
  }
}

/** The submitted document panel for the deep-dive round ("" state when none submitted). */
export async function submittedDocPanel(loopId: string, token: string): Promise<HTMLElement> {
  const el = h('section', { class: 'written-beside', 'aria-label': 'Submitted document', 'data-testid': 'deep-dive-doc' }, h('p', { class: 'muted' }, 'Loading the submitted document…'));
  try {
    const list = await writtenApi.list(loopId, token);
    const a = list.assignments.find((x) => x.versions.length > 0);
    if (!a) {
      replace(el, h('p', { class: 'muted' }, 'No written work has been submitted for this loop.'));
      return el;
    }
    const last = a.versions[a.versions.length - 1]!;
    const v = await writtenApi.version(loopId, a.id, last.version, token);
    const body = h('div', { class: 'doc' });
    body.innerHTML = v.html; // cmark-gfm output without raw HTML (server/loop/markdown.hpp)
    replace(el, h('h3', {}, `${a.title} · version ${v.version}`), body);
  } catch (e) {
    replace(el, h('p', { class: 'muted' }, `The document could not be loaded: ${(e as Error).message}`));
  }
  return el;
}
