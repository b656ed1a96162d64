import { suite } from 'uvu';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { KernelComposer } from '../../lib/kernels';
import { batchNormByDepthwise, reduceLeadingAxes } from '../../lib/kernels/wasmChannels';
import { assertClose } from '../helpers';
import { maxAbs, onBackend, seededValues } from './cases';

/** Run a composed body on wasm and return its values (intermediates freed). */
function onWasm(body: (c: KernelComposer) => tf.TensorInfo): Float32Array {
  const composer = new KernelComposer(tf.backend(), 'wasm');
  const info = composer.finish(body(composer));
  const t = tf.engine().makeTensorFromTensorInfo(info);
  const values = t.dataSync() as Float32Array;
  t.dispose();
  return values;
}

const reduce = suite('reduceLeadingAxes');
reduce.before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});
reduce('sum and mean over 1-3 leading axes equal tf.sum/tf.mean on the cpu backend', async () => {
  const shape = [5, 4, 6, 3];
  const values = seededValues(shape, 5);
  for (const leading of [1, 2, 3]) {
    const axes = Array.from({ length: leading }, (_, i) => i);
    for (const mean of [false, true]) {
      const expected = await onBackend('cpu', () => tf.tidy(() => (mean ? tf.mean : tf.sum)(tf.tensor(values, shape), axes).dataSync() as Float32Array));
      const x = tf.tensor(values, shape);
      const actual = onWasm((c) => reduceLeadingAxes(c, x, leading, mean, false));
      assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 * (maxAbs(expected) + 1) }, `${leading} axes, mean ${mean}`);
      x.dispose();
    }
  }
});
reduce.run();

const batchNorm = suite('batchNormByDepthwise');
batchNorm.before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});
batchNorm('(x − μ)·γ/√(σ² + ε) + β per channel equals tf.batchNorm on the cpu backend', async () => {
  const shape = [3, 4, 5, 6];
  const parts = [seededValues(shape, 1), seededValues([6], 2), Float32Array.from(seededValues([6], 3), (v) => Math.abs(v) + 0.1), seededValues([6], 4), seededValues([6], 5)];
  const expected = await onBackend('cpu', () =>
    tf.tidy(() => tf.batchNorm(tf.tensor(parts[0], shape), tf.tensor(parts[1]), tf.tensor(parts[2]), tf.tensor(parts[3]), tf.tensor(parts[4]), 1e-3).dataSync() as Float32Array),
  );
  const [x, mean, variance, offset, scale] = [tf.tensor(parts[0], shape), ...parts.slice(1).map((p) => tf.tensor(p))];
  const actual = onWasm((c) => batchNormByDepthwise(c, x, mean, variance, offset, scale, 1e-3));
  assertClose(actual, expected, { rtol: 1e-5, atol: 1e-5 });
  tf.dispose([x, mean, variance, offset, scale]);
});
batchNorm.run();
