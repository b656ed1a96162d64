import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertClose } from '../helpers';
import { PlotlyFigure } from '../../lib/display/figureBase';
import { barChart, exponentialMovingAverage, lineChart, multiLineChart, scatterByLabel } from '../../lib/display/figures';

/** A figure is plain JSON: stringify → parse gives an equal object (no typed arrays, undefined values or NaN). */
function assertJsonRoundTrip(figure: PlotlyFigure): void {
  assert.equal(JSON.parse(JSON.stringify(figure)), figure);
}
const axisTitle = (figure: PlotlyFigure, axis: string) => ((figure.layout[axis] as { title: { text: string } }).title.text);

const Ema = suite('exponentialMovingAverage');

Ema('matches the bias-corrected recurrence written out by hand', () => {
  const y = [4, 2, 8, 6];
  const beta = 0.5;
  // s1 = 0.5·4 = 2, w1 = 0.5 → 4;  s2 = 1 + 1 = 2, w2 = 0.75 → 8/3;  s3 = 1 + 4 = 5, w3 = 0.875 → 40/7;  s4 = 2.5 + 3 = 5.5, w4 = 0.9375 → 88/15
  assertClose(exponentialMovingAverage(y, beta), [4, 8 / 3, 40 / 7, 88 / 15], { rtol: 1e-12 });
});

Ema('β = 0 is the identity; a constant series stays constant (bias correction); NaN entries skipped', () => {
  assertClose(exponentialMovingAverage([1, 5, -2], 0), [1, 5, -2]);
  assertClose(exponentialMovingAverage(new Array(20).fill(3), 0.99), new Array(20).fill(3), { rtol: 1e-12 });
  const out = exponentialMovingAverage([2, NaN, 2], 0.9);
  assert.ok(Number.isNaN(out[1]));
  assertClose([out[0], out[2]], [2, 2], { rtol: 1e-12 });
});

Ema('rejects β outside [0, 1)', () => {
  for (const beta of [-0.1, 1, NaN]) assert.throws(() => exponentialMovingAverage([1], beta), /smoothing must be in \[0, 1\)/);
});

Ema.run();

const LineChart = suite('lineChart');

LineChart('one scatter/lines trace per series with the given x, y and names; axis titles; JSON round-trip', () => {
  const figure = lineChart(
    [{ name: 'train', y: Float32Array.from([3, 2.5, 2]), x: [0, 10, 20] }, { name: 'val', y: [3.1, 2.9] }],
    { title: 'Loss', xTitle: 'epoch', yTitle: 'NT-Xent' },
  );
  assert.is(figure.data.length, 2);
  assert.equal(figure.data.map((t) => [t.type, t.mode, t.name]), [['scatter', 'lines', 'train'], ['scatter', 'lines', 'val']]);
  assert.equal(figure.data[0].x, [0, 10, 20]);
  assert.equal(figure.data[0].y, [3, 2.5, 2]);
  assert.equal(figure.data[1].x, [0, 1]); // default x: indices
  assert.is((figure.layout.title as { text: string }).text, 'Loss');
  assert.is(axisTitle(figure, 'xaxis'), 'epoch');
  assert.is(axisTitle(figure, 'yaxis'), 'NT-Xent');
  assertJsonRoundTrip(figure);
});

LineChart('default x title is step; NaN losses become null gaps', () => {
  const figure = lineChart([{ name: 'loss', y: [1, NaN, 0.5] }]);
  assert.is(axisTitle(figure, 'xaxis'), 'step');
  assert.equal(figure.data[0].y, [1, null, 0.5]);
  assertJsonRoundTrip(figure);
});

LineChart('smoothing draws a faint raw trace (no legend) and the EMA trace in the same colour', () => {
  const y = [5, 3, 4, 2, 3, 1];
  const figure = lineChart([{ name: 'loss', y }, { name: 'other', y }], { smoothing: 0.6 });
  assert.is(figure.data.length, 4);
  const [raw, smooth] = figure.data;
  assert.is(raw.showlegend, false);
  assert.is(smooth.name, 'loss');
  assert.equal((raw.line as { color: string }).color, (smooth.line as { color: string }).color);
  assert.not.equal((smooth.line as { color: string }).color, (figure.data[3].line as { color: string }).color);
  assertClose(smooth.y as number[], exponentialMovingAverage(y, 0.6), { rtol: 1e-8 });
  assertJsonRoundTrip(figure);
});

LineChart('rightAxis puts a series on y2 and adds an overlaying right axis; log axes', () => {
  const figure = lineChart([{ name: 'loss', y: [2, 1] }, { name: 'lr', y: [1e-3, 5e-4], rightAxis: true }], { y2Title: 'learning rate', logY: true, logX: true });
  assert.is(figure.data[0].yaxis, undefined);
  assert.is(figure.data[1].yaxis, 'y2');
  assert.equal(figure.layout.yaxis2, { title: { text: 'learning rate' }, overlaying: 'y', side: 'right', automargin: true });
  assert.is((figure.layout.yaxis as { type: string }).type, 'log');
  assert.is((figure.layout.xaxis as { type: string }).type, 'log');
  assertJsonRoundTrip(figure);
});

