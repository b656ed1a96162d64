import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as models from '../../lib/models';

const Exports = suite('lib/models index');

Exports('re-exports the factories, the model class, presets and initialisation helpers', () => {
  const functions = [
    'seedEncoder', 'smallCnnEncoder', 'resnet18Encoder', 'projectionHead', 'createSimclrModel', 'SimclrModel',
    'seedModel', 'smallCnnModel', 'resnet18Model', 'initializeWeights', 'heNormalFanOutStd', 'torchDefaultBound',
    'conv2d', 'batchNorm', 'relu', 'globalAveragePool',
  ];
  for (const name of functions) assert.type((models as Record<string, unknown>)[name], 'function', name);
  assert.is(models.BATCH_NORM_MOMENTUM, 0.9);
  assert.is(models.BATCH_NORM_EPSILON, 1e-5);
});

Exports.run();
