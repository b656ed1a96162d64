/**
 * Convolutions on oneDNN through a Node-API addon (lib/native/dnnl_conv.cc), for the wasm backend.
 *
 * tfjs-wasm runs its convolutions on XNNPACK with one thread and 128-bit SIMD, and has no filter gradient at
 * all. oneDNN (Debian's libdnnl, the library PyTorch's CPU convolutions run on) uses every core and the CPU's
 * widest vectors. The addon reads and writes the wasm heap in place through Float32Array views, so a tensor
 * never leaves the wasm backend: only the convolution kernels (and large element-wise arithmetic, on all cores)
 * change, the model code does not.
 *
 * Built at install (`bash lib/native/build.sh`, run by setup and by the package's install script). When it is
 * missing or fails to load, `loadNativeConv` says why and the wasm kernels are used instead.
 * Environment: SIMCLR_NATIVE=0 turns it off; SIMCLR_NATIVE_ADDON=path loads another build;
 * OMP_NUM_THREADS sets oneDNN's thread count (default: all cores).
 */
import * as path from 'path';
import * as fs from 'fs';
import * as tf from '@tensorflow/tfjs';
import { MaxPoolGradAttrs, maxPoolGradGeometry, WasmHeapBackend } from './wasm_heap';
import { isChannelsLast } from './geometry';

/** The addon's functions (see dnnl_conv.cc). Arrays are float32 NHWC / (KH, KW, Cin, Cout); outputs are written in place. */
export interface NativeConvAddon {
  conv2d(x: Float32Array, filter: Float32Array, bias: Float32Array | null, y: Float32Array, geometry: Int32Array, relu: boolean): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  /** out = a ∘ b, ∘ = [+, −, ×, ÷][op]; mode 0 same length, 1/2 b/a repeats with period `inner`, 3/4 b/a one value. */
  elementwise(op: number, a: Float32Array, b: Float32Array, out: Float32Array, mode: number, inner: number): void;
  /** Batch norm in training over (rows, channels) data: y, and the batch mean and biased variance per channel. */
  batchNormForward(rows: number, channels: number, epsilon: number, x: Float32Array, scale: Float32Array, shift: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array): void;
  /** Its gradient: dx, dscale = Σ dy·x̂, dshift = Σ dy. */
  batchNormBackward(rows: number, channels: number, epsilon: number, x: Float32Array, dy: Float32Array, scale: Float32Array, mean: Float32Array, variance: Float32Array, dx: Float32Array, dscale: Float32Array, dshift: Float32Array): void;
  /** Gradient of 2-D max pooling, NHWC; geometry [N, H, W, C, Ho, Wo, KH, KW, strideH, strideW, padTop, padLeft]. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  info(): { onednn: string; cpuIsa: string; threads: number };
}

/** Whether the addon can be used, and a one-line description or the reason it cannot. */
export interface NativeConvStatus {
  available: boolean;
  /** e.g. 'oneDNN 2.6.3 (avx512_core, 2 threads)', or why it is not used. */
  detail: string;
  /** The addon's OpenMP threads (when available). */
  threads?: number;
  addon?: NativeConvAddon;
}

let cached: NativeConvStatus | undefined;

/** Where a build may be: next to the sources (lib/kernels → lib/native) or next to the compiled library (lib/dist/kernels). */
function candidatePaths(): string[] {
  const fromEnv = process.env.SIMCLR_NATIVE_ADDON;
  if (fromEnv) return [path.resolve(fromEnv)];
  return [path.join(__dirname, '..', 'native', 'build', 'dnnl_conv.node'), path.join(__dirname, '..', '..', 'native', 'build', 'dnnl_conv.node')];
}

/**
 * Load the oneDNN addon once per process. Never throws: a missing or broken build gives `available: false`
 * with the reason (and the command that builds it).
 */
export function loadNativeConv(): NativeConvStatus {
  if (cached) return cached;
  if (['0', 'false', 'no', 'off'].includes((process.env.SIMCLR_NATIVE ?? '').toLowerCase())) {
    return (cached = { available: false, detail: 'turned off by SIMCLR_NATIVE' });
  }
  const found = candidatePaths().find((p) => fs.existsSync(p));
  if (!found) {
    return (cached = { available: false, detail: 'not built (needs g++ and libdnnl-dev; run `bash lib/native/build.sh`)' });
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(found) as NativeConvAddon;
    const missing = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'elementwise', 'batchNormForward', 'batchNormBackward', 'maxPoolGrad', 'info'].filter((name) => typeof (addon as unknown as Record<string, unknown>)[name] !== 'function');
    if (missing.length) {
      return (cached = { available: false, detail: `${found} is an outdated build (no ${missing.join(', ')}); rebuild with \`bash lib/native/build.sh\`` });
    }
    const info = addon.info();
    return (cached = { available: true, detail: `oneDNN ${info.onednn} (${info.cpuIsa}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`, threads: info.threads, addon });
  } catch (err) {
    return (cached = { available: false, detail: `failed to load ${found}: ${(err as Error).message.split('\n')[0]}` });
  }
}

