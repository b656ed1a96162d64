/** Replacement training kernels for the webgpu backend, composed from its own tuned programs. */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilterBySlices } from './convBackpropFilter';
import { convGradientConfigs } from './replacement';

type StockLookup = (kernelName: string) => tf.KernelConfig | undefined;

/**
 * Kernel configs for backend 'webgpu'.
 * - Conv2DBackpropFilter: stock runs one thread per filter element looping over N·Ho·Wo; here one strided slice
 *   per tap and a split-K BatchMatMul (tfjs-webgpu's matmul programs).
 * - Conv2DBackpropInput: forward Conv2Ds (tfjs-webgpu's implicit-GEMM Conv2DMMProgram) of dy with the flipped
 *   filter, one per output phase at stride 2, instead of the naive stock program.
 * The stock kernels' speeds on an H200 (microbenchmarks of 2026-11-27, ENVIRONMENT.md: filter gradient ~15 GFLOP/s,
 * input gradient ~30, forward conv ~100) are why these exist; the replacements themselves have not been timed on
 * a GPU yet (bench/gpu.ts does that). Correct on lavapipe (tests/kernels/webgpu.test.ts).
 */
export function webgpuKernelConfigs(stock: StockLookup): tf.KernelConfig[] {
  const backendName = 'webgpu';
  return convGradientConfigs(backendName, conv2dBackpropFilterBySlices, stock);
}
