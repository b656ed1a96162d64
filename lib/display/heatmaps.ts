/** Heatmap figure specs for plotly.js: any matrix, cosine-similarity matrices, confusion matrices with class names. */
import { ChartOptions, MatrixInput, PlotlyFigure, PlotlyTrace, baseLayout, checkLabels, matrixRows, plotNumber } from './figureBase';
import { checkNonNegativeInteger, describeValue } from './internal';
import { withDefaults } from '../options';

/** A plotly colour scale: a named one ('Viridis', 'Blues', 'RdBu', …) or [[0, colour], …, [1, colour]]. */
export type Colorscale = string | [number, string][];

export interface HeatmapOptions extends ChartOptions {
  /** Column names (default: column indices 0 … C−1 on a numeric axis). */
  xLabels?: string[];
  /** Row names (default: row indices). */
  yLabels?: string[];
  /** Print each cell's value in it; 'auto' prints when the matrix has at most ANNOTATE_AUTO_MAX_CELLS cells. */
  annotate?: boolean | 'auto';
  /** Decimals of printed values. */
  decimals?: number;
  colorscale?: Colorscale;
  /** Flip the colour scale (e.g. 'RdBu' reversed puts red on high values). */
  reverseScale?: boolean;
  /** Colour range; default: the data's range. */
  zmin?: number;
  zmax?: number;
  /** Equal cell width and height (the matrix looks like a matrix). */
  square?: boolean;
  /** Title of the colour bar. */
  colorbarTitle?: string;
}

/** ColorBrewer RdBu as a plotly scale from −1 (blue) through white (0) to +1 (red); plotly's named 'RdBu' has a grey middle. */
export const DIVERGING_COLORSCALE: [number, string][] = [[0, '#2166ac'], [0.25, '#92c5de'], [0.5, '#f7f7f7'], [0.75, '#f4a582'], [1, '#b2182b']];

/** ColorBrewer Blues, light (low) to dark (high); plotly's named 'Blues' runs the other way. */
export const SEQUENTIAL_BLUES: [number, string][] = [[0, '#f7fbff'], [0.25, '#c6dbef'], [0.5, '#6baed6'], [0.75, '#2171b5'], [1, '#08306b']];

/** Above this many cells, 'auto' annotation is off (the numbers would not fit in the cells). */
export const ANNOTATE_AUTO_MAX_CELLS = 225; // 15 × 15

export const HEATMAP_DEFAULTS = {
  annotate: 'auto' as boolean | 'auto', // readable numbers on small matrices, clean colour on large ones
  decimals: 2, // two decimals fit in a cell
  colorscale: 'Viridis' as Colorscale, // perceptually uniform, readable in grey
  reverseScale: false,
  square: true, // a matrix, not a stretched image
  colorbarTitle: '',
};

/**
 * Heatmap of a matrix with row 0 at the top (as the matrix is printed), optional row/column names and printed
 * values. @param matrix (R, C) rows, or {values (R·C row-major), rows, cols}. @returns one 'heatmap' trace with z (R, C).
 */
export function heatmap(matrix: MatrixInput, options?: HeatmapOptions): PlotlyFigure {
  const caller = 'heatmap';
  const settings = withDefaults(HEATMAP_DEFAULTS, options);
  const rows = matrixRows(matrix, caller);
  const rowCount = rows.length;
  const colCount = rows[0].length;
  checkLabels(options?.xLabels, colCount, 'xLabels', caller);
  checkLabels(options?.yLabels, rowCount, 'yLabels', caller);
  const decimals = checkNonNegativeInteger(settings.decimals, 'decimals', caller);
  const annotate = settings.annotate === 'auto' ? rowCount * colCount <= ANNOTATE_AUTO_MAX_CELLS : settings.annotate;
  if (typeof annotate !== 'boolean') throw new Error(`${caller}: annotate must be true, false or 'auto', got ${describeValue(settings.annotate)}`);
  const z = rows.map((row) => row.map(plotNumber));
  const xName = options?.xTitle || 'column';
  const yName = options?.yTitle || 'row';
  const trace: PlotlyTrace = {
    type: 'heatmap',
    z,
    colorscale: typeof settings.colorscale === 'string' ? settings.colorscale : settings.colorscale.map(([at, color]) => [at, color]),
    reversescale: settings.reverseScale,
    hovertemplate: `${yName} %{y}<br>${xName} %{x}<br>value %{z}<extra></extra>`,
    colorbar: { title: { text: settings.colorbarTitle } },
  };
  if (options?.xLabels) trace.x = [...options.xLabels];
  if (options?.yLabels) trace.y = [...options.yLabels];
  if (options?.zmin !== undefined) trace.zmin = options.zmin;
  if (options?.zmax !== undefined) trace.zmax = options.zmax;
  if (annotate) {
    trace.text = z.map((row) => row.map((v) => (v === null ? '' : v.toFixed(decimals))));
    trace.texttemplate = '%{text}'; // plotly picks a contrasting font colour per cell
  }
  const layout = baseLayout(options ?? {});
  const xaxis = layout.xaxis as Record<string, unknown>;
  const yaxis = layout.yaxis as Record<string, unknown>;
  yaxis.autorange = 'reversed'; // row 0 at the top
  if (options?.xLabels) xaxis.type = 'category';
  if (options?.yLabels) yaxis.type = 'category';
  if (settings.square) {
    yaxis.scaleanchor = 'x';
    xaxis.constrain = 'domain';
    yaxis.constrain = 'domain';
  }
  return { data: [trace], layout };
}

