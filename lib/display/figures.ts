/** Chart builders that return plotly.js figure specs as plain JSON: lines, shared-x curves, grouped bars, labelled scatter. */
import { ChartOptions, DEFAULT_COLORS, PlotlyFigure, PlotlyTrace, baseLayout, checkLabels, logAxis, plotNumbers } from './figureBase';
import { describeValue } from './internal';
import { withDefaults } from '../options';

/** One named series of a line chart. x defaults to 0, 1, …, y.length − 1. */
export interface LineSeries {
  name: string;
  y: ArrayLike<number>;
  x?: ArrayLike<number>;
  /** Draw on a second y axis on the right (e.g. the learning rate beside the loss). */
  rightAxis?: boolean;
  dash?: 'solid' | 'dash' | 'dot' | 'dashdot';
  /** ± error bar half-widths, one per point (e.g. two standard errors of an accuracy); drawn as vertical bars. */
  errors?: ArrayLike<number>;
}

export interface LineChartOptions extends ChartOptions {
  /** Title of the right-hand y axis (used when a series has rightAxis). */
  y2Title?: string;
  logX?: boolean;
  logY?: boolean;
  /** EMA smoothing β in [0, 1): 0 draws the raw series; β > 0 draws the smoothed series over a faint raw one. */
  smoothing?: number;
  /** Draw a marker at every point. */
  markers?: boolean;
  /** Title of the legend (e.g. 'τ'). */
  legendTitle?: string;
}

export const LINE_CHART_DEFAULTS: Required<Omit<LineChartOptions, 'title' | 'height' | 'legendTitle'>> = {
  xTitle: 'step', // loss curves are the common case
  yTitle: '',
  y2Title: '',
  logX: false,
  logY: false,
  smoothing: 0, // show the data as it is unless asked
  markers: false, // thousands of steps: markers would hide the line
};

/**
 * Exponential moving average with bias correction (TensorBoard's smoothing): s_t = β s_{t−1} + (1 − β) y_t,
 * reported as s_t / (1 − β^k) after k finite values, so the start is not pulled towards 0. Non-finite y are
 * skipped (their output is NaN). @param smoothing β in [0, 1). @returns a Float64Array of the same length.
 */
export function exponentialMovingAverage(values: ArrayLike<number>, smoothing: number): Float64Array {
  if (!(smoothing >= 0 && smoothing < 1)) throw new Error(`exponentialMovingAverage: smoothing must be in [0, 1), got ${describeValue(smoothing)}`);
  const out = new Float64Array(values.length);
  let average = 0;
  let weight = 0; // 1 − β^k, the bias correction
  for (let i = 0; i < values.length; i++) {
    const y = values[i];
    if (!Number.isFinite(y)) { out[i] = NaN; continue; }
    average = smoothing * average + (1 - smoothing) * y;
    weight = smoothing * weight + (1 - smoothing);
    out[i] = average / weight;
  }
  return out;
}

/**
 * Line chart of several named series (loss curves: loss vs step or epoch). With smoothing β > 0 each series is
 * drawn twice in one colour: raw (faint, no legend entry) and EMA-smoothed (see exponentialMovingAverage).
 * @returns a PlotlyFigure with one trace per series (two with smoothing), type 'scatter', mode 'lines'.
 */