/** tfjs's resolved conv geometry as the addon's 17 integers (see dnnl_conv.cc). */
export function nativeGeometry(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth,
    info.padInfo.top, info.padInfo.left, info.padInfo.bottom, info.padInfo.right,
  ]);
}

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: string;
  dilations?: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
  inputShape?: number[];
  filterShape?: number[];
}

/** The argument of a kernelFunc. */
type KernelArgs = Parameters<tf.KernelFunc>[0];

const isFloat = (...ts: (tf.TensorInfo | undefined)[]) => ts.every((t) => t !== undefined && t.dtype === 'float32');
const isEmpty = (shape: number[]) => shape.some((s) => s === 0);

function conv2dInfo(xShape: number[], filterShape: number[], attrs: ConvAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

const heap = (backend: WasmHeapBackend, t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;

/**
 * Run an addon call that writes `out`; returns `out`, or null after freeing it when oneDNN refused the case
 * (an error starting 'oneDNN:', e.g. no implementation for a geometry), so the caller can fall back. Other
 * errors (bad arguments: a bug here) propagate.
 */
function writeOrRelease(backend: WasmHeapBackend, out: tf.TensorInfo, call: () => void): tf.TensorInfo | null {
  try {
    call();
    return out;
  } catch (err) {
    (backend as unknown as tf.KernelBackend).disposeData(out.dataId);
    if (/^oneDNN:/.test((err as Error).message)) return null;
    throw err;
  }
}

/**
 * Kernel configs for backend 'wasm' over the addon:
 * - Conv2D: y = conv(x, w); FusedConv2D: y = act(conv(x, w) + b) for act ∈ {linear, relu} with a (Cout,) bias
 *   (the ReLU and bias as a oneDNN post-op, in the same pass);
 * - Conv2DBackpropInput: dx = conv_transpose(dy, w); Conv2DBackpropFilter: dw[kh,kw,ci,co] = Σ_{n,i,j} x[n, i·s+kh−p, j·s+kw−p, ci]·dy[n,i,j,co].
 * Everything else (NCHW, other dtypes or activations, broadcast biases, empty tensors, and any geometry oneDNN
 * refuses) goes to `fallback`: the kernel that was registered before (the stock one, or this library's wasm
 * conv gradients).
 */
export function nativeConvConfigs(addon: NativeConvAddon, fallback: (kernelName: string) => tf.KernelFunc | undefined): tf.KernelConfig[] {
  const backendName = 'wasm';
  const configs: tf.KernelConfig[] = [];
  const wrap = (kernelName: string, body: (args: KernelArgs, backend: WasmHeapBackend) => tf.TensorInfo | null) => {
    const other = fallback(kernelName);
    configs.push({
      kernelName,
      backendName,
      kernelFunc: (args) => {
        const result = body(args, args.backend as unknown as WasmHeapBackend);
        if (result) return result;
        if (!other) throw new Error(`${kernelName} on 'wasm': this case (dtype, data format or activation) has no kernel`);
        return other(args);
      },
    });
  };

  const forward = (fused: boolean) => (args: KernelArgs, backend: WasmHeapBackend): tf.TensorInfo | null => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs;
    const activation = fused ? attrs.activation ?? 'linear' : 'linear';
    if (!isChannelsLast(attrs.dataFormat) || !isFloat(x, filter) || (activation !== 'linear' && activation !== 'relu')) return null;
    if (preluActivationWeights != null || x!.shape.length !== 4 || filter!.shape.length !== 4) return null;
    const cout = filter!.shape[3];
    if (bias != null && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== cout || bias.shape[bias.shape.length - 1] !== cout)) return null;
    const info = conv2dInfo(x!.shape, filter!.shape, attrs);
    if (isEmpty(x!.shape) || isEmpty(filter!.shape) || isEmpty(info.outShape)) return null;
    const out = backend.makeOutput(info.outShape, 'float32');
    // Views after makeOutput: allocating can grow (and replace) the heap buffer.
    return writeOrRelease(backend, out, () =>
      addon.conv2d(heap(backend, x!), heap(backend, filter!), bias ? heap(backend, bias) : null, heap(backend, out), nativeGeometry(info), activation === 'relu'));
  };
  wrap('Conv2D', forward(false));
  wrap('FusedConv2D', forward(true));

  wrap('Conv2DBackpropInput', (args, backend) => {
    const { dy, filter } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs;
    if (!isChannelsLast(attrs.dataFormat) || !isFloat(dy, filter) || !attrs.inputShape || attrs.inputShape.length !== 4) return null;
    const info = conv2dInfo(attrs.inputShape, filter!.shape, { ...attrs, dilations: 1 });
    if (isEmpty(attrs.inputShape) || isEmpty(filter!.shape) || isEmpty(dy!.shape)) return null;
    const out = backend.makeOutput(attrs.inputShape, 'float32');
    return writeOrRelease(backend, out, () => addon.conv2dBackpropInput(heap(backend, dy!), heap(backend, filter!), heap(backend, out), nativeGeometry(info)));
  });

  wrap('Conv2DBackpropFilter', (args, backend) => {
    const { x, dy } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs as unknown as ConvAttrs;
    if (!isChannelsLast(attrs.dataFormat) || !isFloat(x, dy) || !attrs.filterShape || attrs.filterShape.length !== 4) return null;
    const info = conv2dInfo(x!.shape, attrs.filterShape, { ...attrs, dilations: 1 });
    if (isEmpty(x!.shape) || isEmpty(attrs.filterShape) || isEmpty(dy!.shape)) return null;
    const out = backend.makeOutput(attrs.filterShape, 'float32');
    return writeOrRelease(backend, out, () => addon.conv2dBackpropFilter(heap(backend, x!), heap(backend, dy!), heap(backend, out), nativeGeometry(info)));
  });
  return configs;
}

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
export function nativeElementwiseConfigs(addon: NativeConvAddon, fallback: (kernelName: string) => tf.KernelFunc | undefined): tf.KernelConfig[] {
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

/** Kernel name of batch normalisation in training (inputs x, scale, offset; attr epsilon; outputs y, mean, variance). */
export const BATCH_NORM_TRAIN = 'SimclrBatchNormTrain';
/** Kernel name of its gradient (inputs x, dy, scale, mean, variance; attr epsilon; outputs dx, dscale, doffset). */
export const BATCH_NORM_TRAIN_GRAD = 'SimclrBatchNormTrainGrad';

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
 * The two batch-norm kernels on 'wasm' over oneDNN's batch_normalization primitive (2 passes forward, 2 back,
 * all cores), for float32 x of rank ≥ 2 normalised over every axis but the last, with (C,) scale and offset.
 * They have no fallback: `batchNormTraining` (lib/models/batchNorm.ts) only calls them for such inputs, and
 * the layer uses tfjs's own path otherwise. Registers the gradient (global in tfjs, harmless for other backends:
 * only these kernels produce BATCH_NORM_TRAIN).
 */
export function nativeBatchNormConfigs(addon: NativeConvAddon): tf.KernelConfig[] {
  if (!tf.getGradient(BATCH_NORM_TRAIN)) tf.registerGradient(batchNormTrainGradConfig);
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

/**
 * MaxPoolGrad of float32 NHWC on every core: dx[p] = Σ dy over the windows whose maximum is at p, with tfjs's
 * tie rule (the first strictly largest element of a window, row-major; windows of only NaN or −∞ send nothing).
 * The same values as the stock kernel and this library's one-thread version (wasm_heap.ts), which remains the
 * fallback for other dtypes and ranks.
 */
export function nativeMaxPoolGradConfigs(addon: NativeConvAddon, fallback: (kernelName: string) => tf.KernelFunc | undefined): tf.KernelConfig[] {
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
