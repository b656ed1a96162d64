/**
 * `npm run bench`: SimCLR training-step throughput on each available backend, next to PyTorch on the same
 * machine in the same invocation. One JSON line per measurement, then a table.
 *
 *   node -r tsx/cjs bench/run.ts [--models resnet18-w16,small-cnn] [--backends wasm-stock,wasm-fast,wasm-native,tensorflow,webgpu-stock,webgpu-fast,cpu]
 *                                [--views both|with|without] [--steps 5] [--warmup 2] [--max-seconds 60]
 *                                [--reference-device cpu] [--no-reference] [--allow-missing-reference] [--python PATH] [--help]
 *
 * Backends: 'X-stock' is tfjs as shipped, 'X-fast' has lib/kernels' replacements registered without native code,
 * 'wasm-native' adds the oneDNN convolutions (lib/native, all cores; what initBackend uses when built), 'webgpu-mmtranspose'
 * is stock with WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE=false (tfjs-webgpu's matmul-based input gradient), 'tensorflow' is
 * tfjs-node on TensorFlow's C library (built by .ci/setup-tensorflow.sh; its own kernels, all cores). By default
 * webgpu is tried only on a hardware adapter (a software one, lavapipe, is a correctness tool, not a speed one).
 * Numbers on a shared machine are noisy: compare ratios within one run; the load average is recorded. On a CPU
 * the reference also runs on one thread ('ratio/core'): wasm is single-threaded in Node, and PyTorch's OpenMP
 * threads lose 2-10x whenever another process takes a core.
 *
 * References (bench/reference.ts): PyTorch 2.x (the first Python with torch >= 2: $SIMCLR_PYTHON, the project .venv
 * after `bash bench/setup-torch.sh`, …) gives 'ratio'; Debian's python3-torch 1.13 (/usr/bin/python3) is a second
 * row of figures ('torch1 img/s', 'ratio 1.x'). A PyTorch 2.x reference that could not run is named in every row's
 * note and makes the bench exit 1, unless --allow-missing-reference (or --no-reference) says to go without it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { probeWebGpu } from '../lib/backend';
import { setupBackend, useKernels } from './backends';
import { loadNativeConv } from '../lib/kernels/native';
import { measureStep, MeasureOptions } from './measure';
import { DEBIAN_PYTHON, findReferencePythons, probeTorch, ReferenceOutcome, ReferencePythons, ReferenceResult, referenceVerdict, runReference, torchMajor } from './reference';
import { WORKLOADS, WorkloadSpec } from './workloads';

/** Command-line options (see the file comment). */
export interface BenchOptions extends MeasureOptions {
  models: WorkloadSpec['name'][];
  backends: string[];
  views: Array<boolean>;
  reference: boolean;
  referenceDevice: string;
  /** The Python that runs the PyTorch 2.x reference; default: the first with torch >= 2 of bench/reference.ts' `pythonCandidates`. */
  python?: string;
  /** Go on (exit 0) when the PyTorch 2.x reference cannot run; its rows still say so. */
  allowMissingReference?: boolean;
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
  /** Debian's PyTorch 1.13 on all cores (the second reference) and our throughput over it. */
  reference_debian_images_per_second: number | null;
  ratio_debian: number | null;
  /** What could not run among the references (empty when both ran). */
  reference_note: string;
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
    allowMissingReference: args.includes('--allow-missing-reference') || defaults.allowMissingReference,
  };
  for (const model of options.models) if (!(model in WORKLOADS)) throw new Error(`unknown model '${model}'; expected one of ${Object.keys(WORKLOADS).join(', ')}`);
  return options;
}

/** A fixed-width table of rows. */
export function formatTable(rows: BenchRow[]): string {
  const fmt = (v: number | null, digits = 1) => (v == null || !Number.isFinite(v) ? '-' : v.toFixed(digits));
  const header = `${'model'.padEnd(13)} ${'views'.padEnd(5)} ${'backend'.padEnd(18)} ${'img/s'.padStart(8)} ${'ms/step'.padStart(9)} ${'torch img/s'.padStart(11)} ${'ratio'.padStart(7)} ${'1-thr img/s'.padStart(11)} ${'ratio/core'.padStart(10)} ${'torch1 img/s'.padStart(12)} ${'ratio 1.x'.padStart(9)} ${'peak MB'.padStart(8)}  note`;
  const lines = rows.map((r) =>
    `${r.model.padEnd(13)} ${(r.with_views ? 'yes' : 'no').padEnd(5)} ${r.backend.padEnd(18)} ${fmt(r.images_per_second).padStart(8)} ${fmt(r.step_ms_median, 0).padStart(9)} ` +
    `${fmt(r.reference_images_per_second).padStart(11)} ${fmt(r.ratio, 3).padStart(7)} ${fmt(r.reference_one_thread_images_per_second).padStart(11)} ${fmt(r.ratio_per_core, 3).padStart(10)} ${fmt(r.reference_debian_images_per_second).padStart(12)} ${fmt(r.ratio_debian, 3).padStart(9)} ${fmt(r.peak_tensor_bytes == null ? null : r.peak_tensor_bytes / 2 ** 20, 0).padStart(8)}  ${[r.error, r.reference_note].filter(Boolean).join('; ')}`);
  return [header, ...lines].join('\n');
}

