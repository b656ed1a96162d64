/**
 * Kernel microbenchmarks: each replaced kernel, stock vs fast, on the shapes of a ResNet-18 width-16
 * SimCLR step (2N = 128, 32 px), timed interleaved in one process (the machine is shared and noisy:
 * compare the two columns of one run, not numbers across runs).
 * Run: node -r tsx/cjs bench/kernels.ts [wasm|webgpu|all] [--native] [--reps 5] [--width 16] [--batch 128] [--json]
 * 'fast' is lib/kernels without native code; with --native the wasm convolutions are the oneDNN addon's (all
 * cores), and every kernel is timed by the wall clock instead of this process's CPU time.
 */
import * as tf from '@tensorflow/tfjs';
import { registerFastKernels, restoreStockKernels } from '../lib/kernels';
import { setupBackend } from './backends';

interface KernelCase {
  label: string;
  kernelName: string;
  inputs: Record<string, number[]>;
  attrs: Record<string, unknown>;
  /** Floating-point operations (2 per multiply-add) or, for data movement, 0. */
  flops: number;
}

const conv = (batch: number, label: string, h: number, cin: number, cout: number, k: number, s: number, pad: 'same' | 'valid' = 'same'): KernelCase[] => {
  const ho = pad === 'same' ? Math.ceil(h / s) : Math.floor((h - k) / s) + 1;
  const flops = 2 * batch * ho * ho * k * k * cin * cout;
  const common = { strides: s, pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
  return [
    { label, kernelName: 'Conv2D', inputs: { x: [batch, h, h, cin], filter: [k, k, cin, cout] }, attrs: { ...common, dilations: 1 }, flops },
    { label, kernelName: 'Conv2DBackpropFilter', inputs: { x: [batch, h, h, cin], dy: [batch, ho, ho, cout] }, attrs: { ...common, filterShape: [k, k, cin, cout] }, flops },
    { label, kernelName: 'Conv2DBackpropInput', inputs: { dy: [batch, ho, ho, cout], filter: [k, k, cin, cout] }, attrs: { ...common, inputShape: [batch, h, h, cin] }, flops },
  ];
};

/**
 * The convs of a CIFAR ResNet-18 of width w on a batch of N 32 px images (as lib/models builds it: stride-2
 * convs are 'valid' on a zero-padded input), the data-movement kernels of its batch-norm backward, and three
 * element-wise ops of its batch norm and optimiser (multi-threaded by the addon with --native).
 */
export function kernelCases(width: number, batch: number): KernelCase[] {
  const w = width;
  return [
    ...conv(batch, `stem 32x32 3->${w}`, 32, 3, w, 3, 1),
    ...conv(batch, `stage1 32x32 ${w}->${w}`, 32, w, w, 3, 1),
    ...conv(batch, `stage2 down 34->16x16 ${w}->${2 * w} s2`, 34, w, 2 * w, 3, 2, 'valid'),
    ...conv(batch, `stage2 16x16 ${2 * w}->${2 * w}`, 16, 2 * w, 2 * w, 3, 1),
    ...conv(batch, `shortcut 1x1 32->16 ${w}->${2 * w} s2`, 32, w, 2 * w, 1, 2, 'valid'),
    ...conv(batch, `stage3 8x8 ${4 * w}->${4 * w}`, 8, 4 * w, 4 * w, 3, 1),
    ...conv(batch, `stage4 4x4 ${8 * w}->${8 * w}`, 4, 8 * w, 8 * w, 3, 1),
    { label: `bn (1,1,1,${w})->(${batch},32,32,${w})`, kernelName: 'Tile', inputs: { x: [1, 1, 1, w] }, attrs: { reps: [batch, 32, 32, 1] }, flops: 0 },
    { label: `bn (${batch},32,32,${w}) per channel`, kernelName: 'FusedBatchNorm', inputs: { x: [batch, 32, 32, w], mean: [w], variance: [w], offset: [w], scale: [w] }, attrs: { varianceEpsilon: 1e-3 }, flops: 0 },
    { label: `pad grad (${batch},34,34,${w})->(${batch},32,32,${w})`, kernelName: 'Slice', inputs: { x: [batch, 34, 34, w] }, attrs: { begin: [0, 1, 1, 0], size: [batch, 32, 32, w] }, flops: 0 },
    { label: `saved for backprop (${batch},32,32,${w})`, kernelName: 'Identity', inputs: { x: [batch, 32, 32, w] }, attrs: {}, flops: 0 },
    { label: `bn/adam same shape (${batch},32,32,${w})`, kernelName: 'Add', inputs: { a: [batch, 32, 32, w], b: [batch, 32, 32, w] }, attrs: {}, flops: 0 },
    { label: `bn x - mean (${batch},32,32,${w}) - (${w})`, kernelName: 'Sub', inputs: { a: [batch, 32, 32, w], b: [w] }, attrs: {}, flops: 0 },
    { label: `bn grad x·scalar (${batch},32,32,${w})`, kernelName: 'Multiply', inputs: { a: [batch, 32, 32, w], b: [] }, attrs: {}, flops: 0 },
  ];
}

/** The default cases: ResNet-18 width 16, batch 128 (the CPU benchmark's step). */
export const KERNEL_CASES: KernelCase[] = kernelCases(16, 128);

/** One measured case: median milliseconds of the stock and the fast kernel (NaN where one is missing). */
export interface KernelTiming {
  backend: string;
  label: string;
  kernelName: string;
  stockMs: number;
  fastMs: number;
  stockGflops: number;
  fastGflops: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.floor(sorted.length / 2)] : NaN;
}

