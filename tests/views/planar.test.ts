import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { fromPlanar, selectSamples, toPlanar } from '../../lib/views/planar';
import { useCpu, values } from '../helpers';

const ToPlanar = suite('toPlanar');
ToPlanar.before(useCpu);

ToPlanar('moves element (n, y, x, c) to (c, y, x, n)', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 4, 5, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    const planes = toPlanar(images);
    assert.equal(planes.shape, [2, 4, 5, 3]);
    const a = images.arraySync();
    const b = planes.arraySync();
    for (const [n, y, x, c] of [[0, 0, 0, 0], [2, 3, 4, 1], [1, 2, 0, 1]]) assert.is(b[c][y][x][n], a[n][y][x][c]);
  });
});

ToPlanar.run();

const FromPlanar = suite('fromPlanar');
FromPlanar.before(useCpu);

FromPlanar('inverts toPlanar exactly', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([3, 4, 5, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const back = fromPlanar(toPlanar(images));
    assert.equal(back.shape, images.shape);
    assert.equal(values(back), values(images));
  });
});

FromPlanar.run();

const SelectSamples = suite('selectSamples');
SelectSamples.before(useCpu);

SelectSamples('picks image n from a or b exactly, also with a trailing-suffix a of shape (H, W, N)', () => {
  tf.tidy(() => {
    const a = tf.randomUniform([3, 2, 2, 4], 0, 1, 'float32', 3) as tf.Tensor4D;
    const b = tf.randomUniform([3, 2, 2, 4], 0, 1, 'float32', 4) as tf.Tensor4D;
    const chosen = [true, false, false, true];
    const out = selectSamples(chosen, a, b).arraySync() as number[][][][];
    const av = a.arraySync();
    const bv = b.arraySync();
    for (let c = 0; c < 3; c++) for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let n = 0; n < 4; n++) {
      assert.is(out[c][y][x][n], chosen[n] ? av[c][y][x][n] : bv[c][y][x][n]);
    }
    const luma = tf.randomUniform([2, 2, 4], 0, 1, 'float32', 5) as tf.Tensor3D;
    const mixed = selectSamples(chosen, luma, b).arraySync() as number[][][][];
    const lv = luma.arraySync();
    for (let c = 0; c < 3; c++) for (let n = 0; n < 4; n++) assert.is(mixed[c][1][0][n], chosen[n] ? lv[1][0][n] : bv[c][1][0][n]);
  });
});

SelectSamples.run();
