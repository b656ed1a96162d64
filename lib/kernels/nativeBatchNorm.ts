/**
 * Batch normalisation in training as two kernels on the native addon's oneDNN primitive (lib/native/batch_norm.cc)
 * for the wasm backend, and their gradient. lib/models' BatchNormalization calls BATCH_NORM_TRAIN when the backend has it.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './kernelNames';
import { NativeAddon } from './native';
import { floatsOnHeap as heap, WasmHeapBackend } from './wasmHeap';

/**
 * Gradient of BATCH_NORM_TRAIN through its first output y, in one BATCH_NORM_TRAIN_GRAD kernel:
 * dx = γ/√(σ² + ε)·(dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂, dβ = Σ dy, x̂ = (x − μ)/√(σ² + ε), sums and means
 * over the leading axes (Ioffe & Szegedy 2015). The mean and variance outputs are for the moving averages only:
 * gradients arriving through them are ignored (the layer never differentiates them).
 */
export const batchNormTrainGradConfig: tf.GradConfig = {
  kernelName: BATCH_NORM_TRAIN,
  inputsToSave: ['x', 'scale'],
  outputsToSave: [false, true, true],
  gradFunc: (dy, saved, attrs) => {
    const [x, scale, mean, variance] = saved;
    const upstream = Array.isArray(dy) ? dy[0] : dy;
    const [dx, dscale, doffset] = tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { x, dy: upstream, scale, mean, variance }, attrs as tf.NamedAttrMap) as tf.Tensor[];
    return { x: () => dx, scale: () => dscale, offset: () => doffset };
  },
};

/**
 * Register the gradient of BATCH_NORM_TRAIN (once; later calls do nothing). Gradients are global in tfjs, which is
 * harmless here: only the kernels below produce BATCH_NORM_TRAIN. Called by `registerFastKernels` whenever it
 * registers those kernels; tfjs has no way to unregister a gradient, so it stays after `restoreStockKernels`.
 */
export function registerBatchNormTrainGradient(): void {
  if (!tf.getGradient(BATCH_NORM_TRAIN)) tf.registerGradient(batchNormTrainGradConfig);
}

/**
 * The two batch-norm kernels on 'wasm' over oneDNN's batch_normalization primitive (2 passes forward, 2 back,
 * all cores), for float32 x of rank ≥ 2 normalised over every axis but the last, with (C,) scale and offset.
 * They have no fallback: `batchNormTraining` (lib/models/batchNorm.ts) only calls them for such inputs, and
 * the layer uses tfjs's own path otherwise. Building the configs registers nothing: `registerFastKernels`
 * registers them and, with them, the gradient (`registerBatchNormTrainGradient`).
 */
export function nativeBatchNormConfigs(addon: NativeAddon): tf.KernelConfig[] {
  const sizes = (x: tf.TensorInfo) => {
    const channels = x.shape[x.shape.length - 1];
    const size = tf.util.sizeFromShape(x.shape);
    if (x.dtype !== 'float32' || x.shape.length < 2 || size === 0) throw new Error(`${BATCH_NORM_TRAIN}: x must be float32 of rank >= 2 and not empty, got ${x.dtype} [${x.shape}]`);
    return { rows: size / channels, channels };
  };
  const checkVector = (t: tf.TensorInfo, name: string, channels: number) => {
    if (t.dtype !== 'float32' || tf.util.sizeFromShape(t.shape) !== channels) throw new Error(`${BATCH_NORM_TRAIN}: ${name} must be float32 of ${channels} values, got ${t.dtype} [${t.shape}]`);
  };
  return [
    {
      kernelName: BATCH_NORM_TRAIN,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { x, scale, offset } = args.inputs as Record<string, tf.TensorInfo>;
        const { epsilon } = args.attrs as unknown as { epsilon: number };
        const { rows, channels } = sizes(x);
        checkVector(scale, 'scale', channels);
        checkVector(offset, 'offset', channels);
        const backend = args.backend as unknown as WasmHeapBackend;
        const y = backend.makeOutput(x.shape, 'float32');
        const mean = backend.makeOutput([channels], 'float32');
        const variance = backend.makeOutput([channels], 'float32');
        addon.batchNormForward(rows, channels, epsilon, heap(backend, x), heap(backend, scale), heap(backend, offset), heap(backend, y), heap(backend, mean), heap(backend, variance));
        return [y, mean, variance];
      },
    },
    {
      kernelName: BATCH_NORM_TRAIN_GRAD,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { x, dy, scale, mean, variance } = args.inputs as Record<string, tf.TensorInfo>;
        const { epsilon } = args.attrs as unknown as { epsilon: number };
        const { rows, channels } = sizes(x);
        if (dy.dtype !== 'float32' || !tf.util.arraysEqual(dy.shape, x.shape)) throw new Error(`${BATCH_NORM_TRAIN_GRAD}: dy must be float32 of x's shape [${x.shape}], got ${dy.dtype} [${dy.shape}]`);
        [scale, mean, variance].forEach((t, i) => checkVector(t, ['scale', 'mean', 'variance'][i], channels));
        const backend = args.backend as unknown as WasmHeapBackend;
        const dx = backend.makeOutput(x.shape, 'float32');
        const dscale = backend.makeOutput([channels], 'float32');
        const doffset = backend.makeOutput([channels], 'float32');
        addon.batchNormBackward(rows, channels, epsilon, heap(backend, x), heap(backend, dy), heap(backend, scale), heap(backend, mean), heap(backend, variance), heap(backend, dx), heap(backend, dscale), heap(backend, doffset));
        return [dx, dscale, doffset];
      },
    },
  ];
}