/**
 * Milliseconds since `start` by this process's CPU time (user + system). For the single-threaded CPU
 * backends this is the kernel's own cost, much less disturbed by other processes than wall time.
 */
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** Wait until the backend has finished the work queued so far: nothing on the synchronous cpu/wasm, WebGPU's queue, else a read of `out`. */
async function finishWork(backend: tf.KernelBackend, out: tf.TensorInfo): Promise<void> {
  if (['cpu', 'wasm'].includes(tf.getBackend())) return; // kernels there return when done; a read would time a copy
  const gpu = backend as unknown as {
    submitQueue?: () => void;
    ensureCommandEncoderReady: () => void;
    endComputePassEncoder: () => void;
    device?: { queue: { onSubmittedWorkDone(): Promise<void> } };
  };
  if (gpu.submitQueue && gpu.device) {
    // tfjs-webgpu's internals of 4.22: close the open pass, submit the encoder, wait for the GPU.
    gpu.ensureCommandEncoderReady();
    gpu.endComputePassEncoder();
    gpu.submitQueue();
    await gpu.device.queue.onSubmittedWorkDone(); // no read-back: that would time the copy to the CPU
  } else {
    await backend.read(out.dataId);
  }
}

/**
 * Time `config.kernelFunc` once until its work is done: CPU time on cpu/wasm (synchronous, one thread),
 * wall time elsewhere (the GPU works outside this process's threads).
 */
async function timeOnce(config: tf.KernelConfig, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>, wallClock = false): Promise<number> {
  const backend = tf.backend();
  const useCpuTime = !wallClock && ['cpu', 'wasm'].includes(tf.getBackend());
  await finishWork(backend, Object.values(inputs)[0]); // inputs ready, queue empty
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  const out = config.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
  await finishWork(backend, out);
  const elapsed = useCpuTime ? cpuMsSince(cpuStart) : performance.now() - wallStart;
  backend.disposeData(out.dataId);
  return elapsed;
}

/** Measure every case on the current backend, stock and fast interleaved, `reps` times each after one warm-up. */
export async function measureKernels(reps: number, cases: KernelCase[] = KERNEL_CASES, native = false): Promise<KernelTiming[]> {
  const backendName = tf.getBackend();
  restoreStockKernels(backendName);
  const stock = new Map(cases.map((c) => [c.kernelName, tf.getKernel(c.kernelName, backendName)]));
  registerFastKernels(backendName, { native });
  const fast = new Map(cases.map((c) => [c.kernelName, tf.getKernel(c.kernelName, backendName)]));
  const results: KernelTiming[] = [];
  for (const c of cases) {
    const tensors = Object.fromEntries(Object.entries(c.inputs).map(([name, shape], i) => [name, tf.randomNormal(shape, 0, 1, 'float32', i + 1)]));
    const stockConfig = stock.get(c.kernelName);
    const fastConfig = fast.get(c.kernelName);
    const sameKernel = stockConfig === fastConfig;
    const stockTimes: number[] = [];
    const fastTimes: number[] = [];
    for (let r = 0; r <= reps; r++) {
      if (stockConfig) {
        const t = await timeOnce(stockConfig, tensors, c.attrs, native);
        if (r > 0) stockTimes.push(t);
      }
      if (fastConfig && !sameKernel) {
        const t = await timeOnce(fastConfig, tensors, c.attrs, native);
        if (r > 0) fastTimes.push(t);
      }
    }
    tf.dispose(Object.values(tensors));
    const stockMs = median(stockTimes);
    const fastMs = sameKernel ? stockMs : median(fastTimes);
    const gflops = (ms: number) => (c.flops > 0 ? c.flops / ms / 1e6 : NaN);
    results.push({ backend: backendName, label: c.label, kernelName: c.kernelName, stockMs, fastMs, stockGflops: gflops(stockMs), fastGflops: gflops(fastMs) });
  }
  return results;
}

/** A fixed-width table of timings. */
export function formatKernelTable(rows: KernelTiming[]): string {
  const fmt = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '-');
  const lines = [`${'backend'.padEnd(7)} ${'kernel'.padEnd(21)} ${'case'.padEnd(40)} ${'stock ms'.padStart(9)} ${'fast ms'.padStart(8)} ${'stock GF/s'.padStart(10)} ${'fast GF/s'.padStart(9)} ${'speed-up'.padStart(8)}`];
  for (const r of rows) {
    lines.push(`${r.backend.padEnd(7)} ${r.kernelName.padEnd(21)} ${r.label.padEnd(40)} ${fmt(r.stockMs).padStart(9)} ${fmt(r.fastMs).padStart(8)} ${fmt(r.stockGflops).padStart(10)} ${fmt(r.fastGflops).padStart(9)} ${fmt(r.stockMs / r.fastMs).padStart(8)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const which = args.find((a, i) => !a.startsWith('--') && !(args[i - 1] ?? '').startsWith('--')) ?? 'wasm';
  const repsIndex = args.indexOf('--reps');
  const reps = repsIndex >= 0 ? Number(args[repsIndex + 1]) : 5;
  const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
  const cases = kernelCases(option('--width', 16), option('--batch', 128));
  const backends = which === 'all' ? ['wasm', 'webgpu'] : [which];
  const rows: KernelTiming[] = [];
  for (const name of backends) {
    const ready = await setupBackend(name);
    if (!ready.ok) {
      console.log(`# ${name}: skipped (${ready.reason})`);
      continue;
    }
    const timings = await measureKernels(reps, cases, args.includes('--native'));
    rows.push(...timings);
    if (args.includes('--json')) for (const t of timings) console.log(JSON.stringify(t));
  }
  console.log(formatKernelTable(rows));
}

if (require.main === module) main();
