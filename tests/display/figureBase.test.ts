import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/rng';
import { DEFAULT_COLORS, baseLayout, checkLabels, matrixRows, plotNumber, plotNumbers } from '../../lib/display/figureBase';

const PlotNumber = suite('plotNumber');

PlotNumber('integers unchanged, non-integers to 9 significant digits, non-finite to null', () => {
  const cases: [number, number | null][] = [
    [0, 0], [-3, -3], [123456789, 123456789], [0.1, 0.1], [1 / 3, 0.333333333], [-2 / 3, -0.666666667],
    [Math.fround(0.1), 0.100000001], [1.234567891e-7, 1.23456789e-7], [NaN, null], [Infinity, null], [-Infinity, null],
  ];
  for (const [input, expected] of cases) assert.is(plotNumber(input), expected, String(input));
});

PlotNumber('float32 values survive: fround of the rounded number is the original float32 (10,000 random floats)', () => {
  const rng = new Rng(3);
  for (let i = 0; i < 10_000; i++) {
    const v = Math.fround(rng.normal() * 10 ** rng.int(12) * 1e-6);
    assert.is(Math.fround(plotNumber(v)!), v);
  }
});

PlotNumber.run();

const PlotNumbers = suite('plotNumbers');

PlotNumbers('typed arrays become plain arrays (JSON arrays, not objects)', () => {
  const out = plotNumbers(Float32Array.from([1, 0.5, NaN]), 'y', 'test');
  assert.ok(Array.isArray(out));
  assert.equal(out, [1, 0.5, null]);
  assert.is(JSON.stringify(out), '[1,0.5,null]');
});

PlotNumbers('rejects non-numeric input with the caller and name', () => {
  assert.throws(() => plotNumbers('abc' as unknown as number[], 'y', 'lineChart'), /lineChart: y must be an array or typed array of numbers, got string/);
  assert.throws(() => plotNumbers([1, '2'] as unknown as number[], 'x', 'c'), /c: x must be/);
});

PlotNumbers.run();

const MatrixRows = suite('matrixRows');

MatrixRows('nested rows and {values, rows, cols} give the same rows', () => {
  const nested = matrixRows([[1, 2, 3], Float32Array.from([4, 5, 6])], 't');
  const flat = matrixRows({ values: [1, 2, 3, 4, 5, 6], rows: 2, cols: 3 }, 't');
  assert.equal(nested, [[1, 2, 3], [4, 5, 6]]);
  assert.equal(flat, nested);
});

MatrixRows('rejects ragged, empty and mis-sized matrices', () => {
  assert.throws(() => matrixRows([], 't'), /no rows/);
  assert.throws(() => matrixRows([[1, 2], [3]], 't'), /row 1 has 1/);
  assert.throws(() => matrixRows([[]], 't'), /> 0 entries/);
  assert.throws(() => matrixRows({ values: [1, 2, 3], rows: 2, cols: 2 }, 't'), /rows·cols values, got rows 2, cols 2, 3 values/);
  assert.throws(() => matrixRows(5 as never, 't'), /array of rows or \{values, rows, cols\}/);
});

MatrixRows.run();

const CheckLabels = suite('checkLabels');

CheckLabels('accepts undefined and matching distinct labels; rejects wrong length and duplicates', () => {
  checkLabels(undefined, 3, 'xLabels', 't');
  checkLabels(['a', 'b'], 2, 'xLabels', 't');
  assert.throws(() => checkLabels(['a'], 2, 'xLabels', 't'), /xLabels must have 2 entries, got 1/);
  assert.throws(() => checkLabels(['a', 'a'], 2, 'xLabels', 't'), /distinct/);
  assert.throws(() => checkLabels([1, 2] as never, 2, 'xLabels', 't'), /array of strings/);
});

CheckLabels.run();

const BaseLayout = suite('baseLayout');

BaseLayout('titles present as given, absent keys left out (the layout round-trips through JSON)', () => {
  const layout = baseLayout({ title: 'Loss', xTitle: 'step', yTitle: 'NT-Xent', height: 300 });
  assert.equal((layout.title as { text: string }).text, 'Loss');
  assert.equal((layout.xaxis as { title: { text: string } }).title.text, 'step');
  assert.equal((layout.yaxis as { title: { text: string } }).title.text, 'NT-Xent');
  assert.is(layout.height, 300);
  const plain = baseLayout({});
  assert.not.ok('title' in plain);
  assert.not.ok('height' in plain);
  assert.equal(JSON.parse(JSON.stringify(plain)), plain);
  assert.throws(() => baseLayout({ height: -1 }), /height must be a positive number/);
});

BaseLayout('DEFAULT_COLORS is plotly\'s ten-colour cycle', () => {
  assert.is(DEFAULT_COLORS.length, 10);
  assert.is(DEFAULT_COLORS[0], '#1f77b4');
  for (const color of DEFAULT_COLORS) assert.match(color, /^#[0-9a-f]{6}$/);
});

BaseLayout.run();
