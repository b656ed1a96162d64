/** Replacement training kernels for the wasm backend, chosen by profiling a ResNet-18 SimCLR step. */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterByConv } from './convBackpropFilter';
import { convGradientConfigs } from './replacement';
import { KernelComposer } from './compose';
import { batchNormByDepthwise, reduceLeadingAxes } from './wasmChannels';
import { MaxPoolGradAttrs, maxPoolGradGeometry, maxPoolGradOnHeap, sliceOnHeap, tileOnHeap, WasmHeapBackend } from './wasmHeap';
import { loadNativeAddon } from './native';
import { nativeConvConfigs } from './nativeConv';
import { nativeElementwiseConfigs } from './nativeElementwise';
import { nativeBatchNormConfigs } from './nativeBatchNorm';
import { nativeMaxPoolGradConfigs } from './nativePooling';

type StockLookup = (kernelName: string) => tf.KernelConfig | undefined;

/**
 * Kernel configs for backend 'wasm', each built over the stock kernel it replaces (looked up by `stock`).
 * - Conv2DBackpropFilter: missing on wasm (tfjs issue #8474); one XNNPACK conv2d with the batch as reduction
 *   axis (tap by tap for stems, subsample + matmul for 1×1 filters: see conv2dBackpropFilterByConv).
 * - Conv2DBackpropInput: stock is a scalar loop (~2–3 GFLOP/s); here XNNPACK conv2d of dy with the flipped
 *   filter, one per output phase at stride > 1 (no multiplications by inserted zeros).
 * - Identity, Cast to the same dtype: share the buffer instead of copying it.
 * - Sum, Mean over leading axes (float32): one XNNPACK average pooling, ~10x faster than transpose + reduce.
 * - FusedBatchNorm with per-channel parameters: one 1×1 depthwise conv with bias (XNNPACK), ~10x faster.
 * - MaxPoolGrad: one JS pass over the windows, channels innermost (~10x the stock per-element loop).
 * - Tile, Slice: heap copies by contiguous blocks (stock Tile was 2/3 of batch-norm backward time;
 *   Slice is the gradient of the zero padding before stride-2 convs).
 * With `native` (default true) and the oneDNN addon built (lib/kernels/native*.ts), Conv2D, FusedConv2D and both conv
 * gradients run on oneDNN on all cores instead, falling back to the kernels above for cases it does not take,
 * and large float32 Add/Sub/Multiply/RealDiv run multi-threaded in the addon; it also adds the fused
 * batch-norm training kernels that lib/models' BatchNormalization uses on wasm (BATCH_NORM_TRAIN), and runs
 * MaxPoolGrad on all cores.
 */
export function wasmKernelConfigs(stock: StockLookup, options: { native?: boolean } = {}): tf.KernelConfig[] {
  const configs = wasmOnlyKernelConfigs(stock);
  const native = options.native === false ? undefined : loadNativeAddon().addon;
  if (!native) return configs;
  const previous = (kernelName: string) => configs.find((c) => c.kernelName === kernelName)?.kernelFunc ?? stock(kernelName)?.kernelFunc;
  const nativeConfigs = [...nativeConvConfigs(native, previous), ...nativeElementwiseConfigs(native, previous), ...nativeBatchNormConfigs(native), ...nativeMaxPoolGradConfigs(native, previous)];
  const replaced = new Set(nativeConfigs.map((c) => c.kernelName));
  return [...configs.filter((c) => !replaced.has(c.kernelName)), ...nativeConfigs];
}

