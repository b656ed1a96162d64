/**
 * `npm run bench`: SimCLR training-step throughput on each available backend, next to PyTorch on the same
 * machine in the same invocation. One JSON line per measurement, then a table.
 *
 *   node -r tsx/cjs bench/run.ts [--models resnet18-w16,small-cnn] [--backends wasm-stock,wasm-fast,wasm-native,tensorflow,webgpu-stock,webgpu-fast,cpu]
 *                                [--views both|with|without] [--steps 5] [--warmup 2] [--max-seconds 60]
 *                                [--reference-device cpu] [--no-reference] [--python PATH] [--help]
 *
 * Backends: 'X-stock' is tfjs as shipped, 'X-fast' has lib/kernels' replacements registered without native code,
 * 'wasm-native' adds the oneDNN convolutions (lib/native, all cores; what initBackend uses when built), 'webgpu-mmtranspose'
 * is stock with WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE=false (tfjs-webgpu's matmul-based input gradient), 'tensorflow' is
 * tfjs-node on TensorFlow's C library (built by .ci/setup-tensorflow.sh; its own kernels, all cores). By default
 * webgpu is tried only on a hardware adapter (a software one, lavapipe, is a correctness tool, not a speed one).
 * Numbers on a shared machine are noisy: compare ratios within one run; the load average is recorded. On a CPU
 * the reference also runs on one thread ('ratio/core'): wasm is single-threaded in Node, and PyTorch's OpenMP
 * threads lose 2-10x whenever another process takes a core.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { probeWebGpu } from '../lib/backend';
import { setupBackend, useKernels } from './backends';
import { loadNativeConv } from '../lib/kernels/native';
import { measureStep, MeasureOptions } from './measure';
import { findTorchPython, probeTorch, ReferenceResult, runReference } from './reference';
import { WORKLOADS, WorkloadSpec } from './workloads';

/** Command-line options (see the file comment). */
export interface BenchOptions extends MeasureOptions {
  models: WorkloadSpec['name'][];
  backends: string[];
  views: Array<boolean>;
  reference: boolean;
  referenceDevice: string;
  /** The Python that runs the PyTorch reference; default: the first with torch of bench/reference.ts' `pythonCandidates`. */
  python?: string;
}

/** One output row. */
export interface BenchRow {
  model: string;
  with_views: boolean;
  backend: string;
  images_per_second: number | null;
  step_ms_median: number | null;
  /** CPU time per step of this process (all threads). */
  cpu_ms_per_step: number | null;
  steps: number;
  reference_images_per_second: number | null;
  ratio: number | null;
  reference_cpu_ms_per_step: number | null;
  /** Reference CPU time / ours: how the two compare in work per step, whatever else runs on the machine. */
  cpu_time_ratio: number | null;
  /** PyTorch on one CPU thread (CPU references only): a like-for-like match for single-threaded wasm. */
  reference_one_thread_images_per_second: number | null;
  ratio_per_core: number | null;
  peak_tensor_bytes: number | null;
  fast_kernels: string[];
  device: string;
  reference_device: string | null;
  load_average: number;
  date: string;
  error?: string;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/** Parse the command line over `defaults`. */
export function parseOptions(args: string[], defaults: BenchOptions): BenchOptions {
  const list = (name: string) => argValue(args, name)?.split(',').map((s) => s.trim()).filter(Boolean);
  const views = argValue(args, '--views');
  const options: BenchOptions = {
    ...defaults,
    models: (list('--models') as BenchOptions['models']) ?? defaults.models,
    backends: list('--backends') ?? defaults.backends,
    views: views === 'with' ? [true] : views === 'without' ? [false] : views === 'both' ? [false, true] : defaults.views,
    steps: Number(argValue(args, '--steps') ?? defaults.steps),
    warmup: Number(argValue(args, '--warmup') ?? defaults.warmup),
    maxSeconds: Number(argValue(args, '--max-seconds') ?? defaults.maxSeconds),
    reference: args.includes('--no-reference') ? false : defaults.reference,
    referenceDevice: argValue(args, '--reference-device') ?? defaults.referenceDevice,
    python: argValue(args, '--python') ?? defaults.python,
  };
  for (const model of options.models) if (!(model in WORKLOADS)) throw new Error(`unknown model '${model}'; expected one of ${Object.keys(WORKLOADS).join(', ')}`);
  return options;
}

/** A fixed-width table of rows. */
export function formatTable(rows: BenchRow[]): string {
  const fmt = (v: number | null, digits = 1) => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(digits));
  const header = `${'model'.padEnd(13)} ${'views'.padEnd(5)} ${'backend'.padEnd(18)} ${'img/s'.padStart(8)} ${'ms/step'.padStart(9)} ${'torch img/s'.padStart(11)} ${'ratio'.padStart(7)} ${'1-thr img/s'.padStart(11)} ${'ratio/core'.padStart(10)} ${'peak MB'.padStart(8)}  note`;
  const lines = rows.map((r) =>
    `${r.model.padEnd(13)} ${(r.with_views ? 'yes' : 'no').padEnd(5)} ${r.backend.padEnd(18)} ${fmt(r.images_per_second).padStart(8)} ${fmt(r.step_ms_median, 0).padStart(9)} ` +
    `${fmt(r.reference_images_per_second).padStart(11)} ${fmt(r.ratio, 3).padStart(7)} ${fmt(r.reference_one_thread_images_per_second).padStart(11)} ${fmt(r.ratio_per_core, 3).padStart(10)} ${fmt(r.peak_tensor_bytes == null ? null : r.peak_tensor_bytes / 2 ** 20, 0).padStart(8)}  ${r.error ?? ''}`);
  return [header, ...lines].join('\n');
}

