/**
 * Learning-rate schedule as a pure function of the optimiser step, and the batch-size scaling rules
 * SimCLR uses to choose the base rate. The trainer calls `learningRateAt(step, …)` before every step and
 * hands the result to `optimizer.setLearningRate`.
 */

/** Shape of the schedule over the run. */
export type ScheduleKind = 'constant' | 'cosine' | 'warmupCosine';

/** How the base learning rate grows with the batch size. */
export type LearningRateScaling = 'none' | 'linear' | 'sqrt';

export interface ScheduleOptions {
  /** Peak learning rate (after warmup); finite, > 0. */
  baseLearningRate: number;
  /** Length of the linear warmup in steps (integer ≥ 0); used by 'warmupCosine' and 'constant'. */
  warmupSteps?: number;
  /** Length of the whole run in steps (integer ≥ 1); the cosine reaches `minLearningRate` there. */
  totalSteps: number;
  schedule: ScheduleKind;
  /** Floor of the cosine decay (η_min of SGDR); finite, in [0, baseLearningRate]. */
  minLearningRate?: number;
}

export const SCHEDULE_DEFAULTS = {
  warmupSteps: 0, // no warmup unless asked: the seed run (Adam 1e-3) uses none
  minLearningRate: 0, // SimCLR decays to 0 (tf.train.cosine_decay with alpha = 0)
};

const SCHEDULE_KINDS: readonly ScheduleKind[] = ['constant', 'cosine', 'warmupCosine'];
const SCALING_RULES: readonly LearningRateScaling[] = ['none', 'linear', 'sqrt'];

/**
 * Learning rate for optimiser step `step` (0-based: the number of updates already applied).
 *
 *  - warmup (schedules 'warmupCosine' and 'constant', when warmupSteps W > 0), linear as in Goyal et al.
 *    2017 (arXiv 1706.02677) and SimCLR (Chen et al. 2020): for step s < W,
 *      η(s) = η_base · (s + 1) / W,
 *    so the first update uses η_base / W (not 0: an update with rate 0 would be wasted) and step W − 1
 *    uses η_base. SimCLR's code uses s / W, the same line shifted by one step.
 *  - cosine decay without restarts (SGDR, Loshchilov & Hutter 2017, arXiv 1608.03983): for s ≥ W,
 *      η(s) = η_min + (η_base − η_min) · ½ (1 + cos(π · p)),  p = min(1, (s − W) / (T − W)),
 *    so η(W) = η_base, the midpoint s = W + (T − W)/2 gives (η_base + η_min)/2, and η(T) = η_min. Steps
 *    past T stay at η_min (as tf.train.cosine_decay clamps). 'cosine' is this with W = 0.
 *  - 'constant': η_base (after the warmup, if any).
 * Pure: the same arguments always give the same number; nothing is mutated.
 * @returns learning rate, in the optimiser's units (multiplier of the update direction).
 */
