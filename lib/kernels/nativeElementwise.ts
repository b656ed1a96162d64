/** Large float32 Add, Sub, Multiply, RealDiv on the native addon (lib/native/elementwise.cc), on all cores, for the wasm backend. */
import * as tf from '@tensorflow/tfjs';
import { NativeAddon } from './native';
import { floatsOnHeap as heap, WasmHeapBackend } from './wasmHeap';

/**
 * Below this many outputs the stock single-threaded kernel runs: waking threads pays only for large arrays.
 * 32,768 floats (128 KB) is a rough cut, not a tuned one.
 */
export const NATIVE_ELEMENTWISE_MIN_SIZE = 32768;

/**
 * How the addon computes `a ∘ b` for these shapes, or null when it does not (then the stock kernel runs):
 * mode 0 equal shapes; 1 (2) b (a) is a vector along the last axis of the other, e.g. (C,) or (1, 1, 1, C)
 * against (N, H, W, C); 3 (4) b (a) is a single value.
 */
export function elementwisePlan(aShape: number[], bShape: number[]): { mode: number; inner: number; outShape: number[] } | null {
  const na = tf.util.sizeFromShape(aShape);
  const nb = tf.util.sizeFromShape(bShape);
  let outShape: number[];
  try {
    outShape = tf.backend_util.assertAndGetBroadcastShape(aShape, bShape);
  } catch {
    return null;
  }
  const n = tf.util.sizeFromShape(outShape);
  const isTrailingVector = (shape: number[], size: number) => shape.length > 0 && shape[shape.length - 1] === size && shape.slice(0, -1).every((d) => d === 1);
  const last = outShape[outShape.length - 1];
  if (na === n && nb === n && tf.util.arraysEqual(aShape, bShape)) return { mode: 0, inner: 1, outShape };
  if (na === n && nb === 1) return { mode: 3, inner: 1, outShape };
  if (nb === n && na === 1) return { mode: 4, inner: 1, outShape };
  if (na === n && tf.util.arraysEqual(aShape, outShape) && nb === last && isTrailingVector(bShape, nb)) return { mode: 1, inner: nb, outShape };
  if (nb === n && tf.util.arraysEqual(bShape, outShape) && na === last && isTrailingVector(aShape, na)) return { mode: 2, inner: na, outShape };
  return null;
}

/**
 * Add, Sub, Multiply, RealDiv of float32 tensors with at least NATIVE_ELEMENTWISE_MIN_SIZE outputs, on every core
 * (the batch-norm and optimiser arithmetic of a training step: tfjs-wasm runs it on one thread, and its
 * broadcast path, e.g. x − mean over channels, is ~10× slower than its same-shape one). IEEE single precision,
 * the same values as the stock kernels. Other dtypes, small tensors and other broadcasts go to `fallback`.
 */
export function nativeElementwiseConfigs(addon: NativeAddon, fallback: (kernelName: string) => tf.KernelFunc | undefined): tf.KernelConfig[] {
  const ops: Array<[string, number]> = [['Add', 0], ['Sub', 1], ['Multiply', 2], ['RealDiv', 3]];
  const configs: tf.KernelConfig[] = [];
  for (const [kernelName, op] of ops) {
    const other = fallback(kernelName);
    if (!other) continue;
    configs.push({
      kernelName,
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
        if (a.dtype !== 'float32' || b.dtype !== 'float32') return other(args);
        const plan = elementwisePlan(a.shape, b.shape);
        if (!plan || tf.util.sizeFromShape(plan.outShape) < NATIVE_ELEMENTWISE_MIN_SIZE) return other(args);
        const backend = args.backend as unknown as WasmHeapBackend;
        const out = backend.makeOutput(plan.outShape, 'float32');
        addon.elementwise(op, heap(backend, a), heap(backend, b), heap(backend, out), plan.mode, plan.inner);
        return out;
      },
    });
  }
  return configs;
}
