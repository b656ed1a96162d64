/** The SimCLR network: an encoder f and a projection head g, trained together, h kept afterwards. */
import * as tf from '@tensorflow/tfjs';

/** Output of `SimclrModel.embed`: the representation and its projection. */
export interface Embedding {
  /** Representation h = f(x), `(N, F)`. */
  h: tf.Tensor2D;
  /** Projection z = g(h), `(N, D)`: what the contrastive loss sees. */
  z: tf.Tensor2D;
}

/** Options for `SimclrModel.embed`. */
export interface EmbedOptions {
  /** BatchNorm mode. true: normalise with batch statistics and update the moving ones; false: use the moving ones. Default false. */
  training?: boolean;
}

/** The two parts of a `SimclrModel`. */
export interface SimclrParts {
  /** f: `(N, H, W, C)` images → h `(N, F)`. */
  encoder: tf.LayersModel;
  /** g: h `(N, F)` → z `(N, D)`. */
  head: tf.LayersModel;
}

function dims(model: tf.LayersModel, which: 'input' | 'output'): (number | null)[] {
  const tensors = which === 'input' ? model.inputs : model.outputs;
  if (tensors.length !== 1) throw new Error(`SimclrModel: ${model.name} must have exactly one ${which}, has ${tensors.length}`);
  return tensors[0].shape;
}

/**
 * SimCLR's network (Chen et al. 2020, arXiv 2002.05709, §2.1): h = f(x) (the encoder, kept for downstream
 * tasks) and z = g(h) (the projection head, used only by the contrastive loss).
 * Owns both models: `dispose()` frees their weights. Validates at construction that f's output size is g's input size.
 */
export class SimclrModel {
  readonly encoder: tf.LayersModel;
  readonly head: tf.LayersModel;
  /** Image shape `[H, W, C]` the encoder expects. */
  readonly inputShape: [number, number, number];
  /** Size F of h. */
  readonly representationDim: number;
  /** Size D of z. */
  readonly projectionDim: number;

  constructor(parts: SimclrParts) {
    const { encoder, head } = parts ?? ({} as SimclrParts);
    if (!(encoder instanceof tf.LayersModel) || !(head instanceof tf.LayersModel)) {
      throw new Error('SimclrModel: expected {encoder, head}, both tf.LayersModel');
    }
    const encoderInput = dims(encoder, 'input');
    const encoderOutput = dims(encoder, 'output');
    const headInput = dims(head, 'input');
    const headOutput = dims(head, 'output');
    if (encoderInput.length !== 4 || encoderInput.slice(1).some((d) => d == null)) {
      throw new Error(`SimclrModel: the encoder must take (N, H, W, C) images of a fixed size, its input is [${encoderInput}]`);
    }
    if (encoderOutput.length !== 2 || headInput.length !== 2 || headOutput.length !== 2) {
      throw new Error(`SimclrModel: encoder output and head input/output must be (N, features), got [${encoderOutput}], [${headInput}], [${headOutput}]`);
    }
    if (encoderOutput[1] !== headInput[1]) {
      throw new Error(`SimclrModel: the head takes ${headInput[1]} features but the encoder gives ${encoderOutput[1]}`);
    }
    this.encoder = encoder;
    this.head = head;
    this.inputShape = encoderInput.slice(1) as [number, number, number];
    this.representationDim = encoderOutput[1] as number;
    this.projectionDim = headOutput[1] as number;
  }

  private checkImages(x: tf.Tensor): void {
    const [, ...rest] = x.shape;
    if (x.rank !== 4 || rest.some((d, i) => d !== this.inputShape[i])) {
      throw new Error(`SimclrModel: expected images (N, ${this.inputShape.join(', ')}), got [${x.shape}]`);
    }
  }

  /**
   * h = f(x) and z = g(h) in one pass. Shapes: x `(N, H, W, C)` float32 → h `(N, F)`, z `(N, D)`.
   * With `training: true` every BatchNorm normalises with the batch's statistics and updates its moving
   * statistics (one step of the running average); with false (default) it uses the moving statistics.
   * The caller owns (and disposes) h and z.
   */
  embed(x: tf.Tensor4D, options: EmbedOptions = {}): Embedding {
    this.checkImages(x);
    const training = options.training ?? false;
    return tf.tidy(() => {
      const h = this.encoder.apply(x, { training }) as tf.Tensor2D; // (N, F)
      const z = this.head.apply(h, { training }) as tf.Tensor2D; // (N, D)
      return { h, z };
    });
  }

  /** The representation h = f(x) in inference mode, for probes and retrieval. `(N, H, W, C)` → `(N, F)`. */
  representation(x: tf.Tensor4D): tf.Tensor2D {
    this.checkImages(x);
    return tf.tidy(() => this.encoder.apply(x, { training: false }) as tf.Tensor2D);
  }

  /** Trainable weights of encoder then head (conv/dense kernels and biases, BN γ and β). */
  get trainableWeights(): tf.LayerVariable[] {
    return [...this.encoder.trainableWeights, ...this.head.trainableWeights];
  }

  /** The trainable weights as `tf.Variable`s, the list `optimizer.minimize` and `tf.variableGrads` take. */
  trainableVariables(): tf.Variable[] {
    return this.trainableWeights.map((weight) => weight.read() as tf.Variable);
  }

  /** All weights, encoder then head, each model's trainable then non-trainable (BN moving mean/variance). */
  get weights(): tf.LayerVariable[] {
    return [...this.encoder.weights, ...this.head.weights];
  }

  /**
   * Snapshots (copies) of all weights' values, in the order of `weights`; the caller disposes them.
   * Unlike tfjs's `LayersModel.getWeights`, which hands out the live variables, these do not change when
   * training continues, so they can serve as a checkpoint or a "before" state.
   */
  getWeights(): tf.Tensor[] {
    return this.weights.map((weight) => weight.read().clone());
  }

  /** Set all weights from tensors in the order of `getWeights` (values are copied; the caller keeps ownership). */
  setWeights(values: tf.Tensor[]): void {
    const encoderCount = this.encoder.weights.length;
    const total = encoderCount + this.head.weights.length;
    if (!Array.isArray(values) || values.length !== total) {
      throw new Error(`SimclrModel.setWeights: expected ${total} tensors (${encoderCount} encoder + ${total - encoderCount} head), got ${Array.isArray(values) ? values.length : typeof values}`);
    }
    this.encoder.setWeights(values.slice(0, encoderCount));
    this.head.setWeights(values.slice(encoderCount));
  }

  /** Number of scalars in all weights, including BN moving statistics (as tfjs's `countParams`). */
  countParams(): number {
    return this.encoder.countParams() + this.head.countParams();
  }

  /** Number of scalars in the trainable weights only (PyTorch's `sum(p.numel() for p in parameters())`). */
  countTrainableParams(): number {
    return this.trainableWeights.reduce((sum, weight) => sum + (weight.shape as number[]).reduce((a, b) => a * b, 1), 0);
  }

  /** Free the weights of encoder and head. The model is unusable afterwards. */
  dispose(): void {
    this.encoder.dispose();
    this.head.dispose();
  }
}

/** Factory form of `new SimclrModel({encoder, head})`. */
export function createSimclrModel(parts: SimclrParts): SimclrModel {
  return new SimclrModel(parts);
}
