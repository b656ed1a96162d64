/**
 * Where a training step's time goes, per kernel: CPU time of every top-level kernel call during a few
 * steps on a CPU backend (kernels called from inside other kernels count in their caller).
 * Also prints the median wall time of the timed steps (without the instrumentation's own cost: one more pass).
 *   node -r tsx/cjs bench/profile.ts [resnet18-w16|small-cnn] [wasm|cpu] [native|fast|stock] [--views] [--steps 2] [--shapes]
 *        [--optimizer trainer|adamw|adamw-unfused] [--reference [--allow-missing-reference]]
 * --optimizer: trainer (default) is the workload itself (SimclrTrainer.trainStep, bench/workloads.ts); adamw is a
 * plain step with the trainer's optimiser (createOptimizer, Adam 1e-3, no decay), fused into one native call per step
 * where the addon runs; adamw-unfused the same step with the rule op by op (the before/after of the fused update).
 * --reference: then the PyTorch references of the same step in the same invocation (bench/reference.ts: PyTorch 2.x
 * and Debian's 1.13, all cores, the same number of steps) and the ratios; exit code 1 when the 2.x one could not run,
 * unless --allow-missing-reference.
 */
import * as tf from '@tensorflow/tfjs';
import { setupBackend, useKernels } from './backends';
import { createWorkload, randomImages, Workload, WORKLOADS, WorkloadSpec } from './workloads';
import { createOptimizer } from '../lib/train/optimizers';
import { ntXent } from '../lib/losses';
import { twoViews } from '../lib/views';
import { Rng } from '../lib/rng';
import { findReferencePythons, ReferenceOutcome, referenceVerdict, runReference } from './reference';

export type ProfiledOptimizer = 'trainer' | 'adamw' | 'adamw-unfused';

/**
 * The workload's model, batch (fixed 2N, no views), NT-Xent (τ 0.5) and Adam 1e-3 as a plain minimize step with
 * createOptimizer, whose fused update can be switched off (the trainer's step always takes the default).
 */
export function createAdamWWorkload(spec: WorkloadSpec, fusedUpdate: boolean, seed = 42): Workload {
  const model = spec.build();
  const variables = model.trainableVariables();
  const optimizer = createOptimizer({ kind: 'adam', learningRate: 1e-3, fusedUpdate });
  const sources = randomImages(spec.pairs, spec.imageShape, seed); // (N, H, W, C)
  const batch = tf.tidy(() => tf.concat(twoViews(sources, spec.views(), new Rng(seed)), 0) as tf.Tensor4D); // (2N, H, W, C)
  const loss = (): tf.Scalar => {
    const { z } = model.embed(batch, { training: true }); // (2N, D)
    const [z1, z2] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    return ntXent(z1, z2, { temperature: 0.5 });
  };
  const run = async (): Promise<number> => {
    const cost = tf.tidy(() => optimizer.minimize(loss, true, variables) as tf.Scalar);
    const value = (await cost.data())[0];
    cost.dispose();
    return value;
  };
  const dispose = () => {
    model.dispose();
    optimizer.dispose();
    sources.dispose();
    batch.dispose();
  };
  return { spec, withViews: false, run, dispose };
}

/** Accumulated cost of one kernel (or kernel + shapes). */
export interface KernelCost {
  key: string;
  ms: number;
  calls: number;
}

/**
 * Wrap every kernel registered for `backendName` so that top-level calls add their CPU time to a table;
 * returns the table and a function that removes the wrappers.
 */
