/**
 * Convolutions on the native addon's oneDNN primitives (lib/native/conv.cc) for the wasm backend: Conv2D,
 * FusedConv2D (bias and ReLU as a post-op), Conv2DBackpropInput, Conv2DBackpropFilter, on all cores, in place on
 * the wasm heap.
 */
import * as tf from '@tensorflow/tfjs';
import { isChannelsLast } from './geometry';
import { NativeAddon } from './native';
import { floatsOnHeap as heap, WasmHeapBackend } from './wasmHeap';

/** tfjs's resolved conv geometry as the addon's 17 integers (see lib/native/conv.cc). */
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
export function nativeConvConfigs(addon: NativeAddon, fallback: (kernelName: string) => tf.KernelFunc | undefined): tf.KernelConfig[] {
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
