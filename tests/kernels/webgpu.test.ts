import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend, probeWebGpu } from '../../lib/backend';
import { registerFastKernels, restoreStockKernels } from '../../lib/kernels';
import { assertClose, assertNoLeak } from '../helpers';
import { caseData, CONV_CASES, convGradients, describeCase, maxAbs, onBackend, readAndDispose, seededValues } from './cases';

/** Small cases only: lavapipe runs WebGPU on the CPU and compiles a shader per new program. */
const GPU_CASES = [CONV_CASES[0], CONV_CASES[1], CONV_CASES[2], CONV_CASES[3], CONV_CASES[8]];

let skipReason = '';

const gradients = suite('webgpu conv gradients (Conv2DBackpropFilter, Conv2DBackpropInput)');
gradients.before(async () => {
  const probe = await probeWebGpu();
  if (!probe.ok) {
    skipReason = probe.reason;
    console.log(`\n  [webgpu tests skipped: ${probe.reason}]`);
    return;
  }
  await initBackend({ backend: 'webgpu', allowSoftwareAdapter: true, fastKernels: false });
  assert.ok(registerFastKernels('webgpu').includes('Conv2DBackpropFilter'));
});
gradients.after(async () => {
  restoreStockKernels('webgpu');
  await tf.setBackend('cpu');
});
gradients('tf.grads of Σ conv2d(x, w) ⊙ r on fast webgpu equal the cpu backend', async () => {
  if (skipReason) return;
  for (const [k, c] of GPU_CASES.entries()) {
    const d = caseData(c, 400 + k);
    const expected = await onBackend('cpu', () => convGradients(c, d));
    const actual = await convGradients(c, d);
    assertClose(actual.dw, expected.dw, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dw) }, `dw ${describeCase(c)}`);
    assertClose(actual.dx, expected.dx, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dx) }, `dx ${describeCase(c)}`);
  }
});
gradients('a fused conv layer (bias + ReLU) has the cpu gradients for x, w and bias', async () => {
  if (skipReason) return;
  const x = seededValues([2, 8, 8, 4], 41);
  const w = seededValues([3, 3, 4, 8], 42);
  const b = seededValues([8], 43);
  const r = seededValues([2, 8, 8, 8], 44);
  const layerGrads = () =>
    Promise.all(tf.tidy(() => tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
        tf.sum(tf.mul(tf.fused.conv2d({ x: xi as tf.Tensor4D, filter: wi as tf.Tensor4D, bias: bi, activation: 'relu', strides: 1, pad: 'same' }), tf.tensor(r, [2, 8, 8, 8]))),
      )([tf.tensor(x, [2, 8, 8, 4]), tf.tensor(w, [3, 3, 4, 8]), tf.tensor(b, [8])])).map(readAndDispose));
  const expected = await onBackend('cpu', layerGrads);
  const actual = await layerGrads();
  ['x', 'w', 'bias'].forEach((name, i) => assertClose(actual[i], expected[i], { rtol: 1e-4, atol: 1e-5 * maxAbs(expected[i]) }, name));
});
gradients('no tensor or GPU buffer is leaked by a gradient step', async () => {
  if (skipReason) return;
  const c = GPU_CASES[1];
  const d = caseData(c, 45);
  await convGradients(c, d);
  const before = tf.backend().numDataIds();
  await assertNoLeak(() => convGradients(c, d), 2, 'conv gradients');
  assert.is(tf.backend().numDataIds(), before, 'webgpu buffers');
});
gradients.run();
