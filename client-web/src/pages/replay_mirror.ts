// A local Y.Doc that mirrors the board and code pad of a round as the server rebuilt them at
// one moment (GET .../state?at=, docs/board-model.md JSON), so the replay page can show them
// with the room's own renderers (BoardView and CodePad, read-only). apply() changes only what
// differs from the previous moment, so the views update like a live room instead of being
// rebuilt. Nothing here is ever sent anywhere. UI thread only.

import * as Y from 'yjs';

export interface ReplayState {
  atMs: number;
  board: { version?: number; shapes?: Record<string, Record<string, unknown>> };
  code: { text: string; language: string };
  timer: { phaseIndex: number; phaseName: string; status: string; remainingMs: number; overtime: boolean };
  question: { id: string; title: string } | null;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class ReplayMirror {
  readonly doc = new Y.Doc();

  apply(s: ReplayState): void {
    this.doc.transact(() => {
      const board = this.doc.getMap('board');
      if (board.get('version') !== (s.board.version ?? 1)) board.set('version', s.board.version ?? 1);
      let shapes = board.get('shapes') as Y.Map<Y.Map<unknown>> | undefined;
      if (!shapes) {
        shapes = new Y.Map();
        board.set('shapes', shapes);
      }
      const want = s.board.shapes ?? {};
      for (const id of [...shapes.keys()]) if (!(id in want)) shapes.delete(id);
      for (const [id, fields] of Object.entries(want)) {
        let m = shapes.get(id);
        if (!m) {
          m = new Y.Map();
          for (const [k, v] of Object.entries(fields)) m.set(k, v);
          shapes.set(id, m);
          continue;
        }
        for (const k of [...m.keys()]) if (!(k in fields)) m.delete(k);
        for (const [k, v] of Object.entries(fields)) if (!same(m.get(k), v)) m.set(k, v);
      }
      const code = this.doc.getText('code');
      const text = code.toString();
      if (text !== s.code.text) {
        // The common prefix and suffix stay, so the editor keeps its scroll position.
        let p = 0;
        while (p < text.length && p < s.code.text.length && text[p] === s.code.text[p]) ++p;
        let q = 0;
        while (q < text.length - p && q < s.code.text.length - p && text[text.length - 1 - q] === s.code.text[s.code.text.length - 1 - q]) ++q;
        code.delete(p, text.length - p - q);
        code.insert(p, s.code.text.slice(p, s.code.text.length - q));
      }
      const pad = this.doc.getMap('codepad');
      if (pad.get('language') !== s.code.language) pad.set('language', s.code.language);
    });
  }
}
