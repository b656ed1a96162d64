/** MaxPoolGrad of float32 NHWC on the native addon (lib/native/pooling.cc), on all cores, for the wasm backend. */
import * as tf from '@tensorflow/tfjs';
import { NativeAddon } from './native';
import { floatsOnHeap as heap, MaxPoolGradAttrs, maxPoolGradGeometry, WasmHeapBackend } from './wasmHeap';

/**
 * MaxPoolGrad of float32 NHWC on every core: dx[p] = Σ dy over the windows whose maximum is at p, with tfjs's
 * tie rule (the first strictly largest element of a window, row-major; windows of only NaN or −∞ send nothing).
 * The same values as the stock kernel and this library's one-thread version (wasmHeap.ts), which remains the
 * fallback for other dtypes and ranks.
 */
export function nativeMaxPoolGradConfigs(addon: NativeAddon, fallback: (kernelName: string) => tf.KernelFunc | undefined): tf.KernelConfig[] {
  const other = fallback('MaxPoolGrad');
  if (!other) return [];
  return [
    {
      kernelName: 'MaxPoolGrad',
      backendName: 'wasm',
      kernelFunc: (args) => {
        const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
        if (input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4 || tf.util.sizeFromShape(input.shape) === 0) return other(args);
        const g = maxPoolGradGeometry(input.shape, args.attrs as unknown as MaxPoolGradAttrs);
        const geometry = Int32Array.from([
          g.batch, g.inHeight, g.inWidth, g.channels, g.outHeight, g.outWidth, g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.padTop, g.padLeft,
        ]);
        const backend = args.backend as unknown as WasmHeapBackend;
        const out = backend.makeOutput(input.shape, 'float32');
        addon.maxPoolGrad(heap(backend, input), heap(backend, dy), heap(backend, out), geometry);
        return out;
      },
    },
  ];
}
