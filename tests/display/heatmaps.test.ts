import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assertClose } from '../helpers';
import { PlotlyFigure } from '../../lib/display/figureBase';
import {
  ANNOTATE_AUTO_MAX_CELLS, DIVERGING_COLORSCALE, SEQUENTIAL_BLUES, confusionMatrixChart, heatmap, similarityHeatmap,
} from '../../lib/display/heatmaps';

const roundTrip = (figure: PlotlyFigure) => assert.equal(JSON.parse(JSON.stringify(figure)), figure);
type Axis = { autorange?: string; type?: string; scaleanchor?: string; title: { text: string } };

const Heatmap = suite('heatmap');

Heatmap('z has the matrix dimensions (R rows of C) and its values; row 0 at the top', () => {
  for (const [rows, cols] of [[1, 1], [2, 5], [7, 3]]) {
    const values = Float32Array.from({ length: rows * cols }, (_, i) => i / 4);
    const figure = heatmap({ values, rows, cols });
    const z = figure.data[0].z as number[][];
    assert.is(figure.data.length, 1);
    assert.is(figure.data[0].type, 'heatmap');
    assert.is(z.length, rows);
    for (const row of z) assert.is(row.length, cols);
    assert.is(z[rows - 1][cols - 1], (rows * cols - 1) / 4);
    assert.is((figure.layout.yaxis as Axis).autorange, 'reversed');
    roundTrip(figure);
  }
});

Heatmap('labels make categorical axes; axis titles; colour range; square cells', () => {
  const figure = heatmap([[1, 2], [3, 4], [5, 6]], {
    xLabels: ['a', 'b'], yLabels: ['r0', 'r1', 'r2'], xTitle: 'key', yTitle: 'query', zmin: 0, zmax: 10, title: 'attention',
  });
  const trace = figure.data[0];
  assert.equal([trace.x, trace.y], [['a', 'b'], ['r0', 'r1', 'r2']]);
  assert.equal([trace.zmin, trace.zmax], [0, 10]);
  const xaxis = figure.layout.xaxis as Axis;
  const yaxis = figure.layout.yaxis as Axis;
  assert.equal([xaxis.type, yaxis.type, yaxis.scaleanchor], ['category', 'category', 'x']);
  assert.equal([xaxis.title.text, yaxis.title.text], ['key', 'query']);
  assert.match(trace.hovertemplate as string, /query %\{y\}<br>key %\{x\}/);
  roundTrip(figure);
  assert.is((heatmap([[1]], { square: false }).layout.yaxis as Axis).scaleanchor, undefined);
});

Heatmap('annotation: printed values with the given decimals; auto only up to ANNOTATE_AUTO_MAX_CELLS', () => {
  const small = heatmap([[0.123, -1], [NaN, 2]], { decimals: 1 });
  assert.equal(small.data[0].text, [['0.1', '-1.0'], ['', '2.0']]);
  assert.is(small.data[0].texttemplate, '%{text}');
  assert.equal(small.data[0].z, [[0.123, -1], [null, 2]]);
  const side = Math.floor(Math.sqrt(ANNOTATE_AUTO_MAX_CELLS));
  assert.ok(heatmap({ values: new Float32Array(side * side), rows: side, cols: side }).data[0].text !== undefined);
  assert.is(heatmap({ values: new Float32Array(side * (side + 1)), rows: side, cols: side + 1 }).data[0].text, undefined);
  assert.ok(heatmap({ values: new Float32Array(400), rows: 20, cols: 20 }, { annotate: true }).data[0].text !== undefined);
  assert.is(heatmap([[1]], { annotate: false }).data[0].text, undefined);
});

Heatmap('validation: label counts, ragged rows, annotate and decimals values', () => {
  assert.throws(() => heatmap([[1, 2]], { xLabels: ['a'] }), /xLabels must have 2 entries, got 1/);
  assert.throws(() => heatmap([[1, 2]], { yLabels: ['a', 'b'] }), /yLabels must have 1 entries, got 2/);
  assert.throws(() => heatmap([[1, 2], [1]]), /heatmap: matrix rows must all have 2/);
  assert.throws(() => heatmap([[1]], { annotate: 'yes' as never }), /annotate must be true, false or 'auto'/);
  assert.throws(() => heatmap([[1]], { decimals: 1.5 }), /decimals must be a non-negative integer/);
});

