/** Replacement training kernels for the wasm backend, chosen by profiling a ResNet-18 SimCLR step. */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterByConv } from './conv_backprop_filter';
import { conv2dBackpropInputByConv } from './conv_backprop_input';
import { convGradientKernel } from './replacement';
import { reduceLeadingAxesOnHeap, sliceOnHeap, tileOnHeap, WasmHeapBackend } from './wasm_heap';

type StockLookup = (kernelName: string) => tf.KernelConfig | undefined;

function stockFunc(stock: StockLookup, kernelName: string): tf.KernelFunc {
  const config = stock(kernelName);
  if (!config) throw new Error(`wasm backend has no stock '${kernelName}' kernel to fall back to`);
  return config.kernelFunc;
}

/** Sum or Mean over a prefix of the axes (float32) on the heap; anything else goes to the stock kernel. */
function leadingReduction(kernelName: 'Sum' | 'Mean', stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = [...new Set(tf.util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
    const isPrefix = axes.length > 0 && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !isPrefix) return stock(args);
    return reduceLeadingAxesOnHeap(args.backend as unknown as WasmHeapBackend, x, axes.length, kernelName === 'Mean', keepDims);
  };
}

/**
 * Elementwise binary op with leading size-1 axes of a broadcast operand dropped first: wasm's binary
 * kernels take a fast path for a (C,) operand but a slow generic one for (1, 1, 1, C), the shape the
 * batch-norm gradient uses. The output shape is unchanged (the other operand keeps the rank).
 */
function withSqueezedBroadcast(stock: tf.KernelFunc): tf.KernelFunc {
  const squeeze = (t: tf.TensorInfo, otherRank: number): tf.TensorInfo => {
    if (t.shape.length > otherRank) return t;
    let k = 0;
    while (k < t.shape.length - 1 && t.shape[k] === 1) k++;
    return k === 0 ? t : { dataId: t.dataId, shape: t.shape.slice(k), dtype: t.dtype };
  };
  return (args) => {
    const a = args.inputs.a as tf.TensorInfo;
    const b = args.inputs.b as tf.TensorInfo;
    if (a.shape.length === b.shape.length && a.shape.every((s, i) => s === b.shape[i])) return stock(args);
    const inputs = { a: squeeze(a, b.shape.length), b: squeeze(b, a.shape.length) };
    return stock({ ...args, inputs });
  };
}

/**
 * Kernel configs for backend 'wasm', each built over the stock kernel it replaces (looked up by `stock`).
 * - Conv2DBackpropFilter: missing on wasm (tfjs issue #8474); one XNNPACK conv2d with the batch as reduction axis.
 * - Conv2DBackpropInput: stock is a scalar loop (~2–3 GFLOP/s); here an XNNPACK conv2d of dilated dy with the flipped filter.
 * - Tile, Slice: heap copies by contiguous blocks (Tile is 2/3 of stock batch-norm backward time).
 * - Sum, Mean over leading axes: one pass on the heap instead of transpose + reduce.
 * - Multiply, Add, Sub, RealDiv: (1, …, 1, C) operands squeezed to (C,) to hit wasm's fast broadcast.
 */
export function wasmKernelConfigs(stock: StockLookup): tf.KernelConfig[] {
  const backendName = 'wasm';
  const configs: tf.KernelConfig[] = [
    {
      kernelName: 'Conv2DBackpropFilter',
      backendName,
      kernelFunc: convGradientKernel('Conv2DBackpropFilter', backendName, conv2dBackpropFilterByConv, stock('Conv2DBackpropFilter')?.kernelFunc),
    },
    {
      kernelName: 'Conv2DBackpropInput',
      backendName,
      kernelFunc: convGradientKernel('Conv2DBackpropInput', backendName, conv2dBackpropInputByConv, stock('Conv2DBackpropInput')?.kernelFunc),
    },
  ];
  const tile = stockFunc(stock, 'Tile');
  configs.push({
    kernelName: 'Tile',
    backendName,
    kernelFunc: (args) => {
      const x = args.inputs.x as tf.TensorInfo;
      if (x.dtype === 'string') return tile(args);
      return tileOnHeap(args.backend as unknown as WasmHeapBackend, x, (args.attrs as unknown as { reps: number[] }).reps);
    },
  });
  const slice = stockFunc(stock, 'Slice');
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
    configs.push({ kernelName, backendName, kernelFunc: leadingReduction(kernelName, stockFunc(stock, kernelName)) });
  }
  for (const kernelName of ['Multiply', 'Add', 'Sub', 'RealDiv']) {
    configs.push({ kernelName, backendName, kernelFunc: withSqueezedBroadcast(stockFunc(stock, kernelName)) });
  }
  return configs;
}
