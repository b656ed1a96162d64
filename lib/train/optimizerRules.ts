/**
 * The three update rules of the trainer: SGD with momentum, Adam with decoupled weight decay (AdamW) and
 * LARS. Build them with `createOptimizer` (lib/train/optimizers.ts), which validates the settings.
 * Every rule reads the current learning rate η (set per step) and works on float32 tensors of the
 * variable's own shape; all temporaries live inside the tf.tidy of `applyGradients`.
 */
import * as tf from '@tensorflow/tfjs';
import { DecaySettings, FusedPlan, StatefulOptimizer } from './optimizerBase';
import { VariablePredicate } from './optimizerExclusions';

export interface SgdSettings extends DecaySettings {
  /** Momentum μ in [0, 1); 0 gives plain SGD (no slot). */
  momentum: number;
}

/**
 * SGD with (heavy-ball) momentum in tfjs's convention (tf.train.momentum), with coupled L2 decay:
 *   g ← g + λ·w (unless excluded),  v ← μ·v + g,  w ← w − η·v.
 * With μ = 0: w ← w − η·g. Slot: `momentum` (v, the variable's shape).
 */
export class MomentumSgdOptimizer extends StatefulOptimizer {
  static get className(): string {
    return 'SimclrMomentumSgd';
  }
  readonly kind = 'sgd';
  protected readonly slotKinds: readonly string[];

  constructor(learningRate: number, private readonly settings: SgdSettings) {
    super(learningRate, settings);
    this.slotKinds = settings.momentum > 0 ? ['momentum'] : [];
  }

  protected updateVariable(variable: tf.Variable, gradient: tf.Tensor, learningRate: tf.Scalar): void {
    const { momentum, weightDecay } = this.settings;
    const direction = this.decaysWeight(variable) ? tf.add(gradient, tf.mul(variable, weightDecay)) : gradient;
    if (momentum === 0) {
      variable.assign(tf.sub(variable, tf.mul(learningRate, direction)));
      return;
    }
    const velocity = this.slot(variable, 'momentum');
    const nextVelocity = tf.add(tf.mul(velocity, momentum), direction);
    velocity.assign(nextVelocity);
    variable.assign(tf.sub(variable, tf.mul(learningRate, nextVelocity)));
  }

  /** updateVariable's arithmetic as one native call: scalars [η, μ, λ]. */
  protected override fusedPlan(): FusedPlan {
    const { momentum, weightDecay } = this.settings;
    return { rule: 'sgd', scalars: [this.learningRate, momentum, weightDecay], flags: (variable) => (this.decaysWeight(variable) ? 1 : 0) };
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, momentum: this.settings.momentum, weightDecay: this.settings.weightDecay };
  }
}

export interface AdamSettings extends DecaySettings {
  /** Decay rate of the first-moment average, in [0, 1). */
  beta1: number;
  /** Decay rate of the second-moment average, in [0, 1). */
  beta2: number;
  /** ε > 0 added to √v̂ in the denominator. */
  epsilon: number;
}

/**
 * Adam (Kingma & Ba 2015, arXiv 1412.6980) with bias correction and decoupled weight decay, AdamW
 * (Loshchilov & Hutter 2019, arXiv 1711.05101). At update t = 1, 2, …:
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,   m̂ = m / (1 − β1^t),   v̂ = v / (1 − β2^t),
 *   w ← w − η·( m̂ / (√v̂ + ε) + λ·w ).
 * The decay is decoupled (it does not pass through m and v, so it is not rescaled by 1/√v̂) and, as in
 * torch.optim.AdamW, scaled by the current η, which plays the role of the paper's schedule multiplier.
 * With λ = 0 this is tf.train.adam's update (bias corrections computed in float64 from t instead of a
 * running float32 product, so a restored state continues exactly). Slots: `m`, `v`.
 */
export class AdamWOptimizer extends StatefulOptimizer {
  static get className(): string {
    return 'SimclrAdamW';
  }
  readonly kind = 'adam';
  protected readonly slotKinds: readonly string[] = ['m', 'v'];

  constructor(learningRate: number, private readonly settings: AdamSettings) {
    super(learningRate, settings);
  }

  protected updateVariable(variable: tf.Variable, gradient: tf.Tensor, learningRate: tf.Scalar): void {
    const { beta1, beta2, epsilon, weightDecay } = this.settings;
    const t = this.iterations + 1;
    const firstMoment = this.slot(variable, 'm');
    const secondMoment = this.slot(variable, 'v');
    const nextFirst = tf.add(tf.mul(firstMoment, beta1), tf.mul(gradient, 1 - beta1));
    const nextSecond = tf.add(tf.mul(secondMoment, beta2), tf.mul(tf.square(gradient), 1 - beta2));
    const correctedFirst = tf.div(nextFirst, 1 - beta1 ** t);
    const correctedSecond = tf.div(nextSecond, 1 - beta2 ** t);
    let direction = tf.div(correctedFirst, tf.add(tf.sqrt(correctedSecond), epsilon));
    if (this.decaysWeight(variable)) direction = tf.add(direction, tf.mul(variable, weightDecay));
    firstMoment.assign(nextFirst);
    secondMoment.assign(nextSecond);
    variable.assign(tf.sub(variable, tf.mul(learningRate, direction)));
  }

