/**
 * The oneDNN convolution addon (lib/native) and its wasm kernels (lib/kernels/native.ts), against the cpu
 * backend's kernels on random inputs. Skipped with a message when the addon is not built, except under
 * SIMCLR_REQUIRE_NATIVE=1 (CI), where a missing addon fails.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { fastKernelsRegistered, registerFastKernels, restoreStockKernels } from '../../lib/kernels';
import { loadNativeAddon, NativeAddon } from '../../lib/kernels/native';
import { nativeConvConfigs, nativeGeometry } from '../../lib/kernels/nativeConv';
import { elementwisePlan, NATIVE_ELEMENTWISE_MIN_SIZE } from '../../lib/kernels/nativeElementwise';
import { assertClose, assertNoLeak } from '../helpers';
import { Rng } from '../../lib/rng';
import { batchNormReference, caseData, CONV_CASES, convGradients, describeCase, maxAbs, onBackend, readAndDispose, seededValues } from './cases';

const status = loadNativeAddon();
const required = process.env.SIMCLR_REQUIRE_NATIVE === '1';

const presence = suite('native addon presence');
presence(`the addon loads (${status.detail})`, () => {
  if (!status.available && !required) {
    console.log(`  [skipped] oneDNN addon not available: ${status.detail}`);
    return;
  }
  assert.ok(status.available, `SIMCLR_REQUIRE_NATIVE=1 but: ${status.detail}`);
  const info = status.addon!.info();
  assert.match(info.onednn, /^2\.\d+\.\d+$/);
  assert.ok(info.threads >= 1);
});
presence.run();

const addon = status.addon as NativeAddon;
const when = (name: string) => suite(status.available ? name : `${name} [skipped: addon not built]`);

/** Geometry for a conv case through tfjs's own rules. */
function geometryOf(xShape: number[], filterShape: number[], stride: number, pad: 'same' | 'valid' | number, dilation = 1) {
  const info = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], stride, dilation, pad, undefined, false, 'channelsLast');
  return { info, geometry: nativeGeometry(info) };
}

