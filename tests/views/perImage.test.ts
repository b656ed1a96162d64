import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { applyColorMatrices, colorMatrices, expandPerImage } from '../../lib/views/perImage';
import { assertClose, useCpu, values } from '../helpers';

const ApplyColorMatrices = suite('applyColorMatrices');
ApplyColorMatrices.before(useCpu);

ApplyColorMatrices('out pixel = M_n @ pixel for every pixel of image n; identity rows copy exactly', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([2, 3, 4, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const m0 = [[0.5, 0.2, 0], [0, 1, 0], [0.1, 0.1, 0.1]];
    const identity = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
    const out = applyColorMatrices(images, colorMatrices(2, 3, (n) => (n === 0 ? m0 : identity))).arraySync();
    const x = images.arraySync();
    for (let y = 0; y < 3; y++) for (let i = 0; i < 4; i++) {
      const p = x[0][y][i];
      assertClose(out[0][y][i], m0.map((row) => row[0] * p[0] + row[1] * p[1] + row[2] * p[2]), { atol: 1e-6 });
      assert.equal(out[1][y][i], x[1][y][i]);
    }
    assert.throws(() => applyColorMatrices(images, [1, 2, 3]), /expected 18 matrix entries/);
  });
});

ApplyColorMatrices.run();

const ColorMatrices = suite('colorMatrices');

ColorMatrices('flattens row-major, image after image', () => {
  assert.equal(Array.from(colorMatrices(2, 1, (n) => [[n + 2]])), [2, 3]);
  assert.equal(Array.from(colorMatrices(1, 2, () => [[1, 2], [3, 4]])), [1, 2, 3, 4]);
});

ColorMatrices.run();

const ExpandPerImage = suite('expandPerImage');
ExpandPerImage.before(useCpu);

ExpandPerImage('repeats each value exactly along a row, from numbers or a tensor', () => {
  tf.tidy(() => {
    const out = expandPerImage([0.1, -2.5, 3], 4);
    assert.equal(out.shape, [3, 4]);
    assert.equal(values(out), values(tf.tensor2d([0.1, 0.1, 0.1, 0.1, -2.5, -2.5, -2.5, -2.5, 3, 3, 3, 3], [3, 4])));
    assert.equal(values(expandPerImage(tf.tensor1d([7, 8]), 2)), Float64Array.from([7, 7, 8, 8]));
  });
});

ExpandPerImage.run();
