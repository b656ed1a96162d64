import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as losses from '../../lib/losses';

const Exports = suite('lib/losses exports');

Exports('re-exports the losses, metrics and helpers', () => {
  for (const name of ['infoNCE', 'ntXent', 'alignment', 'uniformity', 'contrastiveAccuracy', 'validateTemperature', 'validatePositiveFinite',
    'validateEmbeddings', 'validateEmbeddingPair', 'assertFinite', 'l2NormalizeRows', 'cosineLogits', 'maskDiagonal', 'excludedLogit',
    'maskedCrossEntropy', 'ntXentPositiveIndex']) {
    assert.type((losses as Record<string, unknown>)[name], 'function', name);
  }
  assert.is(losses.INFO_NCE_DEFAULTS.temperature, 0.5);
  assert.is(losses.NT_XENT_DEFAULTS.temperature, 0.5);
  assert.is(losses.ALIGNMENT_DEFAULTS.alpha, 2);
  assert.is(losses.UNIFORMITY_DEFAULTS.t, 2);
  assert.is(losses.CONTRASTIVE_ACCURACY_DEFAULTS.scope, 'ntxent');
});

Exports.run();
