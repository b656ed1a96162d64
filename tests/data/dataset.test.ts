import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../../lib/rng';
import { ImageDataset, describe, labelCounts, limit, shuffled, subset, validateDataset } from '../../lib/data/dataset';

/** n images of 2x3x1 whose every pixel equals the image index (so provenance is visible), labels i mod 3. */
function tagged(n: number): ImageDataset {
  const images = new Uint8Array(n * 6);
  for (let i = 0; i < n; i++) images.fill(i, i * 6, (i + 1) * 6);
  return { name: 'tagged', images, shape: [n, 2, 3, 1], labels: Int32Array.from({ length: n }, (_, i) => i % 3), classNames: ['a', 'b', 'c'] };
}

const Validate = suite('validateDataset');

Validate('accepts a consistent dataset and returns it', () => {
  const ds = tagged(4);
  assert.is(validateDataset(ds), ds);
});

Validate('rejects inconsistent lengths and out-of-range labels, naming the dataset', () => {
  const cases: [Partial<ImageDataset>, RegExp][] = [
    [{ images: new Uint8Array(5) }, /tagged: images has 5 bytes, shape 4x2x3x1 needs 24/],
    [{ labels: new Int32Array(3) }, /tagged: 3 labels for 4 images/],
    [{ labels: Int32Array.from([0, 1, 3, 0]) }, /label 3 of image 2 is outside \[-1, 3\)/],
    [{ labels: Int32Array.from([0, -2, 0, 0]) }, /label -2 of image 1/],
    [{ shape: [4, 2, 3] as any }, /shape must be \[n, height, width, channels\]/],
    [{ images: [1, 2] as any }, /images must be a Uint8Array/],
  ];
  for (const [change, pattern] of cases) assert.throws(() => validateDataset({ ...tagged(4), ...change }), pattern);
  // -1 (unlabeled) is allowed
  validateDataset({ ...tagged(4), labels: Int32Array.from([-1, -1, 0, 2]) });
});

Validate.run();

const Subset = suite('subset');

Subset('copies the chosen images and labels in the given order, duplicates allowed', () => {
  const ds = tagged(5);
  const s = subset(ds, [4, 0, 4]);
  assert.equal(s.shape, [3, 2, 3, 1]);
  assert.equal(Array.from(s.images), [4, 4, 4, 4, 4, 4, 0, 0, 0, 0, 0, 0, 4, 4, 4, 4, 4, 4]);
  assert.equal(Array.from(s.labels), [1, 0, 1]);
  assert.equal(s.classNames, ds.classNames);
  s.images[0] = 99;
  assert.is(ds.images[24], 4, 'a copy, not a view');
});

Subset('rejects out-of-range and non-integer indices', () => {
  assert.throws(() => subset(tagged(3), [0, 3]), /index 3 at position 1 is not an integer in \[0, 3\)/);
  assert.throws(() => subset(tagged(3), [1.5]), /index 1.5/);
  assert.throws(() => subset(tagged(3), [-1]), /index -1/);
});

Subset.run();

const Limit = suite('limit');

Limit('keeps the first n images as a view; n >= size returns the dataset', () => {
  const ds = tagged(5);
  const l = limit(ds, 2);
  assert.equal(l.shape, [2, 2, 3, 1]);
  assert.equal(Array.from(l.images), [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
  assert.equal(Array.from(l.labels), [0, 1]);
  assert.is(l.images.buffer, ds.images.buffer, 'no copy');
  assert.is(limit(ds, 5), ds);
  assert.is(limit(ds, 100), ds);
  assert.equal(limit(ds, 0).shape, [0, 2, 3, 1]);
  assert.throws(() => limit(ds, -1), /non-negative integer, got -1/);
});

Limit.run();

const Shuffled = suite('shuffled');

Shuffled('is a seeded permutation: same seed same order, every image once, labels follow their images', () => {
  const ds = tagged(50);
  const a = shuffled(ds, new Rng(3));
  const b = shuffled(ds, new Rng(3));
  const c = shuffled(ds, new Rng(4));
  assert.equal(Array.from(a.images), Array.from(b.images));
  assert.not.equal(Array.from(a.images), Array.from(c.images));
  const order = Array.from({ length: 50 }, (_, k) => a.images[k * 6]);
  assert.equal([...order].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.not.equal(order, Array.from({ length: 50 }, (_, i) => i), 'actually reordered');
  order.forEach((i, k) => assert.is(a.labels[k], i % 3));
  assert.throws(() => shuffled(ds, 7 as any), /rng must be an Rng/);
});

Shuffled.run();

const Describe = suite('describe');

Describe('reports size, shape, classes with counts, unlabeled count and pixel statistics', () => {
  const ds = { ...tagged(4), labels: Int32Array.from([0, 0, 2, -1]) };
  // pixels: 6 each of 0,1,2,3 -> mean 1.5, population std sqrt(1.25) = 1.118
  const text = describe(ds);
  assert.match(text, /^tagged: 4 images of 2x3x1 \(uint8, 0\.0 MiB\)/);
  assert.match(text, /3 classes \(a 2, b 0, c 1\)/);
  assert.match(text, /1 unlabeled/);
  assert.match(text, /pixel mean 1\.5, std 1\.1 \(0\.\.255\)/);
  assert.equal(labelCounts(ds), { counts: [2, 0, 1], unlabeled: 1 });
});

Describe.run();
