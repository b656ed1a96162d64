/** Replacement training kernels for the webgpu backend, composed from its own tuned programs. */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterBySlices } from './conv_backprop_filter';
import { conv2dBackpropInputByConv } from './conv_backprop_input';
import { convGradientKernel } from './replacement';

type StockLookup = (kernelName: string) => tf.KernelConfig | undefined;

/**
 * Kernel configs for backend 'webgpu'.
 * - Conv2DBackpropFilter: stock runs one thread per filter element looping over N·Ho·Wo (~15 GFLOP/s on an
 *   H200); here one strided slice per tap and a split-K BatchMatMul (tfjs-webgpu's matmul programs).
 * - Conv2DBackpropInput: a forward Conv2D (tfjs-webgpu's implicit-GEMM Conv2DMMProgram) of dilated dy with the
 *   flipped filter, instead of the naive stock program.
 */
export function webgpuKernelConfigs(stock: StockLookup): tf.KernelConfig[] {
  const backendName = 'webgpu';
  return [
    {
      kernelName: 'Conv2DBackpropFilter',
      backendName,
      kernelFunc: convGradientKernel('Conv2DBackpropFilter', backendName, conv2dBackpropFilterBySlices, stock('Conv2DBackpropFilter')?.kernelFunc),
    },
    {
      kernelName: 'Conv2DBackpropInput',
      backendName,
      kernelFunc: convGradientKernel('Conv2DBackpropInput', backendName, conv2dBackpropInputByConv, stock('Conv2DBackpropInput')?.kernelFunc),
    },
  ];
}
