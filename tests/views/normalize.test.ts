import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { checkNormalizeOptions, normalizeImages } from '../../lib/views/normalize';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

const NormalizeImages = suite('normalizeImages');
NormalizeImages.before(useCpu);

NormalizeImages('(x - mean[c]) / std[c] per channel', () => {
  tf.tidy(() => {
    const images = tf.tensor4d([0, 0.5, 1, 0.25, 0.75, 0.1], [1, 1, 2, 3]);
    const out = normalizeImages(images, { mean: [0.5, 0.4, 0.3], std: [0.5, 0.2, 0.1] });
    assertClose(values(out), [-1, 0.5, 7, -0.5, 1.75, -2]);
    const gray = tf.tensor4d([0.2, 0.8], [1, 1, 2, 1]);
    assertClose(values(normalizeImages(gray, { mean: [0.5], std: [0.3] })), [-1, 1]);
  });
});

NormalizeImages('rejects a mean or std whose length is not the channel count, and std <= 0; no leaks', async () => {
  const images = tf.zeros([1, 2, 2, 1]) as tf.Tensor4D;
  assert.throws(() => normalizeImages(images, { mean: [0.5, 0.5, 0.5], std: [1, 1, 1] }), /normalize.mean must hold one finite number per channel \(1\), got \[0.5,0.5,0.5\]/);
  assert.throws(() => normalizeImages(images, { mean: [0.5], std: [0] }), /normalize.std must hold one positive number per channel \(1\)/);
  assert.throws(() => checkNormalizeOptions({ mean: [0, 0, 0], std: [1, 1] }, 3, 'applyView'), /applyView: normalize.std/);
  await assertNoLeak(() => normalizeImages(images, { mean: [0.5], std: [0.25] }).dispose());
  images.dispose();
});

NormalizeImages.run();
