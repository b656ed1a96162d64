/**
 * A line chart as a small static SVG: the frames of a live chart while it updates. JupyterLab keeps the first
 * drawing of a plotly output when update_display_data replaces its data (jupyterlab-plotly 7.1 re-renders only a
 * new output), so a live chart's intermediate states are sent as SVG pictures, and its final state as the plotly
 * figure (see showLive).
 */
import { DEFAULT_COLORS, PlotlyFigure } from './figureBase';
import { escapeHtml } from './internal';

export interface SketchOptions {
  /** Picture size in pixels. */
  width?: number;
  height?: number;
}

/** Margins of the plot area: room for the title, the y labels and the legend. */
const MARGIN = { left: 56, right: 16, top: 30, bottom: 36 };

/** A number for an axis label: 3 significant digits. */
function label(value: number): string {
  return Number(value.toPrecision(3)).toString();
}

/**
 * The figure's line traces (type 'scatter' with numeric x and y; others are left out) as an SVG: one polyline per
 * trace in its colour on a shared linear scale (x and y ranges from the data), the title, the axes' extreme values
 * and a legend of the trace names. Gaps (null) break a line. @returns SVG text.
 */
export function figureSketchSvg(figure: PlotlyFigure, options: SketchOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? (typeof figure.layout.height === 'number' ? figure.layout.height : 360);
  const lines = figure.data
    .filter((trace) => trace.type === 'scatter' && Array.isArray(trace.y))
    .map((trace, index) => {
      const y = trace.y as (number | null)[];
      const x = Array.isArray(trace.x) ? (trace.x as (number | null)[]) : y.map((_, i) => i);
      const line = trace.line as { color?: string } | undefined;
      return { name: String(trace.name ?? ''), color: line?.color ?? DEFAULT_COLORS[index % DEFAULT_COLORS.length], x, y };
    });
  const xs = lines.flatMap((l) => l.x).filter((v): v is number => typeof v === 'number');
  const ys = lines.flatMap((l) => l.y).filter((v): v is number => typeof v === 'number');
  const [x0, x1] = xs.length ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  const [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1];
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const px = (v: number) => MARGIN.left + (x1 > x0 ? ((v - x0) / (x1 - x0)) * plotWidth : plotWidth / 2);
  const py = (v: number) => MARGIN.top + (y1 > y0 ? (1 - (v - y0) / (y1 - y0)) * plotHeight : plotHeight / 2);
  const paths = lines.map((l) => {
    let d = '';
    let pen = 'M';
    l.x.forEach((xv, i) => {
      const yv = l.y[i];
      if (typeof xv !== 'number' || typeof yv !== 'number') { pen = 'M'; return; }
      d += `${pen}${px(xv).toFixed(1)},${py(yv).toFixed(1)}`;
      pen = 'L';
    });
    return d ? `<path d="${d}" fill="none" stroke="${escapeHtml(l.color)}" stroke-width="2"/>` : '';
  });
  const title = (figure.layout.title as { text?: string } | undefined)?.text ?? '';
  const legend = lines.map((l, i) => `<text x="${width - MARGIN.right}" y="${MARGIN.top + 14 + 14 * i}" text-anchor="end" fill="${escapeHtml(l.color)}">${escapeHtml(l.name)}</text>`);
  const texts = [
    `<text x="${width / 2}" y="18" text-anchor="middle" font-size="14">${escapeHtml(title)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + 4}" text-anchor="end">${label(y1)}</text>`,
    `<text x="${MARGIN.left - 6}" y="${MARGIN.top + plotHeight}" text-anchor="end">${label(y0)}</text>`,
    `<text x="${MARGIN.left}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${label(x0)}</text>`,
    `<text x="${MARGIN.left + plotWidth}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${label(x1)}</text>`,
    ...legend,
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotWidth}" height="${plotHeight}" fill="none" stroke="#ccc"/>` +
    paths.join('') + texts.join('') + '</svg>';
}
