/**
 * Batch normalisation (Ioffe & Szegedy 2015) whose training step runs as one fused kernel where the backend has
 * it (wasm with the oneDNN addon: lib/kernels/nativeBatchNorm.ts), and exactly as tf.layers.batchNormalization elsewhere.
 *
 * In training, tfjs computes y = γ·(x − μ)/√(σ² + ε) + β as tf.moments + batchNorm (five passes over x forward,
 * about a dozen back, each a separate kernel call); the fused kernels take two passes each way.
 */
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from '../kernels/kernelNames';

/**
 * [y, μ, σ²] of batch normalisation in training over every axis of x but the last: μ and σ² (biased) are the
 * batch statistics per channel, y = γ·(x − μ)/√(σ² + ε) + β. Differentiable in x, γ and β through y (the
 * gradient is the closed form, in one kernel); μ and σ² are for moving averages and carry no gradient.
 * Needs the BATCH_NORM_TRAIN kernel on the active backend (see `fusedBatchNormAvailable`).
 *
 * @param x (…, C) float32, rank ≥ 2. @param gamma, beta (C,). @param epsilon > 0.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): [tf.Tensor, tf.Tensor1D, tf.Tensor1D] {
  if (!(epsilon > 0)) throw new Error(`batchNormTraining: epsilon must be > 0, got ${epsilon}`);
  const [y, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x, scale: gamma, offset: beta }, { epsilon }) as tf.Tensor[];
  return [y, mean as tf.Tensor1D, variance as tf.Tensor1D];
}

/** True when the active backend has the fused batch-norm kernels (wasm with the oneDNN addon and fast kernels registered). */
export function fusedBatchNormAvailable(): boolean {
  return tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined;
}

type BatchNormArgs = NonNullable<Parameters<typeof tf.layers.batchNormalization>[0]>;

/** The fields of tfjs's BatchNormalization layer that the fused training path reads (not in its public typings). */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma: tf.LayerVariable | null;
  beta: tf.LayerVariable | null;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
}

/** tfjs's BatchNormalization class (exported by tfjs-layers only through its factory). */
const TfjsBatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as new (args: BatchNormArgs) => tf.layers.Layer;

/**
 * tfjs's BatchNormalization (same weights, names, initialisers, config and class name, so checkpoints and
 * serialisation are unchanged) whose training call uses `batchNormTraining` when the backend has the fused kernels
 * and the channel axis is the last one; inference, and everything else, is tfjs's own code. Moving averages are
 * updated as tfjs does: m ← m − (m − batch)·(1 − momentum), with the biased batch variance.
 */
class FusedTrainingBatchNormalization extends TfjsBatchNormalization {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const training = kwargs['training'] == null ? false : Boolean(kwargs['training']);
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    const self = this as unknown as BatchNormFields;
    const axis = self.axis >= 0 ? self.axis : self.axis + input.rank;
    if (!training || input.rank < 2 || axis !== input.rank - 1 || input.dtype !== 'float32' || !self.gamma || !self.beta || !fusedBatchNormAvailable()) {
      return super.call(inputs, kwargs as never);
    }
    return tf.tidy(() => {
      const [y, mean, variance] = batchNormTraining(input, self.gamma!.read(), self.beta!.read(), self.epsilon);
      const movingAverage = (variable: tf.LayerVariable, value: tf.Tensor) =>
        tf.tidy(() => {
          const current = variable.read();
          variable.write(tf.sub(current, tf.mul(tf.sub(current, value), 1 - self.momentum)));
        });
      movingAverage(self.movingMean, mean);
      movingAverage(self.movingVariance, variance);
      return y;
    });
  }
}

/**
 * A BatchNormalization layer (tf.layers.batchNormalization's arguments and defaults) that trains with the fused
 * kernels where available; see FusedTrainingBatchNormalization.
 */
export function batchNormalization(args: BatchNormArgs = {}): tf.layers.Layer {
  return new FusedTrainingBatchNormalization(args);
}
