/**
 * Measuring a model on held-out positive pairs: embed two fixed random views of some images, then read the
 * contrastive losses and Wang & Isola's alignment and uniformity off the same embeddings. The views come
 * from a fresh `Rng(seed)`, so every model compared with the same seed sees exactly the same pairs.
 */
import * as tf from '@tensorflow/tfjs';
import { ImageDataset } from '../data/dataset';
import { imagesToTensor } from '../data/batches';
import { contrastiveAccuracy } from '../losses/accuracy';
import { alignment, uniformity } from '../losses/alignUniform';
import { infoNCE } from '../losses/infoNCE';
import { ntXent } from '../losses/ntXent';
import { SimclrModel } from '../models/simclrModel';
import { Rng } from '../rng';
import { twoViews, ViewPipelineOptions } from '../views/pipeline';

/** Options for `embedViewPairs`. */
export interface ViewPairOptions {
  /** The augmentation that makes the two views (usually the training config's `views`). */
  views: ViewPipelineOptions;
  /** Seed of the view stream (default 7: any fixed value; the same seed gives the same pairs for every model). */
  seed?: number;
  /** Use the first `count` images (default: all of them). */
  count?: number;
  /** Embed to the projection z (default, what the loss sees) or the representation h. */
  features?: 'z' | 'h';
  /** Images per forward pass (default 256: bounded memory; inference mode, so it does not change the result). */
  batchSize?: number;
}

/** Two views' embeddings; row i of z1 and row i of z2 come from the same image. The caller disposes both. */
export interface ViewPairs {
  z1: tf.Tensor2D;
  z2: tf.Tensor2D;
}

/**
 * Embed two random views of each of the first `count` images of `dataset` with `model` in inference mode
 * (batch norm uses its moving statistics). Views are drawn batch by batch from one `Rng(seed)`.
 * @returns z1, z2: (count, D) float32, D = projection (or representation) size.
 */
export function embedViewPairs(model: SimclrModel, dataset: ImageDataset, options: ViewPairOptions): ViewPairs {
  const { views, seed = 7, count = dataset.shape[0], features = 'z', batchSize = 256 } = options;
  if (!Number.isInteger(count) || count < 2 || count > dataset.shape[0]) {
    throw new Error(`embedViewPairs: count must be an integer in [2, ${dataset.shape[0]}] (the dataset's size), got ${count}`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`embedViewPairs: batchSize must be a positive integer, got ${batchSize}`);
  if (features !== 'z' && features !== 'h') throw new Error(`embedViewPairs: features must be 'z' or 'h', got ${JSON.stringify(features)}`);
  const rng = new Rng(seed);
  const parts1: tf.Tensor2D[] = [];
  const parts2: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < count; start += batchSize) {
      const indices = Int32Array.from({ length: Math.min(batchSize, count - start) }, (_, k) => start + k);
      const [e1, e2] = tf.tidy(() => {
        const images = imagesToTensor(dataset, indices); // (B, H, W, C) in [0, 1]
        const [view1, view2] = twoViews(images, views, rng);
        const embed = (x: tf.Tensor4D) => (features === 'z' ? model.embed(x, { training: false }).z : model.representation(x));
        return [embed(view1), embed(view2)]; // (B, D) each
      });
      parts1.push(e1);
      parts2.push(e2);
    }
    return tf.tidy(() => ({ z1: tf.concat(parts1, 0) as tf.Tensor2D, z2: tf.concat(parts2, 0) as tf.Tensor2D }));
  } finally {
    tf.dispose([...parts1, ...parts2]);
  }
}

/** Every contrastive measurement of one set of pairs (numbers, read back from the device). */
export interface PairMetrics {
  /** Pairs N. */
  count: number;
  temperature: number;
  /** The seed article's symmetric cross-view InfoNCE at `temperature` (N candidates per anchor), nats. */
  infoNCE: number;
  /** SimCLR's NT-Xent at `temperature` (2N − 1 candidates per anchor), nats. */
  ntXent: number;
  /** Mean squared distance between the normalised views of an image (Wang & Isola's ℒ_align, α = 2): 0 best, 4 worst. */
  alignment: number;
  /** Wang & Isola's ℒ_uniform (t = 2), the mean of both views' values: 0 when collapsed, lower is more spread. */
  uniformity: number;
  /** Fraction of the 2N anchors whose positive is the most similar of their 2N − 1 candidates (chance 1/(2N − 1)). */
  contrastiveAccuracy: number;
  /** The same over the N candidates of the other view (the seed's task; chance 1/N). */
  crossViewAccuracy: number;
}

/**
 * Losses, alignment, uniformity and contrastive accuracy of the same pairs, in one device read.
 * @param z1 (N, D) view-1 embeddings.  @param z2 (N, D) view-2 embeddings, row i pairs with z1 row i.
 * @param options.temperature τ of both losses (default 0.5, the seed's and SimCLR's CIFAR value).
 */
export async function pairMetrics(z1: tf.Tensor2D, z2: tf.Tensor2D, options: { temperature?: number } = {}): Promise<PairMetrics> {
  const { temperature = 0.5 } = options;
  const values = tf.tidy(() =>
    tf.stack([
      infoNCE(z1, z2, { temperature }),
      ntXent(z1, z2, { temperature }),
      alignment(z1, z2),
      tf.div(tf.add(uniformity(z1), uniformity(z2)), 2),
      contrastiveAccuracy(z1, z2, { scope: 'ntxent' }),
      contrastiveAccuracy(z1, z2, { scope: 'crossView' }),
    ]),
  );
  const read = await values.data();
  values.dispose();
  return {
    count: z1.shape[0], temperature,
    infoNCE: read[0], ntXent: read[1], alignment: read[2], uniformity: read[3], contrastiveAccuracy: read[4], crossViewAccuracy: read[5],
  };
}

/**
 * `embedViewPairs` then `pairMetrics`, freeing the embeddings: a model's contrastive scores on held-out pairs.
 * @param temperature τ for the losses (default 0.5).
 */
export async function heldOutPairMetrics(model: SimclrModel, dataset: ImageDataset, options: ViewPairOptions & { temperature?: number }): Promise<PairMetrics> {
  const { temperature, ...pairOptions } = options;
  const { z1, z2 } = embedViewPairs(model, dataset, pairOptions);
  try {
    return await pairMetrics(z1, z2, { temperature });
  } finally {
    tf.dispose([z1, z2]);
  }
}
