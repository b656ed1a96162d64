/**
 * Reference values of the contrastive losses at batch size N, to read a training curve against: what a
 * collapsed encoder scores, what random embeddings score, and the best any encoder can score.
 */
import * as tf from '@tensorflow/tfjs';
import { infoNCE } from '../losses/infoNCE';
import { ntXent } from '../losses/ntXent';
import { Rng } from '../rng';
import { checkPositiveInteger } from '../options';

/** Which loss: the seed article's symmetric cross-view InfoNCE, or SimCLR's NT-Xent. */
export type LandmarkLoss = 'infoNCE' | 'ntXent';

function checkBatch(n: number, temperature: number, caller: string): void {
  if (!Number.isInteger(n) || n < 2) throw new Error(`${caller}: the batch size n must be an integer >= 2 (each anchor needs a negative), got ${n}`);
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`${caller}: temperature must be a finite number > 0, got ${temperature}`);
}

/**
 * The loss when the two views of every image coincide and the N images sit at the vertices of a regular
 * simplex (pairwise cosine c = −1/(N−1), the most spread N unit vectors can be), the minimum of both losses
 * over unit embeddings when D ≥ N − 1 (cf. Graf et al. 2021, arXiv 2106.09356; Wang & Isola 2020):
 *
 *   infoNCE: log(1 + (N−1)·e^{(c−1)/τ})          (N − 1 negatives per anchor)
 *   ntXent:  log(1 + 2(N−1)·e^{(c−1)/τ})         (2N − 2 negatives: both views of the others)
 *
 * It is far above 0 at τ = 0.5 (a floor of 2.9 nats for infoNCE at N = 128): the loss cannot reach 0 unless τ is small.
 * @returns nats.
 */
export function simplexLoss(n: number, temperature: number, loss: LandmarkLoss = 'infoNCE'): number {
  checkBatch(n, temperature, 'simplexLoss');
  const cosine = -1 / (n - 1);
  const negatives = loss === 'ntXent' ? 2 * (n - 1) : n - 1;
  return Math.log1p(negatives * Math.exp((cosine - 1) / temperature));
}

/** One row of landmarks for batch size N. */
export interface LossLandmarks {
  n: number;
  temperature: number;
  /** log N: the infoNCE loss of a collapsed encoder (all embeddings equal, every candidate equally likely). */
  logN: number;
  /** log(2N − 1): the NT-Xent loss of a collapsed encoder. */
  log2NMinus1: number;
  /** Measured on all-equal embeddings (should equal logN and log2NMinus1). */
  collapsed: Record<LandmarkLoss, number>;
  /** Measured on independent random Gaussian embeddings for the two views (an encoder that ignores the image). */
  random: Record<LandmarkLoss, number>;
  /** Measured when both views share one random embedding (perfect alignment, no organisation). */
  alignedRandom: Record<LandmarkLoss, number>;
  /** `simplexLoss`: the best possible value. */
  simplex: Record<LandmarkLoss, number>;
}

/**
 * Loss landmarks at batch size `n` and temperature τ, measured with the library's losses on (n, dim) embeddings
 * drawn from `Rng(seed)` (standard normal entries), plus the closed-form collapse and simplex values.
 * @param options.dim embedding size D (default 64, the CPU preset's projection size).
 */
export function lossLandmarks(n: number, options: { temperature?: number; dim?: number; seed?: number } = {}): LossLandmarks {
  const { temperature = 0.5, dim = 64, seed = 0 } = options;
  checkBatch(n, temperature, 'lossLandmarks');
  checkPositiveInteger('lossLandmarks: dim', dim);
  const rng = new Rng(seed);
  const gaussian = () => tf.tensor2d(Float32Array.from({ length: n * dim }, () => rng.normal()), [n, dim]);
  const both = (z1: tf.Tensor2D, z2: tf.Tensor2D): Record<LandmarkLoss, number> => ({
    infoNCE: infoNCE(z1, z2, { temperature }).dataSync()[0],
    ntXent: ntXent(z1, z2, { temperature }).dataSync()[0],
  });
  return tf.tidy(() => {
    const ones = tf.ones([n, dim]) as tf.Tensor2D;
    const shared = gaussian();
    return {
      n,
      temperature,
      logN: Math.log(n),
      log2NMinus1: Math.log(2 * n - 1),
      collapsed: both(ones, ones),
      random: both(gaussian(), gaussian()),
      alignedRandom: both(shared, shared),
      simplex: { infoNCE: simplexLoss(n, temperature, 'infoNCE'), ntXent: simplexLoss(n, temperature, 'ntXent') },
    };
  });
}