/** The wasm replacements that need no native code (see wasmKernelConfigs). */
function wasmOnlyKernelConfigs(stock: StockLookup): tf.KernelConfig[] {
  const backendName = 'wasm';
  const configs: tf.KernelConfig[] = convGradientConfigs(backendName, conv2dBackpropFilterByConv, stock);
  // Identity, and Cast to the same dtype, share the input's buffer (the engine clones every tensor it saves
  // for backprop; the stock wasm kernels copy it, ~600 full copies per ResNet-18 step). Tensors are immutable,
  // so sharing is what the cpu backend does too; the reference count keeps the buffer alive.
  const shareInput = (args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo => {
    const x = args.inputs.x as tf.TensorInfo;
    (args.backend as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  const identity = stock('Identity')?.kernelFunc;
  const cast = stock('Cast')?.kernelFunc;
  if (identity) {
    configs.push({ kernelName: 'Identity', backendName, kernelFunc: (args) => ((args.inputs.x as tf.TensorInfo).dtype === 'string' ? identity(args) : shareInput(args)) });
  }
  if (cast) {
    configs.push({
      kernelName: 'Cast',
      backendName,
      kernelFunc: (args) => {
        const x = args.inputs.x as tf.TensorInfo;
        const { dtype } = args.attrs as unknown as { dtype: tf.DataType };
        return x.dtype === dtype && dtype !== 'string' ? shareInput(args) : cast(args);
      },
    });
  }
  // Tile and Slice keep their stock kernel for strings; a backend without them gets no replacement.
  const tile = stock('Tile')?.kernelFunc;
  const slice = stock('Slice')?.kernelFunc;
  if (!tile || !slice) return configs;
  configs.push({
    kernelName: 'Tile',
    backendName,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return tile(args);
      return tileOnHeap(args.backend as unknown as WasmHeapBackend, x, (args.attrs as unknown as { reps: number[] }).reps);
    },
  });
  configs.push({
    kernelName: 'Slice',
    backendName,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return slice(args);
      const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
      const [fullBegin, fullSize] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
      return sliceOnHeap(args.backend as unknown as WasmHeapBackend, x, fullBegin, fullSize);
    },
  });
  for (const kernelName of ['Sum', 'Mean'] as const) {
    const reduce = stock(kernelName)?.kernelFunc;
    if (reduce) configs.push({ kernelName, backendName, kernelFunc: leadingReduction(kernelName, reduce) });
  }
  const maxPoolGrad = stock('MaxPoolGrad')?.kernelFunc;
  if (maxPoolGrad) {
    configs.push({
      kernelName: 'MaxPoolGrad',
      backendName,
      kernelFunc: (args) => {
        const { dy, input } = args.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
        if (input.dtype !== 'float32' || dy.dtype !== 'float32' || input.shape.length !== 4) return maxPoolGrad(args);
        return maxPoolGradOnHeap(args.backend as unknown as WasmHeapBackend, dy, input, maxPoolGradGeometry(input.shape, args.attrs as unknown as MaxPoolGradAttrs));
      },
    });
  }
  const batchNorm = stock('FusedBatchNorm')?.kernelFunc;
  if (batchNorm) configs.push({ kernelName: 'FusedBatchNorm', backendName, kernelFunc: perChannelBatchNorm(batchNorm) });
  return configs;
}

/** Run `body` through a KernelComposer on the wasm backend, freeing its intermediates. */
function composed(backend: unknown, body: (composer: KernelComposer) => tf.TensorInfo): tf.TensorInfo {
  const composer = new KernelComposer(backend as tf.KernelBackend, 'wasm');
  try {
    return composer.finish(body(composer));
  } catch (err) {
    composer.abandon();
    throw err;
  }
}

/** Sum or Mean of float32 over a prefix of the axes by average pooling; anything else to `stock`. */
function leadingReduction(kernelName: 'Sum' | 'Mean', stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    const isPrefix = axes.length > 0 && axes.every((a, i) => a === i);
    const size = x.shape.reduce((a, b) => a * b, 1);
    if (x.dtype !== 'float32' || !isPrefix || size === 0) return stock(args);
    return composed(args.backend, (c) => reduceLeadingAxes(c, x, axes.length, kernelName === 'Mean', keepDims));
  };
}

/** FusedBatchNorm with (C,) parameters over the last axis as one depthwise pass; other shapes to `stock`. */
function perChannelBatchNorm(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { x, mean, variance, offset, scale } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const { varianceEpsilon } = args.attrs as unknown as { varianceEpsilon: number };
    const channels = x!.shape[x!.shape.length - 1];
    const perChannel = (t: tf.TensorInfo | undefined) => t == null || (t.shape.length === 1 && t.shape[0] === channels && t.dtype === 'float32');
    if (x!.dtype !== 'float32' || x!.shape.length < 2 || ![mean, variance, offset, scale].every(perChannel)) return stock(args);
    return composed(args.backend, (c) => batchNormByDepthwise(c, x!, mean!, variance!, offset, scale, varianceEpsilon));
  };
}
