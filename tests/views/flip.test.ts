import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { horizontalFlip, randomHorizontalFlip } from '../../lib/views/flip';
import { assertNoLeak, useCpu, values } from '../helpers';

const HorizontalFlip = suite('horizontalFlip');
HorizontalFlip.before(useCpu);

HorizontalFlip('flipping every image equals tf.reverse along the width, exactly', () => {
  tf.tidy(() => {
    for (const shape of [[3, 32, 32, 3], [2, 5, 7, 1], [1, 1, 4, 3], [2, 6, 1, 3]] as [number, number, number, number][]) {
      const images = tf.randomUniform(shape, 0, 1, 'float32', 1) as tf.Tensor4D;
      const flipped = horizontalFlip(images, new Array(shape[0]).fill(true));
      assert.equal(flipped.shape, images.shape);
      assert.equal(values(flipped), values(tf.reverse(images, 2)), `shape ${shape}`);
    }
  });
});

HorizontalFlip('flips exactly the chosen images and leaves the others bit-identical', () => {
  tf.tidy(() => {
    const images = tf.randomUniform([4, 6, 9, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const flips = [true, false, false, true];
    const out = tf.unstack(horizontalFlip(images, flips));
    const inputs = tf.unstack(images);
    flips.forEach((f, n) => assert.equal(values(out[n]), values(f ? tf.reverse(inputs[n], 1) : inputs[n]), `image ${n}`));
    assert.throws(() => horizontalFlip(images, [true]), /4 booleans/);
  });
});

HorizontalFlip.run();

const RandomHorizontalFlip = suite('randomHorizontalFlip');
RandomHorizontalFlip.before(useCpu);

RandomHorizontalFlip('p = 1 reverses, p = 0 copies, p = 0.5 flips about half; seeded; no leaks', async () => {
  const images = tf.randomUniform([200, 4, 5, 1], 0, 1, 'float32', 3) as tf.Tensor4D;
  const all = randomHorizontalFlip(images, 1, new Rng(1));
  const none = randomHorizontalFlip(images, 0, new Rng(1));
  const reversed = tf.reverse(images, 2);
  assert.equal(values(all), values(reversed));
  assert.equal(values(none), values(images));
  const half = randomHorizontalFlip(images, 0.5, new Rng(2));
  const again = randomHorizontalFlip(images, 0.5, new Rng(2));
  assert.equal(values(half), values(again));
  // Count flipped images (an image equals neither its copy nor its mirror only if the flip logic is broken).
  const h = half.arraySync(), x = images.arraySync(), r = reversed.arraySync();
  let flipped = 0;
  for (let n = 0; n < 200; n++) {
    const isCopy = JSON.stringify(h[n]) === JSON.stringify(x[n]);
    const isMirror = JSON.stringify(h[n]) === JSON.stringify(r[n]);
    assert.ok(isCopy !== isMirror, `image ${n}`);
    if (isMirror) flipped++;
  }
  assert.ok(flipped > 70 && flipped < 130, `flipped ${flipped} of 200`);
  assert.throws(() => randomHorizontalFlip(images, 2, new Rng(1)), /flip probability must be a probability/);
  tf.dispose([all, none, reversed, half, again]);
  await assertNoLeak(() => randomHorizontalFlip(images, 0.5, new Rng(3)).dispose());
  images.dispose();
});

RandomHorizontalFlip.run();