/** Run every model × views × backend measurement; prints JSON lines as they come and returns the rows. */
export async function runBench(options: BenchOptions, print: (line: string) => void = console.log): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const torch = options.reference ? (options.python ? probeTorch(options.python) : findTorchPython()) : { ok: false, python: '', reason: 'disabled (--no-reference)' };
  if (torch.ok) print(`# PyTorch reference: ${torch.reason}`);
  if (!torch.ok) print(`# PyTorch reference skipped: ${torch.reason}`);
  let backends = options.backends;
  if (backends.some((b) => b.startsWith('webgpu'))) {
    const probe = await probeWebGpu();
    if (!probe.ok) {
      print(`# webgpu skipped: ${probe.reason}`);
      backends = backends.filter((b) => !b.startsWith('webgpu'));
    }
  }
  for (const model of options.models) {
    const spec = WORKLOADS[model];
    for (const withViews of options.views) {
      let reference: ReferenceResult | null = null;
      let oneThread: ReferenceResult | null = null;
      if (torch.ok) {
        try {
          reference = runReference(model, withViews, options.steps, options.warmup, options.referenceDevice, undefined, torch.python);
          // PyTorch's OpenMP threads slow down badly when another process takes a core; one thread does not.
          if (options.referenceDevice === 'cpu' && os.cpus().length > 1) oneThread = runReference(model, withViews, options.steps, options.warmup, 'cpu', 1, torch.python);
        } catch (err) {
          print(`# ${(err as Error).message}`);
        }
      }
      for (const variant of backends) {
        const [name, kind] = variant.split('-');
        const row: BenchRow = {
          model, with_views: withViews, backend: variant, images_per_second: null, step_ms_median: null, cpu_ms_per_step: null, steps: 0,
          reference_images_per_second: reference?.images_per_second ?? null, ratio: null,
          reference_cpu_ms_per_step: reference?.cpu_ms_per_step ?? null, cpu_time_ratio: null,
          reference_one_thread_images_per_second: oneThread?.images_per_second ?? null, ratio_per_core: null, peak_tensor_bytes: null, fast_kernels: [],
          device: '', reference_device: reference ? `${reference.device}, torch ${reference.torch}, ${reference.threads} threads` : null,
          load_average: os.loadavg()[0], date: new Date().toISOString(),
        };
        const setup = await setupBackend(name);
        if (!setup.ok) {
          row.error = `backend unavailable: ${setup.reason}`;
        } else {
          row.device = setup.device;
          try {
            row.fast_kernels = useKernels(kind === 'fast' || kind === 'native' ? kind : 'stock');
            if (kind === 'native') row.device = `${row.device.replace(/, one thread$/, '')}; convolutions on ${loadNativeConv().detail}`;
            // 'mmtranspose': stock kernels, but tfjs-webgpu's matmul-based input gradient instead of its naive one.
            if (kind === 'mmtranspose') tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', false);
            const m = await measureStep(spec, withViews, options);
            Object.assign(row, { images_per_second: m.imagesPerSecond, step_ms_median: m.stepMsMedian, cpu_ms_per_step: m.cpuMsPerStep, steps: m.steps, peak_tensor_bytes: m.peakTensorBytes });
            if (reference) {
              row.ratio = m.imagesPerSecond / reference.images_per_second;
              if (reference.cpu_ms_per_step) row.cpu_time_ratio = reference.cpu_ms_per_step / m.cpuMsPerStep;
            }
            if (oneThread) row.ratio_per_core = m.imagesPerSecond / oneThread.images_per_second;
            if (!Number.isFinite(m.lastLoss)) row.error = `loss is ${m.lastLoss}`;
          } catch (err) {
            row.error = (err as Error).message.split('\n')[0];
          }
          useKernels(false);
          if (kind === 'mmtranspose') tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', true);
        }
        row.load_average = Math.max(row.load_average, os.loadavg()[0]);
        print(JSON.stringify(row));
        rows.push(row);
      }
    }
  }
  return rows;
}

/**
 * Defaults for this (CPU) machine: both CPU workloads on wasm (stock and fast) and webgpu when a hardware adapter
 * exists. The pure-JS 'cpu' backend is opt-in (--backends cpu,...): 6 minutes per small-CNN step here.
 */
export const CPU_DEFAULTS: BenchOptions = {
  models: ['resnet18-w16', 'small-cnn'],
  backends: ['wasm-stock', 'wasm-fast', 'wasm-native', 'tensorflow', 'webgpu-stock', 'webgpu-fast'],
  views: [false, true],
  warmup: 2,
  steps: 5,
  maxSeconds: 60,
  reference: true,
  referenceDevice: 'cpu',
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    // The file comment is the usage: print it instead of running (a run takes minutes).
    const usage = fs.readFileSync(__filename, 'utf8').match(/\/\*\*([\s\S]*?)\*\//)?.[1] ?? '';
    console.log(usage.split('\n').map((line) => line.replace(/^ \* ?/, '')).join('\n').trim());
    return;
  }
  const options = parseOptions(args, CPU_DEFAULTS);
  // Without an explicit --backends, skip a software WebGPU adapter: minutes per step and no speed information.
  if (!args.includes('--backends')) {
    const probe = await probeWebGpu();
    if (probe.ok && probe.adapter?.software) {
      console.log(`# webgpu skipped: only a software adapter (${probe.adapter.description || probe.adapter.device}); pass --backends to include it`);
      options.backends = options.backends.filter((b) => !b.startsWith('webgpu'));
    }
  }
  console.log(`# ${new Date().toISOString()} ${os.cpus()[0]?.model?.trim()} x${os.cpus().length}, node ${process.version}, tfjs ${tf.version.tfjs}`);
  const rows = await runBench(options);
  console.log(formatTable(rows));
}

if (require.main === module) main();
