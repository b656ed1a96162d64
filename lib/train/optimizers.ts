/**
 * `createOptimizer`: one options object → an Adam(W), momentum-SGD or LARS optimiser that is a
 * tf.Optimizer (`applyGradients`, `minimize`) with `setLearningRate`, `getState` and `setState`.
 * Re-exports the pieces of its helper modules that callers need.
 */
import type { OptimizerKind } from './optimizerBase';
import { StatefulOptimizer } from './optimizerBase';
import type { VariablePredicate } from './optimizerExclusions';
import { isBiasOrBatchNorm } from './optimizerExclusions';
import { AdamWOptimizer, LarsOptimizer, MomentumSgdOptimizer } from './optimizerRules';

export type { OptimizerKind, OptimizerSlot, OptimizerState, SetStateOptions } from './optimizerBase';
export { StatefulOptimizer } from './optimizerBase';
export type { VariablePredicate } from './optimizerExclusions';
export { isBiasOrBatchNorm } from './optimizerExclusions';
export type { AdamSettings, LarsSettings, SgdSettings } from './optimizerRules';
export { AdamWOptimizer, LarsOptimizer, MomentumSgdOptimizer } from './optimizerRules';

export interface OptimizerOptions {
  kind: OptimizerKind;
  /** Initial learning rate η ≥ 0; the trainer overrides it every step with `setLearningRate`. */
  learningRate: number;
  /** Momentum μ in [0, 1) (SGD and LARS). */
  momentum?: number;
  /** Weight decay λ ≥ 0: coupled L2 (g + λw) for SGD and LARS, decoupled AdamW for Adam. */
  weightDecay?: number;
  /** LARS trust coefficient (You et al.'s η, SimCLR's `eeta`), > 0. */
  trustCoefficient?: number;
  /** Adam's first-moment decay β1 in [0, 1). */
  beta1?: number;
  /** Adam's second-moment decay β2 in [0, 1). */
  beta2?: number;
  /** Adam's ε > 0. */
  epsilon?: number;
  /** LARS: variables that keep the global rate (no trust ratio). */
  excludeFromAdaptation?: VariablePredicate;
  /** Variables never decayed (every kind). Default: the same predicate as `excludeFromAdaptation`. */
  excludeFromWeightDecay?: VariablePredicate;
  /** One native call per step on wasm when the addon is built (see `DecaySettings.fusedUpdate`). Default true; false: op by op always. */
  fusedUpdate?: boolean;
}

export const OPTIMIZER_DEFAULTS = {
  momentum: 0.9, // SimCLR's LARS and the usual SGD setting
  weightDecay: 0, // none unless asked: the seed run (Adam 1e-3) uses none; SimCLR's LARS uses 1e-6
  trustCoefficient: 0.001, // SimCLR's EETA_DEFAULT and You et al. 2017
  beta1: 0.9, // Kingma & Ba 2015, also PyTorch and tfjs
  beta2: 0.999, // Kingma & Ba 2015, also PyTorch and tfjs
  epsilon: 1e-8, // Kingma & Ba 2015 and PyTorch (the seed run's Adam); tfjs would use 1e-7
  excludeFromAdaptation: isBiasOrBatchNorm as VariablePredicate, // SimCLR excludes biases and batch norm
};

const KINDS: readonly OptimizerKind[] = ['adam', 'sgd', 'lars'];

/**
 * Build the optimiser the options describe (settings validated here, once):
 *  - 'adam': AdamW — Adam with bias correction, decoupled weight decay (see `AdamWOptimizer`);
 *  - 'sgd':  momentum SGD in tfjs's convention, coupled L2 decay (see `MomentumSgdOptimizer`);
 *  - 'lars': SimCLR's LARS (see `LarsOptimizer`).
 * Biases and normalisation parameters (`isBiasOrBatchNorm`) are excluded from weight decay for every kind
 * and from LARS's trust ratio, unless other predicates are given.
 */
export function createOptimizer(options: OptimizerOptions): StatefulOptimizer {
  if (options == null || typeof options !== 'object') {
    throw new Error(`createOptimizer: options must be an object {kind, learningRate, …}, got ${String(options)}`);
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
  const settings = { ...OPTIMIZER_DEFAULTS, ...defined } as Required<OptimizerOptions>;
  settings.excludeFromWeightDecay ??= settings.excludeFromAdaptation;
  validateOptimizerOptions(settings);
  const { kind, learningRate } = settings;
  if (kind === 'adam') return new AdamWOptimizer(learningRate, settings);
  if (kind === 'sgd') return new MomentumSgdOptimizer(learningRate, settings);
  return new LarsOptimizer(learningRate, settings);
}

function validateOptimizerOptions(settings: Required<OptimizerOptions>): void {
  const fail = (what: string, got: unknown): never => {
    throw new Error(`createOptimizer: ${what}, got ${typeof got === 'string' ? JSON.stringify(got) : String(got)}`);
  };
  const isFinite = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
  const { kind, learningRate, momentum, weightDecay, trustCoefficient, beta1, beta2, epsilon } = settings;
  if (!KINDS.includes(kind)) fail(`kind must be one of ${KINDS.join(', ')}`, kind);
  if (!isFinite(learningRate) || learningRate < 0) fail('learningRate must be a finite number >= 0', learningRate);
  if (!isFinite(momentum) || momentum < 0 || momentum >= 1) fail('momentum must be a number in [0, 1)', momentum);
  if (!isFinite(weightDecay) || weightDecay < 0) fail('weightDecay must be a finite number >= 0', weightDecay);
  if (!isFinite(trustCoefficient) || trustCoefficient <= 0) fail('trustCoefficient must be a finite number > 0', trustCoefficient);
  if (!isFinite(beta1) || beta1 < 0 || beta1 >= 1) fail('beta1 must be a number in [0, 1)', beta1);
  if (!isFinite(beta2) || beta2 < 0 || beta2 >= 1) fail('beta2 must be a number in [0, 1)', beta2);
  if (!isFinite(epsilon) || epsilon <= 0) fail('epsilon must be a finite number > 0', epsilon);
  if (settings.fusedUpdate !== undefined && typeof settings.fusedUpdate !== 'boolean') fail('fusedUpdate must be true or false', settings.fusedUpdate);
  for (const name of ['excludeFromAdaptation', 'excludeFromWeightDecay'] as const) {
    if (typeof settings[name] !== 'function') fail(`${name} must be a function (variableName, shape) => boolean`, settings[name]);
  }
}