const direct = when('addon called directly, against the cpu backend');
direct.before(async () => {
  await tf.setBackend('cpu');
});
if (status.available) {
  direct('forward, input gradient and filter gradient equal the cpu backend on the whole case table', async () => {
    for (const [k, c] of CONV_CASES.entries()) {
      if (Array.isArray(c.pad)) continue; // explicit padding: covered through the kernels below
      const d = caseData(c, 700 + k);
      const { info, geometry } = geometryOf(c.x, c.filter, c.stride, c.pad as 'same' | 'valid' | number);
      const y = new Float32Array(tf.util.sizeFromShape(info.outShape));
      addon.conv2d(d.x, d.filter, null, y, geometry, false);
      const expectedY = tf.tidy(() => tf.conv2d(tf.tensor4d(d.x, c.x), tf.tensor4d(d.filter, c.filter), c.stride, c.pad).dataSync());
      assertClose(y, expectedY, { rtol: 1e-4, atol: 1e-5 * maxAbs(expectedY) }, `y ${describeCase(c)}`);
      const dx = new Float32Array(d.x.length);
      const dw = new Float32Array(d.filter.length);
      addon.conv2dBackpropInput(d.dy, d.filter, dx, geometry);
      addon.conv2dBackpropFilter(d.x, d.dy, dw, geometry);
      const expected = await convGradients(c, d);
      assertClose(dx, expected.dx, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dx) }, `dx ${describeCase(c)}`);
      assertClose(dw, expected.dw, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dw) }, `dw ${describeCase(c)}`);
    }
  });
  direct('40 random geometries (filters 1/3/5, strides 1/2, same/valid, 1–33 channels), each run twice: equal to the cpu backend and deterministic', () => {
    const rng = new Rng(2026);
    const int = (a: number, b: number) => a + Math.floor(rng.next() * (b - a + 1));
    for (let t = 0; t < 40; t++) {
      const k = [1, 3, 3, 5][int(0, 3)];
      const stride = int(1, 2);
      const pad = rng.next() < 0.5 ? 'same' : 'valid';
      const xShape = [int(1, 4), int(k, 13), int(k, 13), int(1, 33)];
      const wShape = [k, k, xShape[3], int(1, 33)];
      const label = `x [${xShape}] w [${wShape}] s${stride} ${pad}`;
      const { info, geometry } = geometryOf(xShape, wShape, stride, pad);
      const x = seededValues(xShape, 1000 + t);
      const w = seededValues(wShape, 2000 + t);
      const dy = seededValues(info.outShape, 3000 + t);
      const run = () => {
        const out = { y: new Float32Array(dy.length), dx: new Float32Array(x.length), dw: new Float32Array(w.length) };
        addon.conv2d(x, w, null, out.y, geometry, false);
        addon.conv2dBackpropInput(dy, w, out.dx, geometry);
        addon.conv2dBackpropFilter(x, dy, out.dw, geometry);
        return out;
      };
      const first = run();
      const second = run();
      const expected = tf.tidy(() => {
        const xt = tf.tensor4d(x, xShape as [number, number, number, number]);
        const wt = tf.tensor4d(w, wShape as [number, number, number, number]);
        const dyt = tf.tensor(dy, info.outShape);
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad), dyt)))([xt, wt]);
        return { y: tf.conv2d(xt, wt, stride, pad).dataSync(), dx: dx.dataSync(), dw: dw.dataSync() };
      });
      for (const key of ['y', 'dx', 'dw'] as const) {
        assertClose(first[key], expected[key], { rtol: 1e-4, atol: 1e-5 * maxAbs(expected[key]) }, `${key} ${label}`);
        assert.equal(Array.from(second[key]), Array.from(first[key]), `${key} ${label}: a second run gave other values`);
      }
    }
  });
  direct('batch norm forward and backward on 12 random (rows, channels), each run twice: float64 closed form, deterministic', () => {
    const rng = new Rng(77);
    const int = (a: number, b: number) => a + Math.floor(rng.next() * (b - a + 1));
    for (let t = 0; t < 12; t++) {
      const rows = int(1, 3000);
      const channels = int(1, 70);
      const eps = 1e-5;
      const x = seededValues([rows, channels], 500 + t).map((v) => v * 3 + 2);
      const dy = seededValues([rows, channels], 600 + t);
      const scale = seededValues([channels], 700 + t);
      const shift = seededValues([channels], 800 + t);
      const run = () => {
        const o = { y: new Float32Array(x.length), mean: new Float32Array(channels), variance: new Float32Array(channels), dx: new Float32Array(x.length), dscale: new Float32Array(channels), dshift: new Float32Array(channels) };
        addon.batchNormForward(rows, channels, eps, x, scale, shift, o.y, o.mean, o.variance);
        addon.batchNormBackward(rows, channels, eps, x, dy, scale, o.mean, o.variance, o.dx, o.dscale, o.dshift);
        return o;
      };
      const first = run();
      const second = run();
      for (const key of Object.keys(first) as Array<keyof typeof first>) assert.equal(Array.from(second[key]), Array.from(first[key]), `rows ${rows} channels ${channels}: ${key} differs between runs`);
      const ref = batchNormReference(x, dy, scale, shift, rows, channels, eps);
      let worst = 0;
      for (let c = 0; c < channels; c++) {
        const sd = Math.sqrt(ref.variance[c] + eps);
        for (let i = 0; i < rows; i++) {
          const k = i * channels + c;
          worst = Math.max(worst, Math.abs(first.y[k] - ref.y[k]) / (1 + Math.abs(ref.y[k] - shift[c])));
          worst = Math.max(worst, Math.abs(first.dx[k] - ref.dx[k]) / (1 + Math.abs(scale[c] / sd)));
        }
        worst = Math.max(worst, Math.abs(first.dscale[c] - ref.dscale[c]) / (1 + Math.abs(ref.dscale[c])), Math.abs(first.dshift[c] - ref.dshift[c]) / (1 + Math.abs(ref.dshift[c])));
        worst = Math.max(worst, Math.abs(first.mean[c] - ref.mean[c]) / (1 + Math.abs(ref.mean[c])), Math.abs(first.variance[c] - ref.variance[c]) / (1 + ref.variance[c]));
      }
      assert.ok(worst < 1e-4, `rows ${rows} channels ${channels}: worst relative error ${worst}`);
    }
  });
  direct('dilated forward, and bias + ReLU in the same pass', () => {
    const x = seededValues([2, 11, 11, 3], 1);
    const w = seededValues([3, 3, 3, 5], 2);
    const b = seededValues([5], 3);
    const dilated = geometryOf([2, 11, 11, 3], [3, 3, 3, 5], 1, 'same', 2);
    const y = new Float32Array(tf.util.sizeFromShape(dilated.info.outShape));
    addon.conv2d(x, w, b, y, dilated.geometry, true);
    const expected = tf.tidy(() =>
      tf.relu(tf.add(tf.conv2d(tf.tensor4d(x, [2, 11, 11, 3]), tf.tensor4d(w, [3, 3, 3, 5]), 1, 'same', 'NHWC', 2), tf.tensor1d(b))).dataSync(),
    );
    assertClose(y, expected, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected) }, 'dilated conv + bias + relu');
    assert.ok(y.some((v) => v === 0) && y.some((v) => v > 0), 'ReLU clipped some outputs and kept others');
  });
  direct('a finite-difference check of the filter gradient (float64 sums of the addon\'s forward)', () => {
    const xShape = [2, 6, 6, 3];
    const wShape = [3, 3, 3, 4];
    const x = seededValues(xShape, 5);
    const w = seededValues(wShape, 6);
    const { info, geometry } = geometryOf(xShape, wShape, 2, 'same');
    const r = seededValues(info.outShape, 7);
    const loss = (filter: Float32Array) => {
      const y = new Float32Array(r.length);
      addon.conv2d(x, filter, null, y, geometry, false);
      let s = 0;
      for (let i = 0; i < y.length; i++) s += y[i] * r[i];
      return s;
    };
    const dw = new Float32Array(w.length);
    addon.conv2dBackpropFilter(x, r, dw, geometry);
    const h = 1e-2; // the loss is linear in w: central differences are exact up to float32 rounding
    for (const i of [0, 7, 31, 64, w.length - 1]) {
      const plus = Float32Array.from(w);
      const minus = Float32Array.from(w);
      plus[i] += h;
      minus[i] -= h;
      const numeric = (loss(plus) - loss(minus)) / (2 * h);
      assert.ok(Math.abs(numeric - dw[i]) <= 2e-3 * Math.max(1, Math.abs(dw[i])), `dw[${i}]: numeric ${numeric} vs ${dw[i]}`);
    }
  });
  direct('bad arguments throw clear errors and write nothing', () => {
    const { geometry } = geometryOf([1, 4, 4, 2], [3, 3, 2, 3], 1, 'same');
    const x = new Float32Array(32);
    const w = new Float32Array(54);
    const y = new Float32Array(48).fill(7);
    assert.throws(() => addon.conv2d(x, w, null, y, new Int32Array(16), false), /geometry must be an Int32Array of 17 values/);
    assert.throws(() => addon.conv2d(Array.from(x) as unknown as Float32Array, w, null, y, geometry, false), /x must be a Float32Array/);
    assert.throws(() => addon.conv2d(x, w, null, new Float32Array(47), geometry, false), /y is smaller than the geometry says/);
    assert.throws(() => addon.conv2d(x, w, new Float32Array(2), y, geometry, false), /bias is smaller/);
    const wrongOut = Int32Array.from(geometry);
    wrongOut[4] = 5; // Ho
    assert.throws(() => addon.conv2dBackpropFilter(x, y, w, wrongOut), /output size does not match/);
    const zeroStride = Int32Array.from(geometry);
    zeroStride[9] = 0;
    assert.throws(() => addon.conv2dBackpropInput(y, w, x, zeroStride), /must be positive/);
    assert.ok(y.every((v) => v === 7), 'the output was not touched');
  });
}
direct.run();

