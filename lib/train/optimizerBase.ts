/**
 * Base of the trainer's optimisers: a tf.Optimizer (so `applyGradients` and `minimize` work as usual)
 * whose learning rate can be changed every step and whose whole state (step count, learning rate and the
 * per-variable slots such as momentum) can be read out and restored exactly for checkpoints.
 */
import * as tf from '@tensorflow/tfjs';
import { VariablePredicate } from './optimizerExclusions';
import { FusedRule, fusedOptimizerAvailable, fusedOptimizerStep } from '../kernels/nativeOptimizer';

export type OptimizerKind = 'adam' | 'sgd' | 'lars';

/** One slot array (e.g. the momentum of one variable): named `<variable name>/<slot kind>`. */
export interface OptimizerSlot {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** Everything an optimiser needs to continue exactly where it stopped. */
export interface OptimizerState {
  kind: OptimizerKind;
  /** Updates applied so far (Adam's bias correction uses it). */
  iterations: number;
  learningRate: number;
  slots: OptimizerSlot[];
}

export interface SetStateOptions {
  /**
   * Maps a saved variable name to the name of the variable that should receive its slots, for a model
   * rebuilt under other names (tf.layers numbers its layers per process: `dense_Dense1` → `dense_Dense3`).
   * Default: the saved name itself.
   */
  renameVariable?: (savedVariableName: string) => string;
}

/** Settings every kind shares: weight decay, which variables skip it, and whether a step may run fused. */
export interface DecaySettings {
  /** Decay coefficient λ ≥ 0 (coupled L2 for SGD and LARS, decoupled for Adam). */
  weightDecay: number;
  /** Variables that are never decayed. */
  excludeFromWeightDecay: VariablePredicate;
  /**
   * Run the whole step as one native call on the wasm backend when the addon is built (lib/kernels/nativeOptimizer.ts):
   * the same float32 operations, so the same values (LARS: to the last ulps of its trust ratio), forward passes between
   * the steps included (tests/train/optimizersFused.test.ts runs SimCLR steps both ways). Default true: elsewhere (other
   * backends, no addon) the op-by-op rules run. false always takes the op-by-op path.
   */
  fusedUpdate?: boolean;
}

/** What a rule hands to the fused step: the addon's rule, its scalars, and each variable's flags. */
export interface FusedPlan {
  rule: FusedRule;
  /** See `fusedOptimizerStep`. */
  scalars: number[];
  /** Bit 0: decay the variable; bit 1 (LARS): adapt its rate. */
  flags: (variable: tf.Variable) => number;
}

/**
 * A tf.Optimizer with a settable learning rate and exact state save/restore. Slots are kept per
 * variable name (not per position in the gradient list, as tfjs's own optimisers do), created on the
 * first update of a variable, and owned (disposed) by the optimiser. Subclasses define one update rule.
 */
export abstract class StatefulOptimizer extends tf.Optimizer {
  abstract readonly kind: OptimizerKind;
  /** Slot kinds this rule keeps per variable, e.g. ['m', 'v'] for Adam. */
  protected abstract readonly slotKinds: readonly string[];
  private currentLearningRate = 0;
  private readonly slots = new Map<string, tf.Variable>();

  constructor(learningRate: number, protected readonly decay: DecaySettings) {
    super();
    this.setLearningRate(learningRate);
  }

  /** Learning rate used by the next update. */
  get learningRate(): number {
    return this.currentLearningRate;
  }

  /** Set the learning rate of the next updates (the trainer calls it every step with `learningRateAt(step)`). */
  setLearningRate(learningRate: number): void {
    if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate < 0) {
      throw new Error(`setLearningRate: learning rate must be a finite number >= 0, got ${String(learningRate)}`);
    }
    this.currentLearningRate = learningRate;
  }

  /**
   * Apply one update to every variable that has a gradient (null gradients are skipped, as in tfjs),
   * inside one tf.tidy. Variables are looked up by name among tfjs's registered variables.
   * @param variableGradients gradients by variable name (map or list), each of its variable's shape.
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const entries: [string, tf.Tensor | null][] = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor])
      : Object.entries(variableGradients);
    const updates: [tf.Variable, tf.Tensor][] = []; // checked before any update, so a bad entry changes nothing
    for (const [name, gradient] of entries) {
      if (gradient == null) continue;
      const variable = tf.engine().registeredVariables[name];
      if (variable == null) throw new Error(`applyGradients: no variable named '${name}' is registered`);
      if (!sameShape(gradient.shape, variable.shape)) {
        throw new Error(`applyGradients: gradient of '${name}' has shape [${gradient.shape}], the variable has [${variable.shape}]`);
      }
      updates.push([variable, gradient]);
    }
    if (!this.applyFused(updates)) {
      tf.tidy(() => {
        const learningRate = tf.scalar(this.currentLearningRate);
        for (const [variable, gradient] of updates) this.updateVariable(variable, gradient, learningRate);
      });
    }
    this.incrementIterations();
  }

  /**
   * The step as one native call (see `DecaySettings.fusedUpdate`); false, with nothing changed but the slots
   * created (zeros, as the op-by-op path creates them), when it cannot run here.
   */
  private applyFused(updates: [tf.Variable, tf.Tensor][]): boolean {
    const plan = this.decay.fusedUpdate === false || updates.length === 0 ? null : this.fusedPlan();
    if (!plan || !fusedOptimizerAvailable()) return false;
    tf.tidy(() => updates.forEach(([variable]) => this.slotKinds.forEach((kind) => this.slot(variable, kind))));
    return fusedOptimizerStep(
      plan.rule,
      plan.scalars,
      updates.map(([variable, gradient]) => ({ variable, gradient, slots: this.slotKinds.map((kind) => this.slot(variable, kind)), flags: plan.flags(variable) })),
    );
  }