  /** updateVariable's arithmetic as one native call, with the same scalars (each rounded to float32 as tf.scalar does). */
  protected override fusedPlan(): FusedPlan {
    const { beta1, beta2, epsilon, weightDecay } = this.settings;
    const t = this.iterations + 1;
    return {
      rule: 'adam',
      scalars: [this.learningRate, beta1, 1 - beta1, beta2, 1 - beta2, 1 - beta1 ** t, 1 - beta2 ** t, epsilon, weightDecay],
      flags: (variable) => (this.decaysWeight(variable) ? 1 : 0),
    };
  }

  getConfig(): tf.serialization.ConfigDict {
    const { beta1, beta2, epsilon, weightDecay } = this.settings;
    return { learningRate: this.learningRate, beta1, beta2, epsilon, weightDecay };
  }
}

export interface LarsSettings extends SgdSettings {
  /** Trust coefficient η_trust > 0 (SimCLR's `eeta`, You et al.'s η). */
  trustCoefficient: number;
  /** Variables that keep the global learning rate (no trust ratio). */
  excludeFromAdaptation: VariablePredicate;
}

/**
 * LARS, layer-wise adaptive rate scaling (You, Gitman & Ginsburg 2017, arXiv 1708.03888), exactly as
 * SimCLR's TensorFlow LARSOptimizer with its defaults (classic momentum, no Nesterov). Per variable w:
 *   g ← g + λ·w                                    (unless excluded from decay)
 *   r = η_trust·‖w‖₂ / ‖g‖₂, or 1 when ‖w‖ = 0 or ‖g‖ = 0, or when excluded from adaptation
 *   v ← μ·v + η·r·g,   w ← w − v.
 * The learning rate sits inside the momentum buffer ("classic" momentum), so a new η affects only new
 * gradients. Biases and batch-norm γ/β are excluded by default (plain momentum SGD at rate η, no decay).
 * Slot: `momentum` (v).
 */
export class LarsOptimizer extends StatefulOptimizer {
  static get className(): string {
    return 'SimclrLars';
  }
  readonly kind = 'lars';
  protected readonly slotKinds: readonly string[] = ['momentum'];

  constructor(learningRate: number, private readonly settings: LarsSettings) {
    super(learningRate, settings);
  }

  protected updateVariable(variable: tf.Variable, gradient: tf.Tensor, learningRate: tf.Scalar): void {
    const { momentum, weightDecay, trustCoefficient, excludeFromAdaptation } = this.settings;
    const direction = this.decaysWeight(variable) ? tf.add(gradient, tf.mul(variable, weightDecay)) : gradient;
    let scaledLearningRate: tf.Tensor = learningRate;
    if (!excludeFromAdaptation(variable.name, variable.shape)) {
      const weightNorm = tf.norm(variable);
      const directionNorm = tf.norm(direction);
      const bothPositive = tf.logicalAnd(tf.greater(weightNorm, 0), tf.greater(directionNorm, 0));
      const one = tf.onesLike(weightNorm);
      const ratio = tf.div(tf.mul(weightNorm, trustCoefficient), tf.where(bothPositive, directionNorm, one));
      scaledLearningRate = tf.mul(learningRate, tf.where(bothPositive, ratio, one));
    }
    const velocity = this.slot(variable, 'momentum');
    const nextVelocity = tf.add(tf.mul(velocity, momentum), tf.mul(scaledLearningRate, direction));
    velocity.assign(nextVelocity);
    variable.assign(tf.sub(variable, nextVelocity));
  }

  /**
   * updateVariable's arithmetic as one native call: scalars [η, μ, λ, η_trust]. The two norms are summed in float64
   * there (float32 here, in tfjs's order), so the trust ratio, and with it the update, may differ in the last ulps.
   */
  protected override fusedPlan(): FusedPlan {
    const { momentum, weightDecay, trustCoefficient, excludeFromAdaptation } = this.settings;
    return {
      rule: 'lars',
      scalars: [this.learningRate, momentum, weightDecay, trustCoefficient],
      flags: (variable) => (this.decaysWeight(variable) ? 1 : 0) | (excludeFromAdaptation(variable.name, variable.shape) ? 0 : 2),
    };
  }

  getConfig(): tf.serialization.ConfigDict {
    const { momentum, weightDecay, trustCoefficient } = this.settings;
    return { learningRate: this.learningRate, momentum, weightDecay, trustCoefficient };
  }
}