export function instrumentKernels(backendName: string, withShapes: boolean): { costs: Map<string, KernelCost>; restore: () => void } {
  const costs = new Map<string, KernelCost>();
  const originals: Array<[tf.KernelConfig, tf.KernelFunc]> = [];
  let depth = 0;
  for (const config of tf.getKernelsForBackend(backendName)) {
    const original = config.kernelFunc;
    originals.push([config, original]);
    (config as { kernelFunc: tf.KernelFunc }).kernelFunc = (args) => {
      if (depth > 0) return original(args);
      depth++;
      const start = process.cpuUsage();
      try {
        return original(args);
      } finally {
        const used = process.cpuUsage(start);
        depth--;
        const shapes = withShapes ? ' ' + JSON.stringify(Object.values(args.inputs).map((t) => (t as tf.TensorInfo | undefined)?.shape ?? null)) : '';
        const key = config.kernelName + shapes;
        const cost = costs.get(key) ?? { key, ms: 0, calls: 0 };
        cost.ms += (used.user + used.system) / 1000;
        cost.calls++;
        costs.set(key, cost);
      }
    };
  }
  const restore = () => originals.forEach(([config, original]) => ((config as { kernelFunc: tf.KernelFunc }).kernelFunc = original));
  return { costs, restore };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const positional = args.filter((a) => !a.startsWith('--') && !['--steps', '--optimizer'].includes(args[args.indexOf(a) - 1]));
  const model = (positional[0] ?? 'resnet18-w16') as WorkloadSpec['name'];
  const backendName = positional[1] ?? 'wasm';
  const kind = (positional[2] ?? 'native') as 'native' | 'fast' | 'stock';
  const fast = kind !== 'stock';
  const stepsIndex = args.indexOf('--steps');
  const steps = stepsIndex >= 0 ? Number(args[stepsIndex + 1]) : 2;
  const optimizerIndex = args.indexOf('--optimizer');
  const optimizer = (optimizerIndex >= 0 ? args[optimizerIndex + 1] : 'trainer') as ProfiledOptimizer;
  if (!['trainer', 'adamw', 'adamw-unfused'].includes(optimizer)) throw new Error(`--optimizer must be trainer, adamw or adamw-unfused, got ${optimizer}`);
  if (optimizer !== 'trainer' && args.includes('--views')) throw new Error('--optimizer adamw times the step without views');
  const setup = await setupBackend(backendName);
  if (!setup.ok) throw new Error(setup.reason);
  const replaced = useKernels(kind);
  const workload = optimizer === 'trainer' ? createWorkload(WORKLOADS[model], args.includes('--views')) : createAdamWWorkload(WORKLOADS[model], optimizer === 'adamw');
  await workload.run(); // warm-up
  const wallMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const begin = performance.now();
    await workload.run();
    wallMs.push(performance.now() - begin);
  }
  const medianWall = wallMs.sort((a, b) => a - b)[Math.floor(steps / 2)];
  const { costs, restore } = instrumentKernels(backendName, args.includes('--shapes'));
  const start = process.cpuUsage();
  for (let i = 0; i < steps; i++) await workload.run();
  const used = process.cpuUsage(start);
  restore();
  workload.dispose();
  const totalMs = (used.user + used.system) / 1000 / steps;
  const rows = [...costs.values()].sort((a, b) => b.ms - a.ms);
  const kernelMs = rows.reduce((sum, r) => sum + r.ms, 0) / steps;
  const calls = rows.reduce((sum, r) => sum + r.calls, 0) / steps;
  console.log(`${model} on ${backendName} (${fast ? `${kind}: ${replaced.join(', ')}` : 'stock'}), optimizer ${optimizer}: ${medianWall.toFixed(0)} ms wall per step (median of ${steps}, ${(1000 * WORKLOADS[model].pairs * 2 / medianWall).toFixed(0)} img/s), ${totalMs.toFixed(0)} ms CPU per step instrumented, ${kernelMs.toFixed(0)} ms in ${calls} top-level kernel calls`);
  for (const r of rows.slice(0, 30)) {
    console.log(`${(r.ms / steps).toFixed(1).padStart(8)} ms ${(100 * r.ms / steps / totalMs).toFixed(1).padStart(5)}% ${String(r.calls / steps).padStart(5)} calls  ${r.key}`);
  }
  if (args.includes('--reference')) {
    if (args.includes('--views')) throw new Error('--reference compares the step without views');
    process.exitCode = compareWithReferences(model, 1000 * WORKLOADS[model].pairs * 2 / medianWall, steps, args.includes('--allow-missing-reference'));
  }
}

/** Run both PyTorch references for `model` (no views) and print their img/s and our ratio to each; returns the exit code. */
function compareWithReferences(model: string, ours: number, steps: number, allowMissing: boolean): 0 | 1 {
  const { current, debian } = findReferencePythons();
  const outcomes: ReferenceOutcome[] = [current, debian].map((probe) => {
    if (!probe.ok) return { ok: false, reason: probe.reason };
    try {
      const result = runReference(model, false, steps, 2, 'cpu', undefined, probe.python);
      console.log(`reference PyTorch ${result.torch} (${probe.python}, ${result.threads} threads): ${result.images_per_second.toFixed(1)} img/s; ours / it = ${(ours / result.images_per_second).toFixed(3)}`);
      return { ok: true, reason: '' };
    } catch (err) {
      return { ok: false, reason: (err as Error).message };
    }
  });
  const verdict = referenceVerdict(outcomes[0], outcomes[1], { allowMissing });
  if (verdict.rowNote) console.log(`note: ${verdict.rowNote}`);
  return verdict.exitCode;
}

if (require.main === module) main();