/**
 * Heatmap of cosine similarities in [−1, 1]: fixed colour range (so runs compare), red high, blue low, white at 0
 * (DIVERGING_COLORSCALE).
 * @param matrix (R, C) similarities, e.g. normalize(z) · normalize(z)ᵀ for 2N embeddings.
 */
export function similarityHeatmap(matrix: MatrixInput, options?: HeatmapOptions): PlotlyFigure {
  return heatmap(matrix, {
    colorscale: DIVERGING_COLORSCALE, zmin: -1, zmax: 1, xTitle: 'sample', yTitle: 'sample', colorbarTitle: 'cosine', ...definedOnly(options),
  });
}

export interface ConfusionMatrixOptions extends ChartOptions {
  /** 'rows': colour and print each row's fractions (per-class recall); 'none': raw counts. */
  normalize?: 'rows' | 'none';
  /** Print values in the cells. */
  annotate?: boolean | 'auto';
  decimals?: number;
}

/**
 * Confusion matrix: rows are true classes, columns predicted classes, entry (i, j) = how many of class i were
 * predicted j. Normalised by rows, entry (i, i) is the recall of class i; rows with no samples show as gaps.
 * Hover shows the count and the fraction. @param counts (K, K) non-negative counts. @param classNames K distinct names.
 */
export function confusionMatrixChart(counts: MatrixInput, classNames: string[], options?: ConfusionMatrixOptions): PlotlyFigure {
  const caller = 'confusionMatrixChart';
  const rows = matrixRows(counts, caller);
  const k = rows.length;
  if (rows[0].length !== k) throw new Error(`${caller}: counts must be square (K, K), got (${k}, ${rows[0].length})`);
  checkLabels(classNames, k, 'classNames', caller);
  rows.forEach((row, i) => row.forEach((v, j) => {
    if (!(v >= 0) || !Number.isFinite(v)) throw new Error(`${caller}: counts must be finite and ≥ 0, entry (${i}, ${j}) is ${v}`);
  }));
  const normalize = options?.normalize ?? 'rows'; // per-class recall is what a reader compares across classes
  if (normalize !== 'rows' && normalize !== 'none') throw new Error(`${caller}: normalize must be 'rows' or 'none', got ${describeValue(normalize)}`);
  const shown = normalize === 'rows'
    ? rows.map((row) => { const total = row.reduce((a, b) => a + b, 0); return row.map((v) => (total > 0 ? v / total : NaN)); })
    : rows;
  const figure = heatmap(shown, {
    xTitle: 'predicted', yTitle: 'true', colorscale: SEQUENTIAL_BLUES, zmin: 0, zmax: normalize === 'rows' ? 1 : undefined,
    colorbarTitle: normalize === 'rows' ? 'fraction of row' : 'count', decimals: normalize === 'rows' ? 2 : 0,
    ...definedOnly(options), xLabels: classNames, yLabels: classNames,
  });
  const trace = figure.data[0];
  trace.customdata = rows.map((row) => row.map(plotNumber)); // raw counts for the hover text
  trace.hovertemplate = 'true %{y}<br>predicted %{x}<br>count %{customdata}<br>' + (normalize === 'rows' ? 'fraction %{z:.3f}' : '') + '<extra></extra>';
  return figure;
}

/** Copy of an options object without its undefined values (so spreading it keeps the caller's defaults). */
function definedOnly<T extends object>(options: T | undefined): Partial<T> {
  const out: Partial<T> = {};
  if (options) for (const [key, value] of Object.entries(options)) if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  return out;
}
