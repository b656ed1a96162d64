import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { sliceOnHeap, stridesOf, tileOnHeap, WasmHeapBackend } from '../../lib/kernels/wasmHeap';
import { onBackend, seededValues } from './cases';

async function useWasm(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
}

/** Run a heap kernel on wasm; returns shape and values. */
function onHeap(fn: (backend: WasmHeapBackend) => tf.TensorInfo): { shape: number[]; values: number[] } {
  const info = fn(tf.backend() as unknown as WasmHeapBackend);
  const t = tf.engine().makeTensorFromTensorInfo(info);
  const result = { shape: t.shape, values: Array.from(t.dataSync()) };
  t.dispose();
  return result;
}

const strides = suite('stridesOf');
strides('row-major strides', () => {
  assert.equal(stridesOf([2, 3, 4]), [12, 4, 1]);
  assert.equal(stridesOf([5]), [1]);
  assert.equal(stridesOf([]), []);
});
strides.run();

const tile = suite('tileOnHeap');
tile.before(useWasm);
const tileCases: Array<[number[], number[], 'float32' | 'int32']> = [
  [[1, 1, 1, 4], [3, 5, 2, 1], 'float32'], // batch-norm gradient's shape
  [[2, 3], [2, 2], 'float32'],
  [[3, 1, 2], [1, 4, 1], 'int32'],
  [[4], [3], 'float32'],
  [[2, 1, 3, 1, 2], [1, 2, 1, 3, 2], 'float32'],
  [[2, 2], [1, 1], 'int32'],
];
tile('equals the cpu backend tf.tile (float32 and int32, ranks 1-5)', async () => {
  for (const [shape, reps, dtype] of tileCases) {
    const values = Array.from(seededValues(shape, 3), (v) => (dtype === 'int32' ? Math.round(v * 10) : v));
    const expected = await onBackend('cpu', () => tf.tidy(() => Array.from(tf.tile(tf.tensor(values, shape, dtype), reps).dataSync())));
    const x = tf.tensor(values, shape, dtype);
    const actual = onHeap((b) => tileOnHeap(b, x, reps));
    assert.equal(actual.shape, shape.map((s, i) => s * reps[i]), `[${shape}] × [${reps}]`);
    assert.equal(actual.values, expected, `[${shape}] × [${reps}] ${dtype}`);
    x.dispose();
  }
});
tile('an empty repetition gives an empty tensor', () => {
  const x = tf.ones([2, 2]);
  const actual = onHeap((b) => tileOnHeap(b, x, [0, 3]));
  assert.equal(actual.shape, [0, 6]);
  x.dispose();
});
tile.run();

const slice = suite('sliceOnHeap');
slice.before(useWasm);
const sliceCases: Array<[number[], number[], number[]]> = [
  [[3, 6, 6, 4], [0, 1, 1, 0], [3, 4, 4, 4]], // zero-padding gradient: whole W·C rows
  [[2, 5, 7], [1, 2, 3], [1, 2, 4]],
  [[4, 5], [0, 0], [4, 5]],
  [[8], [3], [4]],
  [[2, 3, 4, 5], [1, 0, 0, 0], [1, 3, 4, 5]], // contiguous: one run
  [[2, 3, 4, 5], [0, 1, 2, 1], [2, 2, 2, 3]],
];
slice('equals the cpu backend tf.slice', async () => {
  for (const [shape, begin, size] of sliceCases) {
    const values = Array.from(seededValues(shape, 4));
    const expected = await onBackend('cpu', () => tf.tidy(() => Array.from(tf.slice(tf.tensor(values, shape), begin, size).dataSync())));
    const x = tf.tensor(values, shape);
    const actual = onHeap((b) => sliceOnHeap(b, x, begin, size));
    assert.equal(actual.shape, size);
    assert.equal(actual.values, expected, `[${shape}] begin [${begin}] size [${size}]`);
    x.dispose();
  }
});
slice.run();
