// Downloads of the board as a standalone SVG or PNG (the same markup as the canvas, from
// render.ts). UI thread only.

import { h } from '../lib/dom';
import type { BoardModel } from './model';
import { exportSvg } from './render';

export function svgDocument(model: BoardModel): string {
  return exportSvg(model.all(), model.lookup).svg;
}

export async function pngBlob(model: BoardModel, scale = 2): Promise<Blob> {
  const { svg, width, height } = exportSvg(model.all(), model.lookup);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = width * scale;
  canvas.height = height * scale;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export failed'))), 'image/png'));
}

export function download(blob: Blob, name: string): void {
  const a = h('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}
