// Text layout for the board: measures text with ONE table of advance widths
// (data/font_widths.json, measured once in chromium, read by the server too) and breaks
// it into lines. The server's server/loop/board_text.cpp is a line-for-line port: every
// width is an integer sum of 1/1000-em advances scaled once, so both sides break the same
// text at the same places. The renderers pin each line's drawn width to the table's
// (SVG textLength), so a machine with a different font still keeps text inside its box.

import table from './data/font_widths.json';

export const FONT_FAMILY: string = table.fontFamily;
/** Line height as a multiple of the font size. */
export const LINE_HEIGHT = 1.25;
/** Baseline of a line, below the line's top, as a multiple of the font size. */
export const BASELINE = 0.975;
/** Text beyond this many code points is not laid out (the doc keeps it). */
export const MAX_TEXT_CODEPOINTS = 4000;
/** Lines beyond this many are dropped. */
export const MAX_LINES = 200;

const advances = new Map<number, number>(Object.entries(table.advances).map(([k, v]) => [Number(k), v as number]));

/** East Asian wide characters and emoji: one em each. */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** Advance of one code point in 1/1000 em. */
export function advance(cp: number): number {
  return advances.get(cp) ?? (isWide(cp) ? table.wide : table.fallback);
}

export function measureUnits(s: string): number {
  let u = 0;
  for (const ch of s) u += advance(ch.codePointAt(0)!);
  return u;
}

export function unitsToWidth(units: number, fontSize: number): number {
  return (units * fontSize) / 1000;
}

export function textWidth(s: string, fontSize: number): number {
  return unitsToWidth(measureUnits(s), fontSize);
}

/** Cuts `text` to MAX_TEXT_CODEPOINTS code points and drops carriage returns. */
export function clampText(text: string): string {
  const cps = Array.from(text.replace(/\r/g, ''));
  return cps.length > MAX_TEXT_CODEPOINTS ? cps.slice(0, MAX_TEXT_CODEPOINTS).join('') : cps.join('');
}

/**
 * Breaks `text` into lines no wider than `maxWidth` at `fontSize`: paragraphs at `\n`,
 * greedy word wrap at spaces (the space at a break is dropped), and a word wider than a
 * line is broken between characters. `maxWidth = Infinity` breaks at `\n` only.
 */
export function wrapText(text: string, fontSize: number, maxWidth: number): string[] {
  // Every read of a shape lays its text out (readShape fits the box), so a board being
  // dragged asks for the same wraps again and again: remember the recent ones.
  if (text.length > WRAP_CACHE_MAX_TEXT) return wrapUncached(text, fontSize, maxWidth);
  const key = `${fontSize}|${maxWidth}|${text}`;
  const hit = wrapCache.get(key);
  if (hit) return hit.slice();
  const lines = wrapUncached(text, fontSize, maxWidth);
  if (wrapCache.size >= WRAP_CACHE_ENTRIES) wrapCache.delete(wrapCache.keys().next().value!);
  wrapCache.set(key, lines);
  return lines.slice();
}

/** Wraps remembered by wrapText (oldest dropped first). */
export const WRAP_CACHE_ENTRIES = 4096;
/** Longer texts are not remembered (bounds the cache at about 4096 x 1,000 characters). */
export const WRAP_CACHE_MAX_TEXT = 1000;
const wrapCache = new Map<string, string[]>();

function wrapUncached(text: string, fontSize: number, maxWidth: number): string[] {
  const fits = (units: number) => unitsToWidth(units, fontSize) <= maxWidth;
  const space = advance(32);
  const out: string[] = [];
  for (const para of clampText(text).split('\n')) {
    let line: string | null = null;
    let lineUnits = 0;
    for (const word of para.split(' ')) {
      const wordUnits = measureUnits(word);
      if (line !== null && fits(lineUnits + space + wordUnits)) {
        line += ' ' + word;
        lineUnits += space + wordUnits;
        continue;
      }
      if (line !== null) out.push(line);
      if (fits(wordUnits)) {
        line = word;
        lineUnits = wordUnits;
        continue;
      }
      let cur = '';
      let curUnits = 0;
      for (const ch of word) {
        const a = advance(ch.codePointAt(0)!);
        if (cur !== '' && !fits(curUnits + a)) {
          out.push(cur);
          cur = '';
          curUnits = 0;
        }
        cur += ch;
        curUnits += a;
      }
      line = cur;
      lineUnits = curUnits;
    }
    out.push(line ?? '');
    if (out.length >= MAX_LINES) break;
  }
  return out.slice(0, MAX_LINES);
}
