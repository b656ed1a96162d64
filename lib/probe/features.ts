/**
 * Frozen-encoder feature extraction for evaluation: run an encoder over a uint8 image set in batches and
 * collect its outputs in one Float32Array, never holding more than one batch on the device.
 */
import * as tf from '@tensorflow/tfjs';
import { SimclrModel } from '../models/simclrModel';
import { FeatureMatrix } from './validate';
import { checkPositiveInteger, withDefaults } from '../options';

/**
 * An encoder in inference mode: (B, H, W, C) float32 in [0, 1] (after the optional `normalize`) → (B, D).
 * The function decides the mode; for a SimclrModel pass `(x) => model.embed(x, {training: false}).h`
 * (batch norm uses its moving statistics, dropout is off). Every tensor it creates besides the result is
 * freed by the tf.tidy that wraps each call.
 */
export type EmbedFunction = (images: tf.Tensor4D) => tf.Tensor2D;

/** The embedding function of a SimclrModel: h (encoder) or z (head after encoder), inference mode. */
export function embedFunction(model: SimclrModel, features: 'h' | 'z'): (x: tf.Tensor4D) => tf.Tensor2D {
  return features === 'h' ? (x) => model.representation(x) : (x) => tf.tidy(() => model.embed(x, { training: false }).z);
}

/** Images as stored by lib/data: uint8 0..255, NHWC, `shape = [n, height, width, channels]`. */
export interface ImageArray {
  images: Uint8Array;
  shape: [number, number, number, number];
}

export interface ExtractFeaturesOptions {
  /** Images per forward pass. 256: large enough to keep matmuls efficient, small enough that a ResNet-18
   * activation stack at 32 px stays well under 1 GB. Does not change the results (inference mode). */
  batchSize?: number;
  /** Applied to each (B, H, W, C) float32 batch in [0, 1] before `embed`, e.g. per-channel mean/std
   * normalisation the encoder was trained with. Default: identity. */
  normalize?: (images: tf.Tensor4D) => tf.Tensor4D;
}

const DEFAULTS = { batchSize: 256 };

/**
 * Encoder features of every image: h_i = embed(normalize(x_i / 255)), computed batch by batch.
 *
 * Each batch is built from the uint8 pixels (float32, divided by 255, NHWC), encoded inside tf.tidy, read
 * back to the CPU and disposed before the next one, so device memory is bounded by one batch whatever n.
 * No gradient is taken and no variable is written, so the encoder's weights cannot change. A tf.LayersModel
 * is called through `predict`, which runs in inference mode; it must have one output of shape (B, D).
 *
 * @param embed encoder function or single-output tf.LayersModel, (B, H, W, C) → (B, D).
 * @param data uint8 images, `shape = [n, height, width, channels]`, n ≥ 1.
 * @returns `features` (n × D, row-major float32), `dim` = D, `count` = n.
 */
export async function extractFeatures(
  embed: EmbedFunction | tf.LayersModel,
  data: ImageArray,
  options: ExtractFeaturesOptions = {},
): Promise<FeatureMatrix> {
  const { batchSize, normalize } = withDefaults(DEFAULTS, options);
  checkPositiveInteger('extractFeatures: batchSize', batchSize);
  const [count, height, width, channels] = checkImages(data);
  const encode = toEmbedFunction(embed);
  const imageSize = height * width * channels;
  let features: Float32Array | null = null;
  let dim = 0;
  for (let start = 0; start < count; start += batchSize) {
    const size = Math.min(batchSize, count - start);
    const output = tf.tidy(() => {
      const pixels = data.images.subarray(start * imageSize, (start + size) * imageSize);
      const batch = tf.div(tf.tensor4d(Float32Array.from(pixels), [size, height, width, channels]), 255) as tf.Tensor4D;
      return encode(normalize ? normalize(batch) : batch);
    });
    let values: Float32Array;
    try {
      if (output.rank !== 2 || output.shape[0] !== size) {
        throw new Error(`extractFeatures: embed must return (batch, D) = (${size}, D), got shape [${output.shape.join(', ')}]`);
      }
      if (features === null) {
        dim = output.shape[1];
        features = new Float32Array(count * dim);
      } else if (output.shape[1] !== dim) {
        throw new Error(`extractFeatures: embed returned D = ${output.shape[1]} for images ${start}.., but D = ${dim} before`);
      }
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
    features.set(values, start * dim);
  }
  return { features: features as Float32Array, dim, count };
}

/** Wrap a LayersModel as an EmbedFunction (predict = inference mode); pass functions through. */
function toEmbedFunction(embed: EmbedFunction | tf.LayersModel): EmbedFunction {
  if (typeof embed === 'function') return embed;
  if (embed != null && typeof (embed as tf.LayersModel).predict === 'function') {
    const model = embed as tf.LayersModel;
    return (images) => {
      const output = model.predict(images);
      if (Array.isArray(output)) throw new Error(`extractFeatures: the model has ${output.length} outputs; expected one (B, D) output`);
      return output as tf.Tensor2D;
    };
  }
  throw new Error(`extractFeatures: embed must be a function (images) => features or a tf.LayersModel, got ${typeof embed}`);
}

/** Check `data` and return its shape; throws on a wrong buffer type, size mismatch or an empty set. */
function checkImages(data: ImageArray): [number, number, number, number] {
  if (data == null || !(data.images instanceof Uint8Array)) {
    throw new Error(`extractFeatures: images must be a Uint8Array of pixels 0..255, got ${data == null ? data : data.images?.constructor?.name}`);
  }
  const shape = data.shape;
  if (!Array.isArray(shape) || shape.length !== 4 || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new Error(`extractFeatures: shape must be [n, height, width, channels], got ${JSON.stringify(shape)}`);
  }
  const [n, height, width, channels] = shape;
  if (n === 0) throw new Error('extractFeatures: the image set is empty (n = 0)');
  if (data.images.length !== n * height * width * channels) {
    throw new Error(`extractFeatures: images has ${data.images.length} bytes, shape ${shape.join('x')} needs ${n * height * width * channels}`);
  }
  return [n, height, width, channels];
}
