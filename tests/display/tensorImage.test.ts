import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { isImageShaped, tensorImagePng } from '../../lib/display/tensorImage';
import { assertNoLeak, useCpu } from '../helpers';

/** Decodes PNG bytes with sharp (libvips): size, the file's channel count and its raw pixels. */
async function decode(png: Buffer) {
  const { channels, format } = await sharp(png).metadata();
  assert.is(format, 'png');
  // sharp decodes to sRGB unless told otherwise: keep a grey file grey
  const { data, info } = await sharp(png).toColourspace((channels as number) === 1 ? 'b-w' : 'srgb').raw().toBuffer({ resolveWithObject: true });
  assert.is(info.channels, channels);
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const IsImageShaped = suite('isImageShaped');
IsImageShaped.before(useCpu);

IsImageShaped('(H, W, 1|3) and (N, H, W, 1|3) with sides >= minImageSide, float32 or int32', () => {
  const cases: [number[], tf.DataType, boolean][] = [
    [[28, 28, 1], 'float32', true],
    [[32, 32, 3], 'float32', true],
    [[4, 32, 32, 3], 'int32', true],
    [[8, 8, 1], 'float32', true],
    [[7, 8, 1], 'float32', false], // too small to be a picture
    [[32, 32, 2], 'float32', false],
    [[32, 32, 4], 'float32', false],
    [[32, 32], 'float32', false],
    [[0, 32, 32, 3], 'float32', false],
    [[32, 32, 3], 'bool', false],
  ];
  for (const [shape, dtype, expected] of cases) {
    const t = tf.zeros(shape, dtype);
    assert.is(isImageShaped(t), expected, `${dtype} [${shape}]`);
    t.dispose();
  }
  const tiny = tf.zeros([4, 4, 1]);
  assert.ok(isImageShaped(tiny, { minImageSide: 4 }));
  tiny.dispose();
});

IsImageShaped.run();

const ImagePng = suite('tensorImagePng');
ImagePng.before(useCpu);

ImagePng('an RGB image in [0, 1] decodes back to round(255·x) per pixel and channel (scale 1)', async () => {
  const pixels = Array.from({ length: 10 * 12 * 3 }, (_, i) => (i % 8) / 7); // 255·k/7: no rounding ties
  const t = tf.tensor3d(pixels, [10, 12, 3]);
  const image = await tensorImagePng(t, { targetImageSide: 1 });
  const decoded = await decode(image.png);
  assert.equal([decoded.width, decoded.height, decoded.channels], [12, 10, 3]);
  assert.equal(Array.from(decoded.data), pixels.map((x) => Math.round(x * 255)));
  assert.equal([image.mapping, image.scale, image.imagesShown, image.imagesTotal], ['unit', 1, 1, 1]);
  t.dispose();
});

ImagePng('grey int32 bytes are drawn as they are; values outside the known ranges are rescaled from [min, max]', async () => {
  const bytes = tf.tensor3d(Array.from({ length: 64 }, (_, i) => i * 4), [8, 8, 1], 'int32');
  const asBytes = await tensorImagePng(bytes, { targetImageSide: 1 });
  const grey = await decode(asBytes.png);
  assert.is(grey.channels, 1);
  assert.equal(Array.from(grey.data), Array.from({ length: 64 }, (_, i) => i * 4));
  assert.is(asBytes.mapping, 'byte');
  const normalised = tf.tensor3d(Array.from({ length: 64 }, (_, i) => i / 63 * 4 - 2), [8, 8, 1]); // [-2, 2]
  const rescaled = await tensorImagePng(normalised, { targetImageSide: 1 });
  const decoded = await decode(rescaled.png);
  assert.equal([rescaled.mapping, rescaled.min, rescaled.max], ['rescaled', -2, 2]);
  assert.is(decoded.data[0], 0);
  assert.is(decoded.data[63], 255);
  assert.is(decoded.data[31], Math.round((31 / 63) * 255));
  tf.dispose([bytes, normalised]);
});

ImagePng('a batch becomes a ⌈√n⌉-column grid with grey gaps; each image sits in its cell; maxImages cuts the batch', async () => {
  // 5 constant 8×8 grey images with values 0, 0.25, ..., 1 → a 3×2 grid of 8-pixel cells and 2-pixel gaps
  const levels = [0, 0.25, 0.5, 0.75, 1];
  const batch = tf.stack(levels.map((v) => tf.fill([8, 8, 1], v)));
  const image = await tensorImagePng(batch, { targetImageSide: 1 });
  const decoded = await decode(image.png);
  assert.equal([decoded.width, decoded.height], [3 * 8 + 2 * 2, 2 * 8 + 2]);
  const at = (x: number, y: number) => decoded.data[y * decoded.width + x];
  levels.forEach((v, i) => {
    const [left, top] = [(i % 3) * 10, Math.floor(i / 3) * 10];
    assert.is(at(left + 3, top + 4), Math.round(v * 255), `image ${i}`);
  });
  assert.is(at(8, 0), 128, 'gap between columns');
  assert.is(at(25, 12), 128, 'empty sixth cell');
  const cut = await tensorImagePng(batch, { targetImageSide: 1, maxImages: 2, imageGap: 0 });
  assert.equal([cut.imagesShown, cut.imagesTotal, cut.width, cut.height], [2, 5, 16, 8]);
  tf.dispose(batch);
});

ImagePng('small images are enlarged by whole factors towards targetImageSide (nearest neighbour), capped by maxImageScale', async () => {
  const t = tf.tensor3d([...Array(28 * 28).keys()].map((i) => (i % 2)), [28, 28, 1]); // a 0/1 checker of columns
  const image = await tensorImagePng(t); // default target 96 → 3×
  const decoded = await decode(image.png);
  assert.equal([image.scale, decoded.width, decoded.height], [3, 84, 84]);
  assert.equal(Array.from(decoded.data.subarray(0, 9)), [0, 0, 0, 255, 255, 255, 0, 0, 0], 'pixels repeated, not blended');
  const capped = await tensorImagePng(t, { targetImageSide: 1000, maxImageScale: 5 });
  assert.is(capped.scale, 5);
  t.dispose();
});

ImagePng('refuses tensors that are not image-shaped, saying what it got', async () => {
  const t = tf.zeros([32, 32]);
  try {
    await tensorImagePng(t);
    assert.unreachable('should throw');
  } catch (error) {
    assert.match((error as Error).message, /expected a float32\/int32 tensor \(H, W, 1\|3\) or \(N, H, W, 1\|3\) with H, W >= 8, got float32 \[32, 32\]/);
  }
  t.dispose();
});

ImagePng('leaks no tensors', async () => {
  const t = tf.randomUniform([3, 16, 16, 3]);
  await assertNoLeak(() => tensorImagePng(t));
  t.dispose();
});

ImagePng.run();
