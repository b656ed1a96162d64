/** Captions on image grids: an SVG text layer rendered by sharp (librsvg + the system's fonts) and blended in. */
import sharp from 'sharp';
import type { RgbImage } from './images';

/** Where a grid's cells and captions are (output pixels). */
export interface GridLayout {
  width: number;
  height: number;
  cellWidth: number;
  cellHeight: number;
  /** Height of the caption band under each cell (0 without labels). */
  captionBand: number;
  /** Width of the row-label band on the left (0 without row labels). */
  rowLabelBand: number;
  rows: number;
  /** Gap between cells and around the grid. */
  padding: number;
  /** Top-left corner of each image. */
  cells: { x: number; y: number }[];
  labels: string[];
  rowLabels: string[];
  fontSize: number;
}

/** Average advance of a sans-serif glyph as a fraction of the font size (for truncating captions to their cell). */
const GLYPH_WIDTH = 0.6;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** Shorten text to at most `room` characters, marking the cut with '…'. */
export function truncateLabel(text: string, room: number): string {
  if (text.length <= room) return text;
  return room <= 1 ? text.slice(0, Math.max(room, 0)) : `${text.slice(0, room - 1)}…`;
}

/** The SVG (layout.width × layout.height, transparent) holding every caption, or undefined when there are none. */
export function labelsSvg(layout: GridLayout, color: string): string | undefined {
  const { cells, labels, rowLabels, fontSize, cellWidth, cellHeight, captionBand, rowLabelBand } = layout;
  const texts: string[] = [];
  const room = Math.max(1, Math.floor(cellWidth / (fontSize * GLYPH_WIDTH)));
  labels.forEach((label, k) => {
    if (!label || k >= cells.length) return; // a caption without a cell has nowhere to go
    const x = cells[k].x + cellWidth / 2;
    const y = cells[k].y + cellHeight + Math.round(fontSize * 1.1); // baseline inside the caption band
    texts.push(`<text x="${x}" y="${y}" text-anchor="middle">${escapeXml(truncateLabel(label, room))}</text>`);
  });
  rowLabels.forEach((label, r) => {
    if (!label) return;
    const top = layout.padding + r * (cellHeight + captionBand + layout.padding);
    const y = top + Math.round(cellHeight / 2 + fontSize * 0.35); // baseline near the row's middle
    texts.push(`<text x="${rowLabelBand - 4}" y="${y}" text-anchor="end">${escapeXml(label)}</text>`);
  });
  if (texts.length === 0) return undefined;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}">` +
    `<g font-family="DejaVu Sans, Arial, Helvetica, sans-serif" font-size="${fontSize}" fill="${color}">${texts.join('')}</g></svg>`;
}

/** Draw the layout's captions onto the image in place (alpha-blended); no-op without captions. */
export async function drawLabels(image: RgbImage, layout: GridLayout, color: string): Promise<void> {
  const svg = labelsSvg(layout, color);
  if (svg === undefined) return;
  const { data, info } = await sharp(Buffer.from(svg)).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== image.width || info.height !== image.height || info.channels !== 4) {
    throw new Error(`imageGridPng: the caption layer rendered as ${info.width} × ${info.height} × ${info.channels}, expected ${image.width} × ${image.height} × 4`);
  }
  const out = image.pixels;
  for (let i = 0, j = 0; i < out.length; i += 3, j += 4) {
    const alpha = data[j + 3] / 255;
    if (alpha === 0) continue;
    for (let k = 0; k < 3; k++) out[i + k] = Math.round(alpha * data[j + k] + (1 - alpha) * out[i + k]);
  }
}