Heatmap.run();

const SimilarityHeatmap = suite('similarityHeatmap');

SimilarityHeatmap('fixed range [−1, 1] with the diverging scale; caller options win', () => {
  const figure = similarityHeatmap([[1, -0.2], [-0.2, 1]]);
  const trace = figure.data[0];
  assert.equal([trace.zmin, trace.zmax], [-1, 1]);
  assert.equal(trace.colorscale, DIVERGING_COLORSCALE);
  assert.is((figure.layout.xaxis as Axis).title.text, 'sample');
  const custom = similarityHeatmap([[1]], { zmin: 0, xTitle: 'view 2', xLabels: ['x'], yLabels: ['y'] });
  assert.equal([custom.data[0].zmin, custom.data[0].zmax], [0, 1]);
  assert.is((custom.layout.xaxis as Axis).title.text, 'view 2');
  roundTrip(figure);
});

SimilarityHeatmap('the figure holds a copy of the colour scale (editing it leaves the constant alone)', () => {
  const figure = similarityHeatmap([[1]]);
  (figure.data[0].colorscale as [number, string][])[0][1] = '#000000';
  assert.is(DIVERGING_COLORSCALE[0][1], '#2166ac');
});

SimilarityHeatmap.run();

const ConfusionMatrixChart = suite('confusionMatrixChart');

ConfusionMatrixChart('rows normalised to fractions (recall on the diagonal), counts in customdata, class names on both axes', () => {
  const counts = [[8, 2, 0], [1, 3, 0], [0, 0, 0]];
  const names = ['cat', 'dog', 'bird'];
  const figure = confusionMatrixChart(counts, names, { title: 'probe' });
  const trace = figure.data[0];
  const z = trace.z as (number | null)[][];
  assertClose([z[0], z[1]] as number[][], [[0.8, 0.2, 0], [0.25, 0.75, 0]], { rtol: 1e-9 });
  assert.equal(z[2], [null, null, null]); // no samples of 'bird': a gap, not a fake 0 % recall
  assert.equal(trace.customdata, counts);
  assert.equal([trace.x, trace.y], [names, names]);
  assert.equal([trace.zmin, trace.zmax], [0, 1]);
  assert.equal(trace.colorscale, SEQUENTIAL_BLUES);
  assert.equal(trace.text, [['0.80', '0.20', '0.00'], ['0.25', '0.75', '0.00'], ['', '', '']]);
  assert.equal([(figure.layout.xaxis as Axis).title.text, (figure.layout.yaxis as Axis).title.text], ['predicted', 'true']);
  assert.match(trace.hovertemplate as string, /count %\{customdata\}/);
  roundTrip(figure);
});

ConfusionMatrixChart('normalize none shows counts as integers; flat {values, rows, cols} input', () => {
  const figure = confusionMatrixChart({ values: Int32Array.from([5, 1, 0, 7]), rows: 2, cols: 2 }, ['a', 'b'], { normalize: 'none' });
  assert.equal(figure.data[0].z, [[5, 1], [0, 7]]);
  assert.equal(figure.data[0].text, [['5', '1'], ['0', '7']]);
  assert.is(figure.data[0].zmax, undefined);
});

ConfusionMatrixChart('validation: non-square, negative counts, wrong number of names, bad normalize', () => {
  assert.throws(() => confusionMatrixChart([[1, 2]], ['a']), /counts must be square \(K, K\), got \(1, 2\)/);
  assert.throws(() => confusionMatrixChart([[1, -1], [0, 1]], ['a', 'b']), /finite and ≥ 0, entry \(0, 1\) is -1/);
  assert.throws(() => confusionMatrixChart([[1, 0], [0, 1]], ['a']), /classNames must have 2 entries/);
  assert.throws(() => confusionMatrixChart([[1]], ['a'], { normalize: 'cols' as never }), /normalize must be 'rows' or 'none'/);
});

ConfusionMatrixChart.run();
