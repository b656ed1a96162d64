/** Replacement training kernels for the webgpu backend, composed from its own tuned programs. */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterBySlices } from './conv_backprop_filter';
import { convGradientConfigs } from './replacement';

type StockLookup = (kernelName: string) => tf.KernelConfig | undefined;

/**
 * Kernel configs for backend 'webgpu'.
 * - Conv2DBackpropFilter: stock runs one thread per filter element looping over N·Ho·Wo (~15 GFLOP/s on an
 *   H200); here one strided slice per tap and a split-K BatchMatMul (tfjs-webgpu's matmul programs).
 * - Conv2DBackpropInput: forward Conv2Ds (tfjs-webgpu's implicit-GEMM Conv2DMMProgram, ~100 GFLOP/s on an H200
 *   against ~30 for the naive stock program) of dy with the flipped filter, one per output phase at stride 2.
 * Not yet timed on a GPU (bench/gpu.ts is ready for that); correct on lavapipe (tests/kernels/webgpu.test.ts).
 */
export function webgpuKernelConfigs(stock: StockLookup): tf.KernelConfig[] {
  const backendName = 'webgpu';
  return convGradientConfigs(backendName, conv2dBackpropFilterBySlices, stock);
}
