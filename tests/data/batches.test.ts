import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { ImageDataset } from '../../lib/data/dataset';
import { batches, imagesToTensor, numBatches } from '../../lib/data/batches';
import { assertClose, assertNoLeak, useCpu } from '../helpers';

/** n images of 2x2x3 with pixel (i, y, x, c) = (7i + 3y + 5x + c) mod 256 (varied, and traceable), labels i mod 4. */
function pattern(n: number): ImageDataset {
  const images = new Uint8Array(n * 12);
  for (let i = 0; i < n; i++)
    for (let y = 0; y < 2; y++) for (let x = 0; x < 2; x++) for (let c = 0; c < 3; c++) images[((i * 2 + y) * 2 + x) * 3 + c] = (7 * i + 3 * y + 5 * x + c) % 256;
  return { name: 'pattern', images, shape: [n, 2, 2, 3], labels: Int32Array.from({ length: n }, (_, i) => i % 4), classNames: ['a', 'b', 'c', 'd'] };
}

const ToTensor = suite('imagesToTensor');
ToTensor.before(useCpu);

ToTensor('gives (k, H, W, C) float32 equal to pixel / 255 at the chosen indices, in order', () => {
  const ds = pattern(40);
  const t = imagesToTensor(ds, [39, 2]);
  assert.equal(t.shape, [2, 2, 2, 3]);
  assert.is(t.dtype, 'float32');
  const expected: number[] = [];
  for (const i of [39, 2]) for (let j = 0; j < 12; j++) expected.push(ds.images[i * 12 + j] / 255);
  assertClose(t.dataSync(), expected, { rtol: 0, atol: 1e-7 });
  t.dispose();
  const all = imagesToTensor(ds);
  assert.equal(all.shape, [40, 2, 2, 3]);
  assertClose(all.dataSync(), Array.from(ds.images, (v) => v / 255), { rtol: 0, atol: 1e-7 });
  all.dispose();
});

ToTensor('creates exactly one tensor (the result) and rejects bad indices', async () => {
  const ds = pattern(5);
  await assertNoLeak(() => imagesToTensor(ds, [0, 1]).dispose());
  assert.throws(() => imagesToTensor(ds, [5]), /index 5 at position 0 is not an integer in \[0, 5\)/);
});

ToTensor.run();

const Batches = suite('batches');
Batches.before(useCpu);

/** Collect (indices, labels, first pixel) per batch, reading tensors while they are alive. */
function collect(ds: ImageDataset, options: Parameters<typeof batches>[1]) {
  const out: { indices: number[]; labels: number[]; shape: number[] }[] = [];
  for (const batch of batches(ds, options)) {
    const labels = Array.from(batch.labels.dataSync());
    const pixels = batch.images.dataSync();
    batch.indices.forEach((i, k) => assert.ok(Math.abs(pixels[k * 12] - ds.images[i * 12] / 255) < 1e-7, 'image matches its index'));
    out.push({ indices: Array.from(batch.indices), labels, shape: batch.images.shape });
  }
  return out;
}

Batches('a shuffled epoch covers every index exactly once; sizes batchSize then the remainder; labels match', () => {
  const ds = pattern(103);
  const epoch = collect(ds, { batchSize: 16, rng: new Rng(5) });
  assert.equal(epoch.map((b) => b.indices.length), [16, 16, 16, 16, 16, 16, 7]);
  assert.is(numBatches(ds, { batchSize: 16 }), 7);
  const seen = epoch.flatMap((b) => b.indices);
  assert.equal([...seen].sort((a, b) => a - b), Array.from({ length: 103 }, (_, i) => i));
  assert.not.equal(seen, Array.from({ length: 103 }, (_, i) => i), 'shuffled');
  for (const b of epoch) {
    assert.equal(b.labels, b.indices.map((i) => i % 4));
    assert.equal(b.shape, [b.indices.length, 2, 2, 3]);
  }
});

Batches('dropLast drops only the short final batch; shuffle false keeps dataset order', () => {
  const ds = pattern(103);
  const dropped = collect(ds, { batchSize: 16, rng: new Rng(5), dropLast: true });
  assert.equal(dropped.map((b) => b.indices.length), [16, 16, 16, 16, 16, 16]);
  assert.is(numBatches(ds, { batchSize: 16, dropLast: true }), 6);
  const exact = collect(pattern(32), { batchSize: 16, rng: new Rng(5), dropLast: true });
  assert.is(exact.length, 2, 'nothing dropped when n is a multiple');
  const ordered = collect(ds, { batchSize: 50, shuffle: false });
  assert.equal(ordered.flatMap((b) => b.indices), Array.from({ length: 103 }, (_, i) => i));
});

Batches('the same seed gives the same batches; another seed or the next epoch of one rng differs', () => {
  const ds = pattern(64);
  const a = collect(ds, { batchSize: 8, rng: new Rng(11) });
  const b = collect(ds, { batchSize: 8, rng: new Rng(11) });
  assert.equal(a, b);
  assert.not.equal(a, collect(ds, { batchSize: 8, rng: new Rng(12) }));
  const rng = new Rng(11);
  const first = collect(ds, { batchSize: 8, rng });
  const second = collect(ds, { batchSize: 8, rng });
  assert.equal(first, a);
  assert.not.equal(second, first, 'a fresh permutation per epoch');
});

Batches('disposes each batch when the next is requested, and on break; numTensors returns to baseline', async () => {
  const ds = pattern(50);
  const before = tf.memory().numTensors;
  const iterator = batches(ds, { batchSize: 10, rng: new Rng(1) });
  const first = iterator.next().value!;
  assert.is(tf.memory().numTensors, before + 2, 'images and labels alive');
  iterator.next();
  assert.ok(first.images.isDisposed && first.labels.isDisposed, 'previous batch freed on next()');
  assert.is(tf.memory().numTensors, before + 2);
  iterator.return();
  assert.is(tf.memory().numTensors, before, 'freed on return()');

  await assertNoLeak(() => {
    for (const batch of batches(ds, { batchSize: 7, rng: new Rng(2) })) tf.tidy(() => void batch.images.mean());
  });
  await assertNoLeak(() => {
    let k = 0;
    for (const _ of batches(ds, { batchSize: 7, rng: new Rng(2) })) if (++k === 3) break;
  });
  await assertNoLeak(() => {
    try {
      for (const _ of batches(ds, { batchSize: 7, rng: new Rng(2) })) throw new Error('consumer failed');
    } catch {
      /* the generator's finally must still free the batch */
    }
  });
  assert.is(tf.memory().numTensors, before);
});

Batches('validates options at the call, before any iteration', () => {
  const ds = pattern(4);
  assert.throws(() => batches(ds, { batchSize: 0, rng: new Rng(1) }), /batchSize must be an integer >= 1, got 0/);
  assert.throws(() => batches(ds, { batchSize: 2.5, rng: new Rng(1) }), /batchSize must be an integer >= 1, got 2.5/);
  assert.throws(() => batches(ds, { batchSize: 2 }), /shuffle is true, so options.rng must be a seeded Rng/);
  assert.throws(() => numBatches(ds, { batchSize: -3 }), /batchSize must be an integer >= 1/);
});

Batches.run();
