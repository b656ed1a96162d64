/** Timing one workload on the active backend: median step time after warm-up, and peak tensor memory. */
import * as tf from '@tensorflow/tfjs';
import { createWorkload, WorkloadSpec } from './workloads';

/** Limits of one measurement. */
export interface MeasureOptions {
  /** Untimed steps first (kernel set-up, shader compilation, optimizer slots). */
  warmup: number;
  /** Timed steps wanted; the median is reported. */
  steps: number;
  /** Time budget in seconds: stop warm-up and timing after it (at least one step of each), and skip the
   *  profiled step when a step takes longer. Slow backends (the pure-JS cpu one) need it. */
  maxSeconds: number;
}

/** What one measurement found. */
export interface StepMeasurement {
  imagesPerSecond: number;
  stepMsMedian: number;
  /** Median CPU time of this process per step (all threads; on a shared machine steadier than wall time). */
  cpuMsPerStep: number;
  /** Timed steps actually run. */
  steps: number;
  /** Peak tensor bytes during one profiled step above what was allocated before the workload was built
   *  (its weights, optimizer state, data and the step's activations and gradients); null when steps exceed the budget. */
  peakTensorBytes: number | null;
  /** Loss of the last step (a sanity check that training ran: finite, near log(2N − 1) at first). */
  lastLoss: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Build the workload on the current backend, warm up, time steps (wall clock around a step that ends in
 * a loss read-back, i.e. a device sync), profile one more step for peak memory, and free everything.
 */
export async function measureStep(spec: WorkloadSpec, withViews: boolean, options: MeasureOptions): Promise<StepMeasurement> {
  const missing = ['Conv2DBackpropFilter', 'Conv2DBackpropInput'].filter((name) => !tf.getKernel(name, tf.getBackend()));
  if (missing.length > 0) {
    // Fail before building anything: a step that throws mid-backprop leaves its saved tensors allocated.
    throw new Error(`backend '${tf.getBackend()}' has no ${missing.join(', ')} kernel, so it cannot train convolutions`);
  }
  const baselineBytes = tf.memory().numBytes;
  const workload = createWorkload(spec, withViews);
  try {
    let lastLoss = NaN;
    const budgetMs = options.maxSeconds * 1000;
    const warmupStart = performance.now();
    // A backend slower than the budget (the pure-JS cpu backend: minutes per step) gets one warm-up step.
    for (let i = 0; i < options.warmup && (i === 0 || performance.now() - warmupStart < budgetMs); i++) lastLoss = await workload.run();
    const times: number[] = [];
    const cpuTimes: number[] = [];
    const started = performance.now();
    while (times.length < options.steps && (times.length === 0 || performance.now() - started < options.maxSeconds * 1000)) {
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      lastLoss = await workload.run();
      times.push(performance.now() - start);
      const cpu = process.cpuUsage(cpuStart);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    const stepMs = median(times);
    // Peak memory from one more, profiled step, unless steps are slower than the budget.
    let peakTensorBytes: number | null = null;
    if (stepMs < budgetMs) {
      const profile = await tf.profile(async () => {
        lastLoss = await workload.run();
      });
      peakTensorBytes = profile.peakBytes - baselineBytes;
    }
    return { imagesPerSecond: (2 * spec.pairs) / (stepMs / 1000), stepMsMedian: stepMs, cpuMsPerStep: median(cpuTimes), steps: times.length, peakTensorBytes, lastLoss };
  } finally {
    workload.dispose();
  }
}