const kernels = when('wasm with the native kernels registered');
/** tfjs-wasm's own kernels, captured before ours are registered. */
const stockWasmKernels = new Map<string, tf.KernelFunc>();
kernels.before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  restoreStockKernels('wasm');
  for (const name of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput']) stockWasmKernels.set(name, tf.getKernel(name, 'wasm')!.kernelFunc);
  registerFastKernels('wasm', { native: true });
});
kernels.after(() => {
  restoreStockKernels('wasm');
});
if (status.available) {
  kernels('Conv2D, FusedConv2D and both gradients are the native ones', () => {
    const names = fastKernelsRegistered('wasm');
    for (const name of ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter']) assert.ok(names.includes(name), name);
  });
  kernels('tf.conv2d and its gradients through the public ops equal the cpu backend (whole case table, explicit padding included)', async () => {
    for (const [k, c] of CONV_CASES.entries()) {
      const d = caseData(c, 800 + k);
      const forward = () => tf.tidy(() => tf.conv2d(tf.tensor4d(d.x, c.x), tf.tensor4d(d.filter, c.filter), c.stride, c.pad).dataSync());
      const expectedY = await onBackend('cpu', forward);
      assertClose(forward(), expectedY, { rtol: 1e-4, atol: 1e-5 * maxAbs(expectedY) }, `y ${describeCase(c)}`);
      const expected = await onBackend('cpu', () => convGradients(c, d));
      const actual = await convGradients(c, d);
      assertClose(actual.dw, expected.dw, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dw) }, `dw ${describeCase(c)}`);
      assertClose(actual.dx, expected.dx, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected.dx) }, `dx ${describeCase(c)}`);
    }
  });
  kernels('a fused conv layer (bias + ReLU, as tf.layers runs it) has the cpu values and gradients for x, w and bias', async () => {
    const r = seededValues([3, 5, 5, 6], 14);
    const layer = () =>
      Promise.all(
        tf.tidy(() => {
          const x = tf.tensor(seededValues([3, 9, 9, 4], 11), [3, 9, 9, 4]);
          const w = tf.tensor(seededValues([3, 3, 4, 6], 12), [3, 3, 4, 6]);
          const b = tf.tensor(seededValues([6], 13), [6]);
          const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.fused.conv2d({ x: xi as tf.Tensor4D, filter: wi as tf.Tensor4D, bias: bi, activation: 'relu', strides: 2, pad: 'same' });
          const y = f(x, w, b);
          const grads = tf.grads((xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(f(xi, wi, bi), tf.tensor(r, [3, 5, 5, 6]))))([x, w, b]);
          return [y, ...grads];
        }).map(readAndDispose),
      );
    const expected = await onBackend('cpu', layer);
    const actual = await layer();
    ['y', 'dx', 'dw', 'dbias'].forEach((name, i) => assertClose(actual[i], expected[i], { rtol: 1e-4, atol: 1e-5 * maxAbs(expected[i]) }, name));
  });
  kernels('cases the addon does not take fall back to the previous kernels: elu and relu6 activations', async () => {
    for (const [activation, biasShape] of [['elu', [4]], ['relu6', [4]]] as const) {
      const run = () =>
        tf.tidy(() =>
          tf.fused.conv2d({
            x: tf.tensor4d(seededValues([2, 6, 6, 3], 21), [2, 6, 6, 3]),
            filter: tf.tensor4d(seededValues([3, 3, 3, 4], 22), [3, 3, 3, 4]),
            bias: tf.tensor(seededValues(biasShape as unknown as number[], 23), biasShape as unknown as number[]),
            activation,
            strides: 1,
            pad: 'same',
          }).dataSync(),
        );
      const expected = await onBackend('cpu', run);
      assertClose(run(), expected, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected) }, `${activation} bias [${biasShape}]`);
    }
  });
  kernels('no tensor or wasm buffer is leaked by a forward + backward step', async () => {
    const c = CONV_CASES[7];
    const d = caseData(c, 31);
    const step = async () => {
      await convGradients(c, d);
      tf.tidy(() => tf.fused.conv2d({ x: tf.tensor4d(d.x, c.x), filter: tf.tensor4d(d.filter, c.filter), bias: tf.zeros([c.filter[3]]), activation: 'relu', strides: c.stride, pad: c.pad as 'same' }).dataSync());
    };
    await step();
    const before = tf.backend().numDataIds();
    await assertNoLeak(step, 2, 'native conv step');
    assert.is(tf.backend().numDataIds(), before, 'wasm buffers');
  });
  kernels('Add, Sub, Multiply, RealDiv of large float32 tensors equal the cpu backend bit for bit, for every broadcast they take and the ones they pass on', async () => {
    const big = [8, 16, 16, 32]; // 65,536 elements: above NATIVE_ELEMENTWISE_MIN_SIZE
    assert.ok(tf.util.sizeFromShape(big) >= NATIVE_ELEMENTWISE_MIN_SIZE);
    const pairs: Array<[number[], number[]]> = [
      [big, big], [big, [32]], [big, [1, 1, 1, 32]], [[32], big], [big, []], [[], big], [[1], big],
      [big, [8, 1, 1, 32]], // not taken by the addon: stock kernel
      [[4, 8, 8, 2], [4, 8, 8, 2]], // too small for the addon: stock kernel
    ];
    for (const [i, [aShape, bShape]] of pairs.entries()) {
      for (const op of ['add', 'sub', 'mul', 'div'] as const) {
        const run = () =>
          tf.tidy(() => {
            const a = tf.tensor(seededValues(aShape, 40 + i), aShape);
            const b = tf.add(tf.tensor(seededValues(bShape, 60 + i), bShape), op === 'div' ? 3 : 0); // keep divisors away from 0
            return Array.from(tf[op](a, b).dataSync());
          });
        const expected = await onBackend('cpu', run);
        assert.equal(run(), expected, `${op} [${aShape}] [${bShape}]`);
      }
    }
    // int32 goes to the stock kernel
    const ints = tf.tidy(() => Array.from(tf.mul(tf.fill(big, 3, 'int32'), tf.scalar(2, 'int32')).dataSync().slice(0, 3)));
    assert.equal(ints, [6, 6, 6]);
  });
  kernels('a geometry oneDNN refuses falls back to the previous kernel, freeing the output it had allocated', async () => {
    const refusing: NativeAddon = {
      ...addon,
      conv2d: () => {
        throw new Error('oneDNN: could not create a primitive descriptor');
      },
      conv2dBackpropFilter: () => {
        throw new Error('geometry must be an Int32Array of 17 values');
      },
    };
    let fallbackCalls = 0;
    const configs = nativeConvConfigs(refusing, (name) => {
      const previous = stockWasmKernels.get(name);
      return previous ? (args) => (fallbackCalls++, previous(args)) : undefined;
    });
    const conv = configs.find((c) => c.kernelName === 'Conv2D')!;
    const filterGrad = configs.find((c) => c.kernelName === 'Conv2DBackpropFilter')!;
    const x = tf.tensor4d(seededValues([1, 5, 5, 2], 1), [1, 5, 5, 2]);
    const w = tf.tensor4d(seededValues([3, 3, 2, 3], 2), [3, 3, 2, 3]);
    const before = tf.backend().numDataIds();
    const out = conv.kernelFunc({ inputs: { x, filter: w }, backend: tf.backend(), attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', dilations: 1 } as unknown as tf.NamedAttrMap }) as tf.TensorInfo;
    assert.is(fallbackCalls, 1, 'the previous kernel ran');
    assert.is(tf.backend().numDataIds(), before + 1, 'only the fallback output is allocated');
    const expected = await onBackend('cpu', () => tf.tidy(() => tf.conv2d(tf.tensor4d(seededValues([1, 5, 5, 2], 1), [1, 5, 5, 2]), tf.tensor4d(seededValues([3, 3, 2, 3], 2), [3, 3, 2, 3]), 1, 'same').dataSync()));
    assertClose(tf.engine().makeTensorFromTensorInfo(out).dataSync(), expected, { rtol: 1e-4, atol: 1e-5 * maxAbs(expected) }, 'fallback result');
    tf.backend().disposeData(out.dataId);
    // Any other error is a bug in the caller, not a missing implementation: it propagates (and frees the output).
    const dy = tf.ones([1, 5, 5, 3]);
    const beforeGrad = tf.backend().numDataIds();
    assert.throws(() => filterGrad.kernelFunc({ inputs: { x, dy }, backend: tf.backend(), attrs: { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 2, 3] } as unknown as tf.NamedAttrMap }), /geometry must be/);
    assert.is(tf.backend().numDataIds(), beforeGrad, 'nothing left allocated');
    tf.dispose([x, w, dy]);
  });
  kernels('MaxPoolGrad equals the cpu backend: 2×2/2, 3×3/2 same (overlapping), ties after ReLU, NaN and −∞ windows', async () => {
    const cases: Array<[number[], number, number, 'valid' | 'same']> = [
      [[8, 8, 8, 3], 2, 2, 'valid'],
      [[5, 7, 9, 4], 3, 2, 'same'],
      [[3, 6, 6, 2], 3, 1, 'same'],
      [[16, 28, 28, 32], 2, 2, 'valid'], // the small CNN's first pool
    ];
    for (const [k, [shape, size, stride, pad]] of cases.entries()) {
      const values = seededValues(shape, 91 + k);
      values[0] = NaN; // a window with a NaN: the NaN is never the maximum
      values[shape[3]] = -Infinity;
      const outShape: number[] = tf.tidy(() => tf.maxPool(tf.zeros(shape as [number, number, number, number]) as tf.Tensor4D, size, stride, pad)).shape;
      const upstream = seededValues(outShape, 92 + k);
      const run = () =>
        tf.tidy(() => {
          const x = tf.relu(tf.tensor(values, shape)); // zeros: tied windows
          const f = (t: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(t as tf.Tensor4D, size, stride, pad), tf.tensor(upstream, outShape)));
          return Array.from(tf.grad(f)(x).dataSync());
        });
      const expected = await onBackend('cpu', run);
      assertClose(run(), expected, { rtol: 1e-6, atol: 1e-6 }, `[${shape}] ${size}x${size}/${stride} ${pad}`);
    }
  });
  kernels('native: false registers the wasm-only kernels and gives the stock Conv2D back', () => {
    const stockConv = (() => {
      restoreStockKernels('wasm');
      return tf.getKernel('Conv2D', 'wasm');
    })();
    const withNative = registerFastKernels('wasm', { native: true });
    assert.ok(withNative.includes('Conv2D'));
    const without = registerFastKernels('wasm', { native: false });
    assert.not.ok(without.includes('Conv2D'));
    assert.ok(without.includes('Conv2DBackpropFilter'));
    assert.is(tf.getKernel('Conv2D', 'wasm'), stockConv, 'stock Conv2D is back');
    registerFastKernels('wasm', { native: true });
  });
}
kernels.run();