  /** This rule's fused form for the next step (`this.iterations` is the count before it), or null when it has none. */
  protected fusedPlan(): FusedPlan | null {
    return null;
  }

  /** One update of one variable (called inside tf.tidy; `this.iterations` is the count before this step). */
  protected abstract updateVariable(variable: tf.Variable, gradient: tf.Tensor, learningRate: tf.Scalar): void;

  /** The slot `kind` of `variable`, created as zeros on first use. */
  protected slot(variable: tf.Variable, kind: string): tf.Variable {
    const key = `${variable.name}/${kind}`;
    let slot = this.slots.get(key);
    if (slot == null) {
      slot = tf.variable(tf.zerosLike(variable), false);
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** Whether weight decay applies to this variable (λ > 0 and not excluded). */
  protected decaysWeight(variable: tf.Variable): boolean {
    return this.decay.weightDecay > 0 && !this.decay.excludeFromWeightDecay(variable.name, variable.shape);
  }

  /** Copy of the whole state (slot values are copied: later steps do not change it). */
  async getState(): Promise<OptimizerState> {
    const slots: OptimizerSlot[] = [];
    for (const [name, slot] of this.slots) {
      const values = (await slot.data()) as Float32Array;
      slots.push({ name, shape: slot.shape.slice(), values: Float32Array.from(values) });
    }
    return { kind: this.kind, iterations: this.iterations, learningRate: this.currentLearningRate, slots };
  }

  /**
   * Replace the whole state by a saved one (validated first: nothing changes if it is invalid). The
   * variables the slots belong to must exist (restore the model first) and have the saved shapes.
   */
  setState(state: OptimizerState, options: SetStateOptions = {}): void {
    const restored = this.validateState(state, options.renameVariable ?? ((name) => name));
    for (const slot of this.slots.values()) slot.dispose();
    this.slots.clear();
    for (const { key, shape, values } of restored) {
      this.slots.set(key, tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(values), shape, 'float32'), false)));
    }
    this.iterations_ = state.iterations;
    this.setLearningRate(state.learningRate);
  }

  private validateState(state: OptimizerState, rename: (savedName: string) => string) {
    const caller = `setState (${this.kind})`;
    if (state == null || typeof state !== 'object' || !Array.isArray(state.slots)) {
      throw new Error(`${caller}: state must be an object {kind, iterations, learningRate, slots[]}, got ${String(state)}`);
    }
    if (state.kind !== this.kind) throw new Error(`${caller}: state was saved by a '${state.kind}' optimiser`);
    if (!Number.isInteger(state.iterations) || state.iterations < 0) {
      throw new Error(`${caller}: iterations must be an integer >= 0, got ${String(state.iterations)}`);
    }
    if (typeof state.learningRate !== 'number' || !Number.isFinite(state.learningRate) || state.learningRate < 0) {
      throw new Error(`${caller}: learningRate must be a finite number >= 0, got ${String(state.learningRate)}`);
    }
    const restored: { key: string; shape: number[]; values: ArrayLike<number> }[] = [];
    for (const { name, shape, values } of state.slots) {
      const split = name.lastIndexOf('/');
      const kind = name.slice(split + 1);
      if (split < 1 || !this.slotKinds.includes(kind)) {
        throw new Error(`${caller}: slot '${name}' is not '<variable>/<${this.slotKinds.join('|') || 'no slots'}>'`);
      }
      const variableName = rename(name.slice(0, split));
      const variable = tf.engine().registeredVariables[variableName];
      if (variable == null) throw new Error(`${caller}: slot '${name}' belongs to variable '${variableName}', which is not registered`);
      if (!sameShape(shape, variable.shape)) {
        throw new Error(`${caller}: slot '${name}' has shape [${shape}], variable '${variableName}' has [${variable.shape}]`);
      }
      if (values == null || values.length !== variable.size) {
        throw new Error(`${caller}: slot '${name}' has ${values?.length} values, shape [${shape}] needs ${variable.size}`);
      }
      const key = `${variableName}/${kind}`;
      if (restored.some((r) => r.key === key)) throw new Error(`${caller}: two slots restore into '${key}'`);
      restored.push({ key, shape: variable.shape.slice(), values });
    }
    return restored;
  }

  /** Dispose every slot (the model's variables stay). */
  override dispose(): void {
    for (const slot of this.slots.values()) slot.dispose();
    this.slots.clear();
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return Array.isArray(a) && a.length === b.length && a.every((size, i) => size === b[i]);
}
