/** Plotly figure types and the pieces every chart builder shares: numbers as plain JSON, matrices, the base layout. */
import { describeValue, isArrayLikeOfNumbers } from './internal';

/** One plotly.js trace (`{type: 'scatter', x, y, ...}`): plain JSON, see https://plotly.com/javascript/reference/. */
export interface PlotlyTrace {
  type: string;
  [attribute: string]: unknown;
}

/** A plotly.js figure: traces plus layout, plain JSON (arrays, not typed arrays; null for missing numbers). */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
}

/** Title and size options every chart takes. */
export interface ChartOptions {
  /** Chart title shown above the plot (default none). */
  title?: string;
  /** x-axis title. */
  xTitle?: string;
  /** y-axis title. */
  yTitle?: string;
  /** Height in CSS pixels; figureHtml uses it for the div (default: the div's height, 450). */
  height?: number;
}

/** plotly.js's default colour cycle (D3 category10), so raw and smoothed copies of a series can share a colour. */
export const DEFAULT_COLORS: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** A matrix as nested rows, or as row-major values with its shape (e.g. a tensor's `dataSync()` and `shape`). */
export type MatrixInput = ArrayLike<number>[] | { values: ArrayLike<number>; rows: number; cols: number };

/**
 * A number for a plot: non-finite values become null (a gap; JSON has no NaN) and non-integers are rounded to
 * 9 significant digits (enough to recover any float32 exactly; float64 noise beyond that only bloats the HTML).
 */
export function plotNumber(value: number): number | null {
  if (!Number.isFinite(value)) return null;
  return Number.isInteger(value) ? value : Number(value.toPrecision(9));
}

/** Convert an array or typed array of numbers into a plain array for plotly (see plotNumber). */
export function plotNumbers(values: ArrayLike<number>, name: string, caller: string): (number | null)[] {
  if (!isArrayLikeOfNumbers(values)) {
    throw new Error(`${caller}: ${name} must be an array or typed array of numbers, got ${describeValue(values)}`);
  }
  const out = new Array<number | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = plotNumber(values[i]);
  return out;
}

/** Read a MatrixInput into float64 rows, checking it is rectangular and non-empty. @returns rows (R arrays of C numbers). */
export function matrixRows(matrix: MatrixInput, caller: string): number[][] {
  if (Array.isArray(matrix)) {
    if (matrix.length === 0) throw new Error(`${caller}: the matrix has no rows`);
    const cols = matrix[0]?.length;
    return matrix.map((row, r) => {
      if (!isArrayLikeOfNumbers(row)) throw new Error(`${caller}: matrix row ${r} must be an array of numbers, got ${describeValue(row)}`);
      if (row.length !== cols || cols === 0) throw new Error(`${caller}: matrix rows must all have ${cols} > 0 entries, row ${r} has ${row.length}`);
      return Array.from(row);
    });
  }
  if (matrix == null || typeof matrix !== 'object' || !isArrayLikeOfNumbers(matrix.values)) {
    throw new Error(`${caller}: the matrix must be an array of rows or {values, rows, cols}, got ${describeValue(matrix)}`);
  }
  const { values, rows, cols } = matrix;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0 || values.length !== rows * cols) {
    throw new Error(`${caller}: {values, rows, cols} needs positive integer rows, cols and rows·cols values, got rows ${rows}, cols ${cols}, ${values.length} values`);
  }
  const out: number[][] = [];
  for (let r = 0; r < rows; r++) out.push(Array.from({ length: cols }, (_, c) => values[r * cols + c]));
  return out;
}

/** Throw unless labels is undefined or an array of `length` distinct strings (plotly merges equal category names). */
export function checkLabels(labels: readonly string[] | undefined, length: number, name: string, caller: string): void {
  if (labels === undefined) return;
  if (!Array.isArray(labels) || labels.some((label) => typeof label !== 'string')) {
    throw new Error(`${caller}: ${name} must be an array of strings, got ${describeValue(labels)}`);
  }
  if (labels.length !== length) throw new Error(`${caller}: ${name} must have ${length} entries, got ${labels.length}`);
  if (new Set(labels).size !== labels.length) throw new Error(`${caller}: ${name} must be distinct (plotly merges equal categories)`);
}

/** The layout shared by all charts: title, axis titles, margins, optional height. Undefined options leave keys out (JSON round-trips). */
/** At most this many distinct positive values get a tick each on a log axis; more get ticks at 1, 2, 5 × 10^k. */
export const LOG_AXIS_MAX_VALUE_TICKS = 10;

/**
 * Plain tick text for a log axis: 0.05, 0.5, 8, 2,048 — never SI prefixes ("10n", "5m") and never a bare mantissa
 * (plotly's default minor labels print 0.05 and 0.5 both as "5"). Up to 15 significant digits, trailing zeros cut.
 */
export function logTickText(value: number): string {
  if (!Number.isFinite(value) || value <= 0) throw new Error(`logTickText: a log-axis tick must be a positive number, got ${describeValue(value)}`);
  if (value >= 1e6 || value < 1e-4) return value.toExponential().replace(/\.?0+e/, 'e').replace('e+', 'e');
  const text = Number(value.toPrecision(15)).toString();
  return value >= 1000 ? Number(text).toLocaleString('en-US', { maximumFractionDigits: 15 }) : text;
}

/**
 * The axis settings of a readable log axis over `values` (non-positive and null values are ignored): type 'log' and
 * explicit ticks with plain text (logTickText) — at each distinct value when there are at most
 * LOG_AXIS_MAX_VALUE_TICKS of them (a sweep over τ or N reads its own settings off the axis), otherwise at
 * 1, 2 and 5 × 10^k inside the data's range (only the powers of ten when the range spans more than three decades).
 */
export function logAxis(values: ArrayLike<number | null>): Record<string, unknown> {
  const positive = [...new Set(Array.from(values).filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0))].sort((a, b) => a - b);
  if (positive.length === 0) return { type: 'log' };
  let ticks = positive;
  if (positive.length > LOG_AXIS_MAX_VALUE_TICKS) {
    const [low, high] = [positive[0], positive[positive.length - 1]];
    const first = Math.floor(Math.log10(low));
    const last = Math.ceil(Math.log10(high));
    const mantissas = last - first > 3 ? [1] : [1, 2, 5];
    ticks = [];
    for (let k = first; k <= last; k++) {
      for (const m of mantissas) {
        const tick = Number((m * 10 ** k).toPrecision(12));
        if (tick >= low / 1.0001 && tick <= high * 1.0001) ticks.push(tick);
      }
    }
    if (ticks.length < 2) ticks = [low, high];
  }
  return { type: 'log', tickmode: 'array', tickvals: ticks, ticktext: ticks.map(logTickText), minor: { showgrid: false, ticks: '' } };
}

export function baseLayout(options: ChartOptions): Record<string, unknown> {
  const layout: Record<string, unknown> = {
    xaxis: { title: { text: options.xTitle ?? '' }, automargin: true },
    yaxis: { title: { text: options.yTitle ?? '' }, automargin: true },
    margin: { l: 60, r: 20, t: options.title ? 50 : 20, b: 50 }, // room for the title only when there is one
    hovermode: 'closest',
  };
  if (options.title) layout.title = { text: options.title };
  if (options.height !== undefined) {
    if (!Number.isFinite(options.height) || options.height <= 0) throw new Error(`chart: height must be a positive number of pixels, got ${describeValue(options.height)}`);
    layout.height = options.height;
  }
  return layout;
}