export function lineChart(series: LineSeries[], options?: LineChartOptions): PlotlyFigure {
  const settings = withDefaults(LINE_CHART_DEFAULTS, options);
  const caller = 'lineChart';
  if (!Array.isArray(series) || series.length === 0) throw new Error(`${caller}: series must be a non-empty array of {name, y}, got ${describeValue(series)}`);
  exponentialMovingAverage([], settings.smoothing); // validates smoothing
  const data: PlotlyTrace[] = [];
  series.forEach((line, index) => {
    if (line == null || typeof line.name !== 'string') throw new Error(`${caller}: series ${index} needs a string name, got ${describeValue(line?.name)}`);
    const y = plotNumbers(line.y, `series '${line.name}' y`, caller);
    const x = line.x === undefined ? y.map((_, i) => i) : plotNumbers(line.x, `series '${line.name}' x`, caller);
    if (x.length !== y.length) throw new Error(`${caller}: series '${line.name}' has ${x.length} x values and ${y.length} y values`);
    const color = DEFAULT_COLORS[index % DEFAULT_COLORS.length];
    const common: Record<string, unknown> = { type: 'scatter', x, legendgroup: line.name };
    if (line.rightAxis) common.yaxis = 'y2';
    const lineStyle = { color, width: 2, dash: line.dash ?? 'solid' };
    const mode = settings.markers ? 'lines+markers' : 'lines';
    if (line.errors !== undefined) {
      const errors = plotNumbers(line.errors, `series '${line.name}' errors`, caller);
      if (errors.length !== y.length) throw new Error(`${caller}: series '${line.name}' has ${errors.length} error bars and ${y.length} y values`);
      common.error_y = { type: 'data', array: errors, visible: true, color, thickness: 1.5, width: 4 };
    }
    if (settings.smoothing > 0) {
      data.push({ ...common, type: 'scatter', name: `${line.name} (raw)`, y, mode, line: { ...lineStyle, width: 1 }, opacity: 0.3, showlegend: false, hoverinfo: 'skip' });
      const smooth = plotNumbers(exponentialMovingAverage(line.y, settings.smoothing), 'smoothed y', caller);
      data.push({ ...common, type: 'scatter', name: line.name, y: smooth, mode, line: lineStyle });
    } else {
      data.push({ ...common, type: 'scatter', name: line.name, y, mode, line: lineStyle });
    }
  });
  const layout = baseLayout({ ...settings, title: options?.title, height: options?.height });
  if (settings.logX) Object.assign(layout.xaxis as Record<string, unknown>, logAxis(data.flatMap((trace) => trace.x as (number | null)[])));
  if (settings.logY) Object.assign(layout.yaxis as Record<string, unknown>, logAxis(data.filter((trace) => trace.yaxis !== 'y2').flatMap((trace) => trace.y as (number | null)[])));
  if (series.some((line) => line.rightAxis)) {
    layout.yaxis2 = { title: { text: settings.y2Title }, overlaying: 'y', side: 'right', automargin: true };
  }
  const legend: Record<string, unknown> = {};
  if (options?.legendTitle) legend.title = { text: options.legendTitle };
  if (series.some((line) => line.rightAxis)) legend.x = 1.12; // clear of the right axis's tick labels
  if (Object.keys(legend).length > 0) layout.legend = legend;
  return { data, layout };
}

/**
 * Several curves over one shared x (temperature curves: e.g. softmax weight vs cosine similarity for τ = 0.1, 0.5, 1).
 * @param x (P,) shared abscissa. @param curves each {name, y (P,)}. @returns a lineChart figure (xTitle defaults to 'x').
 */
export function multiLineChart(x: ArrayLike<number>, curves: { name: string; y: ArrayLike<number>; dash?: LineSeries['dash'] }[], options?: LineChartOptions): PlotlyFigure {
  if (!Array.isArray(curves) || curves.length === 0) throw new Error(`multiLineChart: curves must be a non-empty array of {name, y}, got ${describeValue(curves)}`);
  plotNumbers(x, 'x', 'multiLineChart');
  return lineChart(curves.map((curve) => ({ ...curve, x })), { ...options, xTitle: options?.xTitle ?? 'x' });
}

/** One series of a bar chart: one value per category (and optional ± error bar half-widths). */
export interface BarSeries {
  name: string;
  values: ArrayLike<number>;
  errors?: ArrayLike<number>;
}

export interface BarChartOptions extends ChartOptions {
  /** Print each bar's value on it. */
  showValues?: boolean;
  /** Decimals of printed values. */
  decimals?: number;
  /** Fixed y range [min, max] (e.g. [0, 1] for accuracies); default: plotly's autorange. */
  yRange?: [number, number];
  /** Dashed horizontal reference lines across the chart (e.g. chance level 0.1). */
  referenceLines?: { value: number; label: string }[];
}

export const BAR_CHART_DEFAULTS = {
  showValues: true, // probe accuracies are read as numbers, not just compared by height
  decimals: 3, // accuracy to 0.1 %
};

/**
 * Grouped bar chart: categories along x, one bar per series in each group (probe accuracies of h, z, random
 * encoder, raw pixels; or several runs side by side). @returns one 'bar' trace per series, layout.barmode 'group'.
 */