export function learningRateAt(step: number, options: ScheduleOptions): number {
  const { baseLearningRate, warmupSteps, totalSteps, schedule, minLearningRate } = validateSchedule(options);
  if (!Number.isInteger(step) || step < 0) {
    throw new Error(`learningRateAt: step must be an integer >= 0, got ${String(step)}`);
  }
  if (step < warmupSteps) return (baseLearningRate * (step + 1)) / warmupSteps;
  if (schedule === 'constant') return baseLearningRate;
  const progress = Math.min(1, (step - warmupSteps) / (totalSteps - warmupSteps));
  return minLearningRate + (baseLearningRate - minLearningRate) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

/**
 * Check schedule options once (the trainer may call this at construction) and return them merged over
 * `SCHEDULE_DEFAULTS`. Throws an Error saying what was expected and what was got.
 */
export function validateSchedule(options: ScheduleOptions): Required<ScheduleOptions> {
  const caller = 'learningRateAt';
  if (options == null || typeof options !== 'object') {
    throw new Error(`${caller}: options must be an object {baseLearningRate, totalSteps, schedule, …}, got ${String(options)}`);
  }
  const merged: Required<ScheduleOptions> = { ...SCHEDULE_DEFAULTS, ...definedEntries(options) } as Required<ScheduleOptions>;
  const { baseLearningRate, warmupSteps, totalSteps, schedule, minLearningRate } = merged;
  if (!SCHEDULE_KINDS.includes(schedule)) {
    throw new Error(`${caller}: schedule must be one of ${SCHEDULE_KINDS.join(', ')}, got ${JSON.stringify(schedule)}`);
  }
  if (typeof baseLearningRate !== 'number' || !Number.isFinite(baseLearningRate) || !(baseLearningRate > 0)) {
    throw new Error(`${caller}: baseLearningRate must be a finite number > 0, got ${String(baseLearningRate)}`);
  }
  if (!Number.isInteger(totalSteps) || totalSteps < 1) {
    throw new Error(`${caller}: totalSteps must be an integer >= 1, got ${String(totalSteps)}`);
  }
  if (!Number.isInteger(warmupSteps) || warmupSteps < 0) {
    throw new Error(`${caller}: warmupSteps must be an integer >= 0, got ${String(warmupSteps)}`);
  }
  if (schedule === 'cosine' && warmupSteps > 0) {
    throw new Error(`${caller}: schedule 'cosine' has no warmup, got warmupSteps ${warmupSteps} (use 'warmupCosine')`);
  }
  if (schedule === 'warmupCosine' && warmupSteps >= totalSteps) {
    throw new Error(`${caller}: warmupSteps must be < totalSteps for 'warmupCosine' (the decay needs steps), got ${warmupSteps} >= ${totalSteps}`);
  }
  if (schedule === 'constant' && warmupSteps > totalSteps) {
    throw new Error(`${caller}: warmupSteps must be <= totalSteps, got ${warmupSteps} > ${totalSteps}`);
  }
  if (typeof minLearningRate !== 'number' || !Number.isFinite(minLearningRate) || minLearningRate < 0 || minLearningRate > baseLearningRate) {
    throw new Error(`${caller}: minLearningRate must be a finite number in [0, baseLearningRate = ${baseLearningRate}], got ${String(minLearningRate)}`);
  }
  return merged;
}

/**
 * Base learning rate scaled to the batch size, as SimCLR chooses it (Chen et al. 2020, appendix B.1):
 *  - 'linear': η = base · N / 256 (the linear scaling rule of Goyal et al. 2017; SimCLR: 0.3 · N/256 with LARS),
 *  - 'sqrt':   η = base · √N (SimCLR's rule for small batches with LARS: 0.075 · √N),
 *  - 'none':   η = base.
 * N = `batchSize`, the number of source images per step (each gives two views, 2N rows in the loss).
 * Both of SimCLR's settings give 4.8 at N = 4096.
 */
export function scaledLearningRate(baseLearningRate: number, batchSize: number, rule: LearningRateScaling): number {
  const caller = 'scaledLearningRate';
  if (typeof baseLearningRate !== 'number' || !Number.isFinite(baseLearningRate) || !(baseLearningRate > 0)) {
    throw new Error(`${caller}: baseLearningRate must be a finite number > 0, got ${String(baseLearningRate)}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new Error(`${caller}: batchSize must be an integer >= 1 (images per step), got ${String(batchSize)}`);
  }
  if (!SCALING_RULES.includes(rule)) {
    throw new Error(`${caller}: rule must be one of ${SCALING_RULES.join(', ')}, got ${JSON.stringify(rule)}`);
  }
  if (rule === 'linear') return (baseLearningRate * batchSize) / 256;
  if (rule === 'sqrt') return baseLearningRate * Math.sqrt(batchSize);
  return baseLearningRate;
}

/** Copy of an options object without its `undefined` entries, so that they do not hide defaults. */
function definedEntries<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