const plans = suite('elementwisePlan');
plans('equal shapes, trailing-axis vectors on either side and single values are taken; other broadcasts are not', () => {
  assert.equal(elementwisePlan([2, 3, 4], [2, 3, 4]), { mode: 0, inner: 1, outShape: [2, 3, 4] });
  assert.equal(elementwisePlan([2, 3, 4], [4]), { mode: 1, inner: 4, outShape: [2, 3, 4] });
  assert.equal(elementwisePlan([2, 3, 4], [1, 1, 4]), { mode: 1, inner: 4, outShape: [2, 3, 4] });
  assert.equal(elementwisePlan([1, 4], [2, 3, 4]), { mode: 2, inner: 4, outShape: [2, 3, 4] });
  assert.equal(elementwisePlan([2, 3, 4], []), { mode: 3, inner: 1, outShape: [2, 3, 4] });
  assert.equal(elementwisePlan([1, 1], [2, 3, 4]), { mode: 4, inner: 1, outShape: [2, 3, 4] });
  assert.is(elementwisePlan([2, 3, 4], [2, 1, 4]), null, 'a broadcast over a middle axis');
  assert.is(elementwisePlan([2, 1], [1, 3]), null, 'both operands broadcast');
  assert.is(elementwisePlan([2, 3], [4]), null, 'incompatible shapes');
});
if (status.available) {
  plans('the addon refuses arrays shorter than the mode needs, and unknown ops or modes', () => {
    const a = new Float32Array(8);
    assert.throws(() => addon.elementwise(0, a, new Float32Array(7), new Float32Array(8), 0, 1), /elementwise: op must be 0-3, mode 0-4/);
    assert.throws(() => addon.elementwise(4, a, a, new Float32Array(8), 0, 1), /elementwise/);
    assert.throws(() => addon.maxPoolGrad(a, a, a, new Int32Array(11)), /maxPoolGrad: geometry must be an Int32Array of 12 values/);
    assert.throws(() => addon.maxPoolGrad(a, a, a, Int32Array.from([1, 2, 2, 2, 1, 1, 2, 2, 0, 2, 0, 0])), /must be positive/);
    assert.throws(() => addon.maxPoolGrad(a, a, new Float32Array(7), Int32Array.from([1, 2, 2, 2, 1, 1, 2, 2, 2, 2, 0, 0])), /dx is smaller/);
    assert.throws(() => addon.elementwise(0, a, new Float32Array(4), new Float32Array(8), 1, 3), /elementwise/, 'period does not divide the length');
  });
}
plans.run();