/** The two reference Pythons: --python (when it has torch >= 2) or the first with torch >= 2, and Debian's 1.13. */
function referencePythons(options: BenchOptions): ReferencePythons {
  if (!options.python) return findReferencePythons();
  const given = probeTorch(options.python);
  const current = given.ok && !(torchMajor(given.torch) >= 2) ? { ...given, ok: false, reason: `${options.python} has torch ${given.torch}, not 2.x` } : given;
  return { current, debian: options.python === DEBIAN_PYTHON ? { ok: false, python: DEBIAN_PYTHON, reason: 'it is the --python given' } : probeTorch(DEBIAN_PYTHON) };
}

/**
 * Run every model × views × backend measurement; prints JSON lines as they come and returns the rows and the exit
 * code (1 when the PyTorch 2.x reference could not run and that was not allowed: see referenceVerdict).
 */
export async function runBench(options: BenchOptions, print: (line: string) => void = console.log): Promise<{ rows: BenchRow[]; exitCode: 0 | 1 }> {
  const rows: BenchRow[] = [];
  let exitCode: 0 | 1 = 0;
  const off = { ok: false, python: '', reason: 'disabled (--no-reference)' };
  const refs = options.reference ? referencePythons(options) : { current: off, debian: off };
  const torch = refs.current;
  print(`# PyTorch 2.x reference: ${torch.ok ? torch.reason : `not available: ${torch.reason}`}`);
  print(`# Debian PyTorch reference: ${refs.debian.ok ? refs.debian.reason : `not available: ${refs.debian.reason}`}`);
  // Before any workload: a PyTorch 2.x that is not there fails the run even if nothing gets measured.
  exitCode = referenceVerdict(torch, refs.debian, { allowMissing: options.allowMissingReference, disabled: !options.reference }).exitCode;
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
      let debian: ReferenceResult | null = null;
      const current: ReferenceOutcome = { ok: torch.ok, reason: torch.reason };
      const second: ReferenceOutcome = { ok: refs.debian.ok, reason: refs.debian.reason };
      if (torch.ok) {
        try {
          reference = runReference(model, withViews, options.steps, options.warmup, options.referenceDevice, undefined, torch.python);
          // PyTorch's OpenMP threads slow down badly when another process takes a core; one thread does not.
          if (options.referenceDevice === 'cpu' && os.cpus().length > 1) oneThread = runReference(model, withViews, options.steps, options.warmup, 'cpu', 1, torch.python);
        } catch (err) {
          print(`# ${(err as Error).message}`);
          Object.assign(current, { ok: false, reason: `its run failed: ${(err as Error).message.split('\n')[0]}` });
        }
      }
      if (refs.debian.ok) {
        try {
          debian = runReference(model, withViews, options.steps, options.warmup, options.referenceDevice, undefined, refs.debian.python);
        } catch (err) {
          print(`# ${(err as Error).message}`);
          Object.assign(second, { ok: false, reason: `its run failed: ${(err as Error).message.split('\n')[0]}` });
        }
      }
      const verdict = referenceVerdict(current, second, { allowMissing: options.allowMissingReference, disabled: !options.reference });
      if (verdict.exitCode) exitCode = 1;
      for (const variant of backends) {
        const [name, kind] = variant.split('-');
        const row: BenchRow = {
          model, with_views: withViews, backend: variant, images_per_second: null, step_ms_median: null, cpu_ms_per_step: null, steps: 0,
          reference_images_per_second: reference?.images_per_second ?? null, ratio: null,
          reference_cpu_ms_per_step: reference?.cpu_ms_per_step ?? null, cpu_time_ratio: null,
          reference_one_thread_images_per_second: oneThread?.images_per_second ?? null, ratio_per_core: null, peak_tensor_bytes: null, fast_kernels: [],
          device: '', reference_device: reference ? `${reference.device}, torch ${reference.torch}, ${reference.threads} threads` : null,
          reference_debian_images_per_second: debian?.images_per_second ?? null, ratio_debian: null, reference_note: verdict.rowNote,
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
            if (debian) row.ratio_debian = m.imagesPerSecond / debian.images_per_second;
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
  return { rows, exitCode };
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
  const { rows, exitCode } = await runBench(options);
  console.log(formatTable(rows));
  if (exitCode) {
    console.log('# the PyTorch 2.x reference could not run (see the note in every row): exit 1; install it with `bash bench/setup-torch.sh`, or pass --allow-missing-reference');
    process.exitCode = exitCode;
  }
}

if (require.main === module) main();