LineChart('log axes read plainly: a tick at each swept value (0.05 and 0.5 stay apart), no SI prefixes; 1-2-5 ticks for long series', () => {
  const sweep = lineChart([{ name: 'acc', x: [0.05, 0.1, 0.2, 0.5, 1], y: [0.8, 0.81, 0.82, 0.81, 0.8] }], { logX: true });
  const x = sweep.layout.xaxis as { tickvals: number[]; ticktext: string[]; tickmode: string };
  assert.is(x.tickmode, 'array');
  assert.equal(x.tickvals, [0.05, 0.1, 0.2, 0.5, 1]);
  assert.equal(x.ticktext, ['0.05', '0.1', '0.2', '0.5', '1']);
  const sizes = lineChart([{ name: 'loss', x: [8, 32, 128, 512, 2048], y: [1, 2, 3, 4, 5] }], { logX: true });
  assert.equal((sizes.layout.xaxis as { ticktext: string[] }).ticktext, ['8', '32', '128', '512', '2,048']);
  const tiny = lineChart([{ name: 'p', y: Array.from({ length: 40 }, (_, i) => 10 ** (-9 + i / 5)) }], { logY: true });
  const y = tiny.layout.yaxis as { tickvals: number[]; ticktext: string[] };
  assert.equal(y.tickvals, [1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2]); // the data end near 0.063
  assert.equal(y.ticktext, ['1e-9', '1e-8', '1e-7', '1e-6', '1e-5', '0.0001', '0.001', '0.01']);
  assert.ok(y.ticktext.every((t) => !/[nµm]$/.test(t)), 'no SI prefixes');
  const decade = lineChart([{ name: 'p', y: Array.from({ length: 30 }, (_, i) => 1 + i) }], { logY: true });
  assert.equal((decade.layout.yaxis as { ticktext: string[] }).ticktext, ['1', '2', '5', '10', '20']);
  assertJsonRoundTrip(tiny);
});

LineChart('error bars: one ± half-width per point, in the series colour; a count mismatch is refused', () => {
  const figure = lineChart([{ name: 'acc', x: [1, 5, 20], y: [0.5, 0.7, 0.8], errors: [0.02, 0.015, 0.01] }], { logX: true, markers: true });
  assert.equal((figure.data[0].error_y as { array: number[] }).array, [0.02, 0.015, 0.01]);
  assert.is((figure.data[0].error_y as { color: string }).color, (figure.data[0].line as { color: string }).color);
  assert.throws(() => lineChart([{ name: 'acc', y: [0.5, 0.7], errors: [0.1] }]), /series 'acc' has 1 error bars and 2 y values/);
  assertJsonRoundTrip(figure);
});

LineChart('validation: empty series, unnamed series, x/y length mismatch, bad smoothing', () => {
  assert.throws(() => lineChart([]), /series must be a non-empty array/);
  assert.throws(() => lineChart([{ y: [1] } as never]), /series 0 needs a string name/);
  assert.throws(() => lineChart([{ name: 'a', y: [1, 2], x: [0] }]), /series 'a' has 1 x values and 2 y values/);
  assert.throws(() => lineChart([{ name: 'a', y: [1] }], { smoothing: 1 }), /smoothing must be in/);
});

LineChart.run();

const MultiLineChart = suite('multiLineChart');

MultiLineChart('every curve shares x; legend title; default x title', () => {
  const x = [-1, 0, 1];
  const figure = multiLineChart(x, [0.1, 0.5].map((tau) => ({ name: `τ = ${tau}`, y: x.map((s) => Math.exp(s / tau)) })), { legendTitle: 'τ' });
  assert.is(figure.data.length, 2);
  for (const trace of figure.data) assert.equal(trace.x, x);
  assert.is(figure.data[1].name, 'τ = 0.5');
  assertClose(figure.data[0].y as number[], x.map((s) => Math.exp(s / 0.1)), { rtol: 1e-8 });
  assert.equal(figure.layout.legend, { title: { text: 'τ' } });
  assert.is(axisTitle(figure, 'xaxis'), 'x');
  assert.is(axisTitle(multiLineChart(x, [{ name: 'a', y: x }], { xTitle: 'cosine' }), 'xaxis'), 'cosine');
  assertJsonRoundTrip(figure);
});

MultiLineChart('a curve of the wrong length is rejected', () => {
  assert.throws(() => multiLineChart([0, 1], [{ name: 'a', y: [1, 2, 3] }]), /has 2 x values and 3 y values/);
  assert.throws(() => multiLineChart([0, 1], []), /curves must be a non-empty array/);
});

