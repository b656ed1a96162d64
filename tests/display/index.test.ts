import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as display from '../../lib/display';

const Exports = suite('lib/display index');

Exports('re-exports the public API of every display module, and not the internal helpers', () => {
  const functions = [
    'plotNumber', 'plotNumbers', 'lineChart', 'multiLineChart', 'barChart', 'scatterByLabel', 'exponentialMovingAverage',
    'heatmap', 'similarityHeatmap', 'confusionMatrixChart', 'pca2d', 'plotlySource', 'plotlyLoaderScript', 'plotlyLoaderHtml',
    'plotlyLoaderEmitted', 'resetPlotlyLoader', 'escapeInlineScript', 'figureHtml', 'standaloneHtml', 'scriptSafeJson',
    'formatCell', 'tableCells', 'tableHtml', 'tableText', 'composeImageGrid', 'imageGridPng', 'tensorToPng', 'tensorGridPng',
    'truncateLabel', 'show', 'showTable', 'describeShowable', 'tslabDisplay',
  ];
  for (const name of functions) assert.type((display as Record<string, unknown>)[name], 'function', name);
  assert.is(display.DEFAULT_COLORS.length, 10);
  assert.is(display.DEFAULT_FIGURE_HEIGHT, 450);
  for (const internal of ['mergeOptions', 'describeValue', 'baseLayout', 'matrixRows', 'checkLabels', 'drawLabels', 'labelsSvg']) {
    assert.is((display as Record<string, unknown>)[internal], undefined, internal);
  }
});

Exports.run();