const loading = suite('loading the addon');
loading('importing the library registers no gradient; registerFastKernels(\'wasm\') registers the fused batch norm\'s with its kernels', () => {
  const script = [
    "const tf = require('@tensorflow/tfjs'); require('@tensorflow/tfjs-backend-wasm');",
    "const kernels = require('./lib/kernels'); require('./lib/models');",
    "const before = tf.getGradient(kernels.BATCH_NORM_TRAIN) !== undefined;",
    "tf.setBackend('wasm').then(() => { const names = kernels.registerFastKernels('wasm');",
    "console.log(JSON.stringify({ before, after: tf.getGradient(kernels.BATCH_NORM_TRAIN) !== undefined, kernel: names.includes(kernels.BATCH_NORM_TRAIN) })); });",
  ].join(' ');
  const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', script], { cwd: path.join(__dirname, '..', '..'), encoding: 'utf8' });
  const seen = JSON.parse(out.trim().split('\n').pop()!);
  assert.is(seen.before, false, 'a gradient was registered at import');
  assert.is(seen.after, seen.kernel, 'the gradient is registered exactly when the kernels are');
  if (status.available) assert.ok(seen.kernel);
});

loading('SIMCLR_NATIVE=0 turns it off; a missing, broken or outdated build is reported, never thrown', () => {
  const probe = (env: Record<string, string>) =>
    execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', "console.log(JSON.stringify(require('./lib/kernels/native').loadNativeAddon()))"], {
      cwd: path.join(__dirname, '..', '..'),
      env: { ...process.env, ...env },
      encoding: 'utf8',
    });
  const off = JSON.parse(probe({ SIMCLR_NATIVE: '0' }).trim().split('\n').pop()!);
  assert.equal(off, { available: false, detail: 'turned off by SIMCLR_NATIVE' });
  const missing = JSON.parse(probe({ SIMCLR_NATIVE: '', SIMCLR_NATIVE_ADDON: path.join(os.tmpdir(), 'no-such-addon.node') }).trim().split('\n').pop()!);
  assert.is(missing.available, false);
  assert.match(missing.detail, /not built .*lib\/native\/build\.sh/);
  const broken = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-native-')), 'broken.node');
  fs.writeFileSync(broken, 'not an ELF file');
  const corrupt = JSON.parse(probe({ SIMCLR_NATIVE: '', SIMCLR_NATIVE_ADDON: broken }).trim().split('\n').pop()!);
  assert.is(corrupt.available, false);
  assert.match(corrupt.detail, /^failed to load .*broken\.node: /);
  const partial = path.join(path.dirname(broken), 'old-build.js'); // a module with only some of the functions
  fs.writeFileSync(partial, 'module.exports = { conv2d() {}, info() { return { onednn: "2.6.3", cpuIsa: "avx2", threads: 1 }; } };');
  const outdated = JSON.parse(probe({ SIMCLR_NATIVE: '', SIMCLR_NATIVE_ADDON: partial }).trim().split('\n').pop()!);
  assert.is(outdated.available, false);
  assert.match(outdated.detail, /is an outdated build \(no conv2dBackpropInput, conv2dBackpropFilter, elementwise, batchNormForward, batchNormBackward, maxPoolGrad, optimizerStep\)/);
});
loading.run();
