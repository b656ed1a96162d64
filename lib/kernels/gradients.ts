/**
 * Cheaper gradients for the batch-norm training path. tfjs's own gradients are correct but make many
 * full-size passes; these compute the same values with fewer. Gradients are global in tfjs (not per
 * backend), so these apply to every backend while registered; the values agree with tfjs's to float rounding.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * FusedBatchNorm, y = (x − μ)·r·γ + β with r = 1/√(σ² + ε), differentiated with respect to all five inputs
 * (Ioffe & Szegedy 2015, arXiv 1502.03167, §3), with S = Σ dy and T = Σ dy·(x − μ) over the broadcast axes:
 *
 *   ∂x = dy·γr,   ∂μ = −γr·S,   ∂σ² = −½·γ·r³·T,   ∂γ = r·T,   ∂β = S
 *
 * Five full-size passes (x − μ, dy·(x − μ), its sum, Σ dy, dy·γr) instead of tfjs's fourteen (which also
 * tiles r to the input's size). Shapes: x, dy (N, H, W, C) or any rank; μ, σ², γ, β (C,) or x's rank.
 */
export const fusedBatchNormGradConfig: tf.GradConfig = {
  kernelName: 'FusedBatchNorm',
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const gradient = dy as tf.Tensor;
    const [x, mean, variance, scale] = saved;
    const { varianceEpsilon } = attrs as unknown as { varianceEpsilon: number };
    const scaleValue = scale ?? tf.scalar(1);
    const axes = tf.broadcast_util.getReductionAxes(mean.shape, x.shape);
    const reduce = (t: tf.Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean.shape);
    const r = tf.rsqrt(tf.add(variance, tf.scalar(varianceEpsilon))); // mean.shape
    const scaledR = tf.mul(scaleValue, r);
    const sumDy = reduce(gradient); // S
    const sumDyCentered = reduce(tf.mul(gradient, tf.sub(x, mean))); // T
    return {
      x: () => tf.reshape(tf.mul(gradient, scaledR), x.shape),
      mean: () => tf.reshape(tf.neg(tf.mul(scaledR, sumDy)), mean.shape),
      variance: () => tf.reshape(tf.mul(tf.mul(tf.mul(scaleValue, tf.pow(r, 3)), -0.5), sumDyCentered), mean.shape),
      scale: () => tf.reshape(tf.mul(r, sumDyCentered), mean.shape),
      offset: () => tf.reshape(sumDy, mean.shape),
    };
  },
};

/**
 * Mean over `axis`: ∂x = broadcast(dy / n) with n the number of averaged elements. One broadcast (Tile)
 * pass instead of tfjs's ones(x.shape) · dy / n (a fill and two full-size passes).
 */
export const meanGradConfig: tf.GradConfig = {
  kernelName: 'Mean',
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { axis } = attrs as unknown as { axis: number | number[] };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const count = axes.reduce((n, a) => n * x.shape[a], 1);
    const keptShape = x.shape.map((size, i) => (axes.includes(i) ? 1 : size));
    return {
      x: () => tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, keptShape), count), x.shape),
    };
  },
};

/** The gradient replacements, in registration order. */
export const GRADIENT_CONFIGS: tf.GradConfig[] = [fusedBatchNormGradConfig, meanGradConfig];
