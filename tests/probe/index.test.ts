import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as probe from '../../lib/probe';

const Exports = suite('lib/probe index');

Exports('re-exports the evaluation API', () => {
  const expected = [
    'extractFeatures', 'fitStandardizer', 'applyStandardizer', 'standardizeTrainTest', 'rawPixelFeatures',
    'minimizeLbfgs', 'fitLogisticRegression', 'softmaxRegressionObjective', 'summarizePredictions',
    'linearProbe', 'stratifiedSubsample', 'accuracyVsLabelsPerClass', 'knnPredict', 'knnClassify', 'nearestNeighbors',
    'probeEncoder', 'probeRawPixels', 'validateFeatureMatrix', 'validateLabels',
    'tunedLinearProbe', 'comparePaired', 'mcnemarExact', 'accuracyStandardError',
  ];
  for (const name of expected) assert.type((probe as Record<string, unknown>)[name], 'function', name);
});

Exports.run();
