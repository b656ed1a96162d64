import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { grayscale, luma, LUMA_WEIGHTS, lumaWeights, randomGrayscale } from '../../lib/views/grayscale';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

const Luma = suite('LUMA_WEIGHTS, lumaWeights and luma');
Luma.before(useCpu);

Luma('ITU-R 601 weights; luma of known pixels; one channel is its own luma', () => {
  assert.equal([...LUMA_WEIGHTS], [0.299, 0.587, 0.114]);
  assert.equal(lumaWeights(3), [0.299, 0.587, 0.114]);
  assert.equal(lumaWeights(1), [1]);
  tf.tidy(() => {
    // Pixels: red, green, blue, white, (0.2, 0.4, 0.6).
    const images = tf.tensor4d([1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 1, 1, 0.2, 0.4, 0.6], [5, 1, 1, 3]);
    const y = luma(images);
    assert.equal(y.shape, [5, 1, 1, 1]);
    assertClose(values(y), [0.299, 0.587, 0.114, 1, 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6]);
    const single = tf.randomUniform([2, 3, 3, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    assert.equal(values(luma(single)), values(single));
  });
});

Luma.run();

const Grayscale = suite('grayscale');
Grayscale.before(useCpu);

Grayscale('chosen RGB images get three equal channels equal to the luma; others unchanged exactly', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 4, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const chosen = [true, false, true];
    const out = grayscale(images, chosen).arraySync();
    const x = images.arraySync();
    for (let n = 0; n < 3; n++) for (let y = 0; y < 4; y++) for (let i = 0; i < 5; i++) {
      const [r, g, b] = x[n][y][i];
      if (chosen[n]) {
        const luma = 0.299 * r + 0.587 * g + 0.114 * b;
        assertClose(out[n][y][i], [luma, luma, luma], { atol: 1e-6 });
        assert.is(out[n][y][i][0], out[n][y][i][1]);
        assert.is(out[n][y][i][1], out[n][y][i][2]);
      } else {
        assert.equal(out[n][y][i], x[n][y][i]);
      }
    }
  });
});

Grayscale('one-channel images are returned unchanged', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([2, 3, 3, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
    assert.equal(values(grayscale(images, [true, true])), values(images));
  });
});

Grayscale.run();

const RandomGrayscale = suite('randomGrayscale');
RandomGrayscale.before(useCpu);

RandomGrayscale('p = 0 copies, p = 1 grays every image; seeded; no leaks', async () => {
  const images = tf.randomUniform([6, 4, 4, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
  const none = randomGrayscale(images, 0, new Rng(1));
  const all = randomGrayscale(images, 1, new Rng(1));
  const expected = grayscale(images, new Array(6).fill(true));
  assert.equal(values(none), values(images));
  assert.equal(values(all), values(expected));
  const a = randomGrayscale(images, 0.5, new Rng(7));
  const b = randomGrayscale(images, 0.5, new Rng(7));
  assert.equal(values(a), values(b));
  assert.throws(() => randomGrayscale(images, -1, new Rng(1)), /grayscale probability/);
  tf.dispose([none, all, expected, a, b]);
  await assertNoLeak(() => randomGrayscale(images, 0.5, new Rng(3)).dispose());
  images.dispose();
});

RandomGrayscale.run();
