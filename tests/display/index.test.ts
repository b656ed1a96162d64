import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as display from '../../lib/display';

const Exports = suite('lib/display index');

Exports('re-exports the public API of every display module, and not the internal helpers', () => {
  const functions = [
    'plotNumber', 'plotNumbers', 'lineChart', 'multiLineChart', 'barChart', 'scatterByLabel', 'exponentialMovingAverage',
    'heatmap', 'similarityHeatmap', 'confusionMatrixChart', 'pca2d', 'plotlySource', 'plotlyLoaderScript', 'plotlyLoaderHtml',
    'plotlyLoaderEmitted', 'resetPlotlyLoader', 'packedPlotly', 'figureHtml', 'standaloneHtml', 'scriptSafeJson',
    'formatCell', 'tableCells', 'tableHtml', 'tableText', 'composeImageGrid', 'imageGridPng', 'tensorToPng', 'tensorGridPng',
    'truncateLabel', 'show', 'showTable', 'describeShowable', 'figureBundle', 'showableBundle', 'showLive', 'display',
    'kernelDisplayWriter', 'normalizeBundle', 'toMimeBundle', 'tensorSummaryText', 'isTableShaped', 'tensorTableHtml',
    'isImageShaped', 'tensorImagePng', 'resolveRichDisplayOptions', 'simpleTableHtml', 'withSelfDisplay',
  ];
  for (const name of functions) assert.type((display as Record<string, unknown>)[name], 'function', name);
  assert.is(display.DEFAULT_COLORS.length, 10);
  assert.is(display.DEFAULT_FIGURE_HEIGHT, 450);
  assert.is(display.PLOTLY_MIME, 'application/vnd.plotly.v1+json');
  assert.is(typeof display.displaySymbol, 'symbol');
  for (const internal of ['mergeOptions', 'describeValue', 'baseLayout', 'matrixRows', 'checkLabels', 'drawLabels', 'labelsSvg',
    'escapeHtml', 'formatNumber', 'isTensor', 'inspectBundle', 'sendBundle']) {
    assert.is((display as Record<string, unknown>)[internal], undefined, internal);
  }
});

Exports.run();