MultiLineChart.run();

const BarChart = suite('barChart');

BarChart('grouped bars: one trace per series over the categories, printed values, error bars, y range', () => {
  const figure = barChart(['h', 'z', 'pixels'], [
    { name: 'run A', values: [0.873, 0.814, 0.8355], errors: [0.01, 0.02, 0] },
    { name: 'run B', values: Float64Array.from([0.9, 0.8, 0.8355]) },
  ], { title: 'Linear probe', yTitle: 'accuracy', yRange: [0, 1], decimals: 2 });
  assert.equal(figure.data.map((t) => [t.type, t.name]), [['bar', 'run A'], ['bar', 'run B']]);
  assert.equal(figure.data[0].x, ['h', 'z', 'pixels']);
  assert.equal(figure.data[1].y, [0.9, 0.8, 0.8355]);
  assert.equal(figure.data[0].text, ['0.87', '0.81', '0.84']);
  assert.equal(figure.data[0].error_y, { type: 'data', array: [0.01, 0.02, 0], visible: true });
  assert.is(figure.data[1].error_y, undefined);
  assert.is(figure.layout.barmode, 'group');
  assert.equal((figure.layout.yaxis as { range: number[] }).range, [0, 1]);
  assert.is(axisTitle(figure, 'yaxis'), 'accuracy');
  assertJsonRoundTrip(figure);
});

BarChart('reference lines become dashed shapes with labels; showValues false prints nothing', () => {
  const figure = barChart(['a', 'b'], [{ name: 's', values: [0.5, 0.7] }], { referenceLines: [{ value: 0.1, label: 'chance' }], showValues: false });
  const shapes = figure.layout.shapes as { y0: number; y1: number; line: { dash: string } }[];
  assert.is(shapes.length, 1);
  assert.equal([shapes[0].y0, shapes[0].y1, shapes[0].line.dash], [0.1, 0.1, 'dash']);
  assert.is((figure.layout.annotations as { text: string }[])[0].text, 'chance');
  assert.is(figure.data[0].text, undefined);
  assertJsonRoundTrip(figure);
});

BarChart('validation: value count, duplicate categories, empty inputs', () => {
  assert.throws(() => barChart(['a', 'b'], [{ name: 's', values: [1] }]), /series 's' has 1 values for 2 categories/);
  assert.throws(() => barChart(['a', 'a'], [{ name: 's', values: [1, 2] }]), /distinct/);
  assert.throws(() => barChart([], [{ name: 's', values: [] }]), /categories must not be empty/);
  assert.throws(() => barChart(['a'], []), /series must be a non-empty array/);
  assert.throws(() => barChart(['a'], [{ name: 's', values: [1], errors: [1, 2] }]), /2 errors for 1 values/);
});

BarChart.run();

const ScatterByLabel = suite('scatterByLabel');

ScatterByLabel('one marker trace per label present, in label order, named by class, holding exactly its points', () => {
  const coordinates = Float64Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]); // (5, 2)
  const labels = Int32Array.from([2, 0, 2, 0, 5]);
  const names = ['T-shirt', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal'];
  const figure = scatterByLabel(coordinates, labels, { classNames: names, title: 'PCA of h' });
  assert.equal(figure.data.map((t) => t.name), ['T-shirt', 'Pullover', 'Sandal']);
  assert.equal(figure.data.map((t) => [t.x, t.y]), [[[1, 3], [1, 3]], [[0, 2], [0, 2]], [[4], [4]]]);
  for (const trace of figure.data) assert.equal([trace.type, trace.mode], ['scatter', 'markers']);
  assert.is(axisTitle(figure, 'xaxis'), 'PC 1');
  assert.is(axisTitle(figure, 'yaxis'), 'PC 2');
  assertJsonRoundTrip(figure);
});

ScatterByLabel('default names, webgl traces, class colour fixed by label id (stable across subsets)', () => {
  const figure = scatterByLabel([0, 0, 1, 1], [3, 1], { webgl: true });
  assert.equal(figure.data.map((t) => [t.type, t.name]), [['scattergl', 'class 1'], ['scattergl', 'class 3']]);
  const alone = scatterByLabel([1, 1], [3]);
  assert.equal((alone.data[0].marker as { color: string }).color, (figure.data[1].marker as { color: string }).color);
});

ScatterByLabel('validation: coordinate count, non-integer or negative labels', () => {
  assert.throws(() => scatterByLabel([0, 0, 1], [0, 1]), /2 numbers per label: 3 numbers for 2 labels/);
  assert.throws(() => scatterByLabel([0, 0], [0.5]), /labels must be integers ≥ 0, label 0 is 0.5/);
  assert.throws(() => scatterByLabel([0, 0], [-1]), /labels must be integers ≥ 0/);
});

ScatterByLabel.run();