export function barChart(categories: string[], series: BarSeries[], options?: BarChartOptions): PlotlyFigure {
  const caller = 'barChart';
  checkLabels(categories, Array.isArray(categories) ? categories.length : 0, 'categories', caller);
  if (categories.length === 0) throw new Error(`${caller}: categories must not be empty`);
  if (!Array.isArray(series) || series.length === 0) throw new Error(`${caller}: series must be a non-empty array of {name, values}, got ${describeValue(series)}`);
  const { showValues, decimals } = withDefaults(BAR_CHART_DEFAULTS, options);
  const data: PlotlyTrace[] = series.map((bars) => {
    const values = plotNumbers(bars.values, `series '${bars.name}' values`, caller);
    if (values.length !== categories.length) throw new Error(`${caller}: series '${bars.name}' has ${values.length} values for ${categories.length} categories`);
    const trace: PlotlyTrace = { type: 'bar', name: bars.name, x: [...categories], y: values };
    if (bars.errors !== undefined) {
      const errors = plotNumbers(bars.errors, `series '${bars.name}' errors`, caller);
      if (errors.length !== values.length) throw new Error(`${caller}: series '${bars.name}' has ${errors.length} errors for ${values.length} values`);
      trace.error_y = { type: 'data', array: errors, visible: true };
    }
    if (showValues) {
      trace.text = values.map((v) => (v === null ? '' : v.toFixed(decimals)));
      trace.textposition = 'outside';
    }
    return trace;
  });
  const layout = baseLayout(options ?? {});
  layout.barmode = 'group';
  (layout.xaxis as Record<string, unknown>).type = 'category';
  if (options?.yRange) (layout.yaxis as Record<string, unknown>).range = [...options.yRange];
  if (options?.referenceLines?.length) {
    layout.shapes = options.referenceLines.map((line) => ({
      type: 'line', xref: 'paper', x0: 0, x1: 1, yref: 'y', y0: line.value, y1: line.value, line: { dash: 'dash', color: '#555', width: 1 },
    }));
    layout.annotations = options.referenceLines.map((line) => ({
      xref: 'paper', x: 1, xanchor: 'right', yref: 'y', y: line.value, yanchor: 'bottom', text: line.label, showarrow: false,
    }));
  }
  return { data, layout };
}

export interface ScatterByLabelOptions extends ChartOptions {
  /** Legend names, indexed by label (default 'class k'). */
  classNames?: readonly string[];
  /** Marker diameter in pixels. */
  markerSize?: number;
  opacity?: number;
  /** Draw with WebGL ('scattergl'): fast for tens of thousands of points, needs WebGL in the browser. */
  webgl?: boolean;
}

export const SCATTER_BY_LABEL_DEFAULTS = {
  xTitle: 'PC 1', // the usual input is pca2d's output
  yTitle: 'PC 2',
  markerSize: 5, // visible at a few thousand points
  opacity: 0.7, // overlapping classes stay readable
  webgl: false, // SVG renders everywhere, including static HTML exports
};

/**
 * 2-D scatter coloured by class, one trace (and legend entry) per label present, in label order (embedding scatter).
 * @param coordinates (N, 2) row-major x, y pairs (pca2d's `coordinates`). @param labels (N,) integer class ids ≥ 0.
 */
export function scatterByLabel(coordinates: ArrayLike<number>, labels: ArrayLike<number>, options?: ScatterByLabelOptions): PlotlyFigure {
  const caller = 'scatterByLabel';
  const settings = withDefaults(SCATTER_BY_LABEL_DEFAULTS, options);
  const points = plotNumbers(coordinates, 'coordinates', caller);
  const ids = plotNumbers(labels, 'labels', caller);
  if (points.length !== 2 * ids.length) throw new Error(`${caller}: coordinates must hold 2 numbers per label: ${points.length} numbers for ${ids.length} labels`);
  const byClass = new Map<number, number[]>();
  ids.forEach((label, i) => {
    if (label === null || !Number.isInteger(label) || label < 0) throw new Error(`${caller}: labels must be integers ≥ 0, label ${i} is ${labels[i]}`);
    if (!byClass.has(label)) byClass.set(label, []);
    byClass.get(label)!.push(i);
  });
  const data: PlotlyTrace[] = [...byClass.keys()].sort((a, b) => a - b).map((label) => {
    const members = byClass.get(label)!;
    return {
      type: settings.webgl ? 'scattergl' : 'scatter',
      mode: 'markers',
      name: options?.classNames?.[label] ?? `class ${label}`,
      x: members.map((i) => points[2 * i]),
      y: members.map((i) => points[2 * i + 1]),
      marker: { size: settings.markerSize, opacity: settings.opacity, color: DEFAULT_COLORS[label % DEFAULT_COLORS.length] },
    };
  });
  const layout = baseLayout({ ...settings, title: options?.title, height: options?.height });
  layout.legend = { itemsizing: 'constant' }; // legend markers readable even when the points are small
  return { data, layout };
}
