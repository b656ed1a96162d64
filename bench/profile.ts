/**
 * Where a training step's time goes, per kernel: CPU time of every top-level kernel call during a few
 * steps on a CPU backend (kernels called from inside other kernels count in their caller).
 *   node -r tsx/cjs bench/profile.ts [resnet18-w16|small-cnn] [wasm|cpu] [native|fast|stock] [--views] [--steps 2] [--shapes]
 */
import * as tf from '@tensorflow/tfjs';
import { setupBackend, useKernels } from './backends';
import { createWorkload, WORKLOADS, WorkloadSpec } from './workloads';

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
  const positional = args.filter((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--steps');
  const model = (positional[0] ?? 'resnet18-w16') as WorkloadSpec['name'];
  const backendName = positional[1] ?? 'wasm';
  const kind = (positional[2] ?? 'native') as 'native' | 'fast' | 'stock';
  const fast = kind !== 'stock';
  const stepsIndex = args.indexOf('--steps');
  const steps = stepsIndex >= 0 ? Number(args[stepsIndex + 1]) : 2;
  const setup = await setupBackend(backendName);
  if (!setup.ok) throw new Error(setup.reason);
  const replaced = useKernels(kind);
  const workload = createWorkload(WORKLOADS[model], args.includes('--views'));
  await workload.run(); // warm-up
  const { costs, restore } = instrumentKernels(backendName, args.includes('--shapes'));
  const start = process.cpuUsage();
  for (let i = 0; i < steps; i++) await workload.run();
  const used = process.cpuUsage(start);
  restore();
  workload.dispose();
  const totalMs = (used.user + used.system) / 1000 / steps;
  const rows = [...costs.values()].sort((a, b) => b.ms - a.ms);
  const kernelMs = rows.reduce((sum, r) => sum + r.ms, 0) / steps;
  console.log(`${model} on ${backendName} (${fast ? `${kind}: ${replaced.join(', ')}` : 'stock'}): ${totalMs.toFixed(0)} ms CPU per step, ${kernelMs.toFixed(0)} ms in kernels`);
  for (const r of rows.slice(0, 30)) {
    console.log(`${(r.ms / steps).toFixed(1).padStart(8)} ms ${(100 * r.ms / steps / totalMs).toFixed(1).padStart(5)}% ${String(r.calls / steps).padStart(5)} calls  ${r.key}`);
  }
}

if (require.main === module) main();
