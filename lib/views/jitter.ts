/**
 * Random colour jitter (torchvision's `ColorJitter` inside `RandomApply(p)`), one draw per image.
 *
 * Factors: brightness, contrast, saturation ~ U[max(0, 1 - s), 1 + s] for strength s; hue shift
 * ~ U[-h, h]. Order: always brightness -> contrast -> saturation -> hue. torchvision draws a random
 * order per image (and SimCLR's TF code has a random-order variant); a fixed order keeps the batch
 * one set of tensor ops, and the distribution of views differs only slightly.
 * Grayscale input (C = 1): saturation and hue are no-ops, leaving brightness and contrast.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkProbability, checkStrength } from './batch';
import { adjustBrightness, adjustContrast, adjustSaturation } from './color';
import { adjustHue } from './hue';

/** Strengths of the colour jitter and the probability of applying it to an image. */
export interface ColorJitterOptions {
  /** Brightness factor range [max(0, 1 - b), 1 + b]; 0 disables. */
  brightness: number;
  /** Contrast factor range [max(0, 1 - c), 1 + c]; 0 disables. */
  contrast: number;
  /** Saturation factor range [max(0, 1 - s), 1 + s]; 0 disables. */
  saturation: number;
  /** Hue shift range [-h, h] in turns, h in [0, 0.5]; 0 disables. */
  hue: number;
  /** Probability that an image is jittered at all (SimCLR's RandomApply). */
  probability: number;
}

/** SimCLR's CIFAR-10 setting: colour distortion strength 0.5, i.e. jitter(0.8*0.5, 0.8*0.5, 0.8*0.5, 0.2*0.5) with p 0.8. */
export const defaultColorJitter: ColorJitterOptions = {
  brightness: 0.4, // 0.8 x strength 0.5 (Chen et al. 2020, appendix A/B.9: 0.5 is best on CIFAR-10)
  contrast: 0.4, // same
  saturation: 0.4, // same
  hue: 0.1, // 0.2 x strength 0.5
  probability: 0.8, // SimCLR applies colour jitter to 80% of views
};

/** Per-image jitter parameters. Images not jittered carry identity values (factors 1, shift 0). */
export interface ColorJitterParameters {
  applied: boolean[];
  brightness: number[];
  contrast: number[];
  saturation: number[];
  hue: number[];
}

/** Check the strengths (>= 0; hue <= 0.5) and the probability; throws naming the caller. */
export function checkColorJitterOptions(options: ColorJitterOptions, caller: string): void {
  checkStrength(options.brightness, 'brightness', caller);
  checkStrength(options.contrast, 'contrast', caller);
  checkStrength(options.saturation, 'saturation', caller);
  checkStrength(options.hue, 'hue', caller, 0.5);
  checkProbability(options.probability, 'colour jitter probability', caller);
}

/**
 * Draw the jitter of each image: applied ~ Bernoulli(p); if applied, each enabled factor from its
 * range (in the order brightness, contrast, saturation, hue). Pure function of the stream.
 */
export function sampleColorJitter(count: number, options: ColorJitterOptions, rng: Rng): ColorJitterParameters {
  checkColorJitterOptions(options, 'sampleColorJitter');
  const factor = (strength: number) => (strength > 0 ? rng.uniform(Math.max(0, 1 - strength), 1 + strength) : 1);
  const out: ColorJitterParameters = { applied: [], brightness: [], contrast: [], saturation: [], hue: [] };
  for (let i = 0; i < count; i++) {
    const applied = rng.bernoulli(options.probability);
    out.applied.push(applied);
    out.brightness.push(applied ? factor(options.brightness) : 1);
    out.contrast.push(applied ? factor(options.contrast) : 1);
    out.saturation.push(applied ? factor(options.saturation) : 1);
    out.hue.push(applied && options.hue > 0 ? rng.uniform(-options.hue, options.hue) : 0);
  }
  return out;
}

/**
 * Apply drawn jitter parameters: brightness, contrast, saturation, hue in that order, each skipped when
 * all its values are the identity. Identity values keep an image exactly, so images not jittered are unchanged.
 * @param images `(N, H, W, C)` float32 in [0, 1]. @returns the same shape, in [0, 1].
 */
export function applyColorJitter(images: tf.Tensor4D, parameters: ColorJitterParameters): tf.Tensor4D {
  const { channels } = checkImages(images, 'applyColorJitter');
  return tf.tidy(() => {
    let x = images;
    if (parameters.brightness.some((f) => f !== 1)) x = adjustBrightness(x, parameters.brightness);
    if (parameters.contrast.some((f) => f !== 1)) x = adjustContrast(x, parameters.contrast);
    if (channels === 3 && parameters.saturation.some((f) => f !== 1)) x = adjustSaturation(x, parameters.saturation);
    if (channels === 3 && parameters.hue.some((h) => h !== 0)) x = adjustHue(x, parameters.hue);
    return x === images ? tf.clone(images) : x;
  });
}

/**
 * Random colour jitter of each image with probability p: brightness, contrast, saturation, hue in that order.
 * @param images `(N, H, W, C)` float32 in [0, 1]. @returns the same shape, in [0, 1].
 */
export function colorJitter(images: tf.Tensor4D, options: Partial<ColorJitterOptions>, rng: Rng): tf.Tensor4D {
  const { count } = checkImages(images, 'colorJitter');
  return applyColorJitter(images, sampleColorJitter(count, { ...defaultColorJitter, ...options }, rng));
}
