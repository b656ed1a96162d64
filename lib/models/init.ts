/**
 * Weight initialisation in PyTorch's conventions, seeded through `Rng` so that a model is reproducible.
 *
 * Rules, per layer class (He et al. 2015, "Delving Deep into Rectifiers", arXiv 1502.01852):
 * - Conv2D kernel `(kh, kw, inChannels, outChannels)`: He (Kaiming) normal, **fan_out** mode, ReLU gain √2:
 *   w ~ N(0, 2 / fan_out), fan_out = kh·kw·outChannels. This is torchvision's ResNet init
 *   (`kaiming_normal_(mode="fan_out", nonlinearity="relu")`). Untruncated on purpose: tfjs's own
 *   `heNormal`/`varianceScaling` draw a normal truncated at 2σ without rescaling, so their std is ≈ 0.88 of
 *   the nominal one.
 * - Conv2D bias, Dense kernel `(inputDim, outputDim)` and Dense bias: U(−1/√fan_in, 1/√fan_in), which is
 *   torch.nn's default for Linear (`kaiming_uniform_(a=√5)` gives exactly that bound) and for biases.
 * - BatchNormalization: γ = 1, β = 0, moving mean 0, moving variance 1.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkSeed } from './validation';
import { withDefaults } from '../options';

/** Options for `initializeWeights`. */
export interface InitializeOptions {
  /** Seed of the `Rng` that hands one tfjs seed to each random tensor, in layer order. Default 42 (the seed article's seed). */
  seed?: number;
}

const DEFAULTS: Required<InitializeOptions> = { seed: 42 };

/** Standard deviation of He normal in fan_out mode for a Conv2D kernel `(kh, kw, in, out)`: √(2 / (kh·kw·out)). */
export function heNormalFanOutStd(kernelShape: readonly number[]): number {
  if (kernelShape.length !== 4) throw new Error(`heNormalFanOutStd expects a conv kernel shape (kh, kw, in, out), got [${kernelShape}]`);
  const [kh, kw, , out] = kernelShape;
  return Math.sqrt(2 / (kh * kw * out));
}

/** Bound b of torch.nn's default U(−b, b) for a kernel whose fan_in is `fanIn`: b = 1/√fanIn. */
export function torchDefaultBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}

type Variable = tf.LayerVariable | null | undefined;
/** The weight fields tfjs's Conv2D, Dense and BatchNormalization layers keep (not in their public typings). */
interface WeightFields {
  kernel?: Variable;
  bias?: Variable;
  gamma?: Variable;
  beta?: Variable;
  movingMean?: Variable;
  movingVariance?: Variable;
}

/** Every non-container layer below `target`, in order (models nested in models are walked into). */
function leafLayers(target: tf.layers.Layer): tf.layers.Layer[] {
  const nested = (target as unknown as { layers?: tf.layers.Layer[] }).layers;
  if (!Array.isArray(nested)) return [target];
  return nested.flatMap(leafLayers);
}

/** Overwrite `variable` (if present) with `make(shape)`; the variable keeps its own reference, tidy frees the temporary. */
function write(variable: Variable, make: (shape: number[]) => tf.Tensor): void {
  if (variable == null) return;
  const shape = variable.shape as number[];
  tf.tidy(() => {
    variable.write(make(shape));
  });
}

function initializeLayer(layer: tf.layers.Layer, rng: Rng): void {
  const fields = layer as unknown as WeightFields;
  const className = layer.getClassName();
  if (className === 'Conv2D' && fields.kernel) {
    const [kh, kw, inChannels] = fields.kernel.shape as number[];
    write(fields.kernel, (shape) => tf.randomNormal(shape, 0, heNormalFanOutStd(shape), 'float32', rng.seed()));
    const bound = torchDefaultBound(kh * kw * inChannels);
    write(fields.bias, (shape) => tf.randomUniform(shape, -bound, bound, 'float32', rng.seed()));
  } else if (className === 'Dense' && fields.kernel) {
    const bound = torchDefaultBound(fields.kernel.shape[0] as number);
    write(fields.kernel, (shape) => tf.randomUniform(shape, -bound, bound, 'float32', rng.seed()));
    write(fields.bias, (shape) => tf.randomUniform(shape, -bound, bound, 'float32', rng.seed()));
  } else if (className === 'BatchNormalization') {
    write(fields.gamma, (shape) => tf.ones(shape));
    write(fields.beta, (shape) => tf.zeros(shape));
    write(fields.movingMean, (shape) => tf.zeros(shape));
    write(fields.movingVariance, (shape) => tf.ones(shape));
  } else if (layer.weights.length > 0) {
    throw new Error(`initializeWeights has no rule for layer "${layer.name}" of class ${className}, which has ${layer.weights.length} weights`);
  }
}

/**
 * Re-initialise, in place, every weight of a built model or layer with the PyTorch-style rules above.
 * Deterministic: the same seed and architecture give the same weights on any backend.
 * Throws if a layer with weights is of a class without a rule (only Conv2D, Dense, BatchNormalization have one).
 */
export function initializeWeights(target: tf.LayersModel | tf.layers.Layer, options: InitializeOptions = {}): void {
  const { seed } = withDefaults(DEFAULTS, options);
  const rng = new Rng(checkSeed('initializeWeights: seed', seed));
  for (const layer of leafLayers(target)) initializeLayer(layer, rng);
}
