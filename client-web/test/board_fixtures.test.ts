// The shared board fixtures (tests/fixtures/board/*.json): the client's layout must equal
// each fixture's `expect`; the server's tests/loop/board_layout_test.cpp checks the same
// files. BOARD_FIXTURES_UPDATE=1 rewrites `expect` from this implementation (then read it).
import { describe, expect, it } from 'vitest';
import { layoutBoardJson, shapesFromJson } from '../src/board/board_json';
import { renderShape } from '../src/board/render';
import type { ShapeLayout } from '../src/board/layout';

// Node's fs without @types/node (the client's tsconfig has browser types only).
const fs = (await import(/* @vite-ignore */ 'node:' + 'fs')) as {
  readdirSync(p: URL): string[];
  readFileSync(p: URL, enc: 'utf8'): string;
  writeFileSync(p: URL, s: string): void;
};
const dir = new URL('../../tests/fixtures/board/', import.meta.url);
const env = (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env ?? {};

/** One shape / one layout per line, so a fixture diff reads like a table. */
function fixtureJson(fx: { name: string; board: Record<string, unknown>; expect: unknown[]; markup: string[] }): string {
  const board = Object.entries(fx.board).map(([k, v]) => {
    if (k !== 'shapes' || !v || typeof v !== 'object') return `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`;
    const shapes = Object.entries(v).map(([id, s]) => `   ${JSON.stringify(id)}: ${JSON.stringify(s)}`);
    return `  "shapes": {\n${shapes.join(',\n')}\n  }`;
  });
  return `{\n "name": ${JSON.stringify(fx.name)},\n "board": {\n${board.join(',\n')}\n },\n "expect": [\n${fx.expect.map((e) => '  ' + JSON.stringify(e)).join(',\n')}\n ],\n "markup": [\n${fx.markup.map((e) => '  ' + JSON.stringify(e)).join(',\n')}\n ]\n}\n`;
}
const r3 = (v: number) => Math.round(v * 1000) / 1000;

/** The canonical fixture form of a layout (same keys the C++ test writes). */
function canonical(l: ShapeLayout): Record<string, unknown> {
  const o: Record<string, unknown> = {
    id: l.id, type: l.type, box: [l.box.x, l.box.y, l.box.w, l.box.h].map(r3),
    stroke: l.stroke, fill: l.fill, strokeWidth: r3(l.strokeWidth), dash: l.dash,
  };
  if (l.path) o.path = l.path.map(r3);
  if (l.heads) o.heads = l.heads;
  if (l.kind) o.kind = l.kind;
  if (l.text) {
    o.text = { fontSize: r3(l.text.fontSize), anchor: l.text.anchor, color: l.text.color, lines: l.text.lines.map((x) => [x.text, r3(x.x), r3(x.y), r3(x.w)]) };
  }
  return o;
}

/** Deep equality with numbers within 0.001. */
function close(a: unknown, b: unknown, path: string): string | undefined {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-3 ? undefined : `${path}: ${a} != ${b}`;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: length ${a.length} != ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = close(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return `${path}: keys ${ka} != ${kb}`;
    for (const k of ka) {
      const d = close((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return a === b ? undefined : `${path}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`;
}

describe('shared board fixtures', () => {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  it('finds the fixture set', () => expect(files.length).toBeGreaterThanOrEqual(4));
  for (const f of files) {
    it(f, () => {
      const fx = JSON.parse(fs.readFileSync(new URL(f, dir), 'utf8'));
      const got = layoutBoardJson(fx.board).map(canonical);
      const shapes = shapesFromJson(fx.board);
      const byId = new Map(shapes.map((x) => [x.id, x]));
      const markup = shapes.map((x) => renderShape(x, (id) => byId.get(id)));
      if (env.BOARD_FIXTURES_UPDATE) {
        fx.expect = got;
        fx.markup = markup;
        fs.writeFileSync(new URL(f, dir), fixtureJson(fx));
      }
      expect(close(got, fx.expect, 'expect')).toBeUndefined();
      // The exact SVG of every shape: tests/loop/board_layout_test.cpp checks the server writes the same bytes.
      expect(markup).toEqual(fx.markup);
    });
  }
});
