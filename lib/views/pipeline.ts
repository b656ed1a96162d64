/**
 * A view pipeline: one plain options object describing SimCLR's augmentation chain, applied to a
 * batch with all random parameters drawn in JS from a seeded `Rng` and all pixels moved by tensor ops.
 *
 * Order (SimCLR, Chen et al. 2020, appendix A): random resized crop -> horizontal flip -> colour jitter
 * -> random grayscale -> Gaussian blur -> normalisation. The flip is folded into the crop's
 * `cropAndResize` (one op); colour stages are per-image colour matrices (batched matMul) and HSV planes.
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../rng';
import { checkImages, checkProbability, sampleFlags } from './batch';
import { checkBlurOptions, defaultGaussianBlur, gaussianBlur, GaussianBlurOptions, sampleBlurSigmas } from './blur';
import { checkCropOptions, defaultRandomResizedCrop, outputSize, RandomResizedCropOptions, resizedCrop, sampleCropBoxes } from './crop';
import { horizontalFlip } from './flip';
import { grayscale } from './grayscale';
import { applyColorJitter, checkColorJitterOptions, ColorJitterOptions, defaultColorJitter, sampleColorJitter } from './jitter';
import { checkNormalizeOptions, normalizeImages, NormalizeOptions } from './normalize';

/** A complete pipeline; every stage can be switched off (null, or probability 0). */
export interface ViewPipeline {
  /** Random resized crop; null keeps the whole image at its size. */
  crop: RandomResizedCropOptions | null;
  /** Probability of a left-right flip per image. */
  horizontalFlipProbability: number;
  /** Colour jitter strengths and probability (probability 0 switches it off). */
  colorJitter: ColorJitterOptions;
  /** Probability of turning an image to grayscale (RGB kept as 3 equal channels). */
  grayscaleProbability: number;
  /** Gaussian blur (probability 0 switches it off). */
  blur: GaussianBlurOptions;
  /** Per-channel standardisation as the last step; null leaves pixels in [0, 1]. */
  normalize: NormalizeOptions | null;
}

/** A partial pipeline: omitted fields (and omitted fields of the stage objects) take `defaultViewPipeline`'s. */
export interface ViewPipelineOptions {
  crop?: Partial<RandomResizedCropOptions> | null;
  horizontalFlipProbability?: number;
  colorJitter?: Partial<ColorJitterOptions>;
  grayscaleProbability?: number;
  blur?: Partial<GaussianBlurOptions>;
  normalize?: NormalizeOptions | null;
}

/** Defaults: SimCLR's CIFAR-10 recipe (Chen et al. 2020, appendix B.9), output at the input's size. */
export const defaultViewPipeline: ViewPipeline = {
  crop: defaultRandomResizedCrop, // scale 0.08-1, ratio 3/4-4/3: SimCLR's crop; the strongest single augmentation
  horizontalFlipProbability: 0.5, // SimCLR flips half the views
  colorJitter: defaultColorJitter, // 0.4/0.4/0.4/0.1 with p 0.8 (colour strength 0.5, best on CIFAR-10)
  grayscaleProbability: 0.2, // SimCLR's random grayscale
  blur: defaultGaussianBlur, // p 0: SimCLR drops blur on CIFAR-10
  normalize: null, // SimCLR feeds [0, 1] pixels; models here may add their own input scaling
};

/** Merge `options` over `defaultViewPipeline` (one level deep) and validate every stage once. */
export function resolveViewPipeline(options: ViewPipelineOptions = {}): ViewPipeline {
  const caller = 'resolveViewPipeline';
  const d = defaultViewPipeline;
  const pipeline: ViewPipeline = {
    crop: options.crop === null ? null : { ...d.crop!, ...(options.crop ?? {}) },
    horizontalFlipProbability: options.horizontalFlipProbability ?? d.horizontalFlipProbability,
    colorJitter: { ...d.colorJitter, ...(options.colorJitter ?? {}) },
    grayscaleProbability: options.grayscaleProbability ?? d.grayscaleProbability,
    blur: { ...d.blur, ...(options.blur ?? {}) },
    normalize: options.normalize === undefined ? d.normalize : options.normalize,
  };
  if (pipeline.crop) {
    checkCropOptions(pipeline.crop, caller);
    if (pipeline.crop.size !== undefined) outputSize(pipeline.crop.size, caller);
  }
  checkProbability(pipeline.horizontalFlipProbability, 'horizontalFlipProbability', caller);
  checkColorJitterOptions(pipeline.colorJitter, caller);
  checkProbability(pipeline.grayscaleProbability, 'grayscaleProbability', caller);
  checkBlurOptions(pipeline.blur, caller);
  return pipeline;
}

/**
 * One random view of every image. Random parameters are drawn first, in this order: crop boxes (all
 * images), flips, jitter, grayscale flags, blur sigmas; so a seed fixes the view.
 * @param images `(N, H, W, C)` float32 in [0, 1], C = 1 or 3. Not disposed.
 * @returns a new `(N, h, w, C)` tensor, (h, w) = crop.size or (H, W); in [0, 1] unless normalised.
 */
export function applyView(images: tf.Tensor4D, pipeline: ViewPipelineOptions, rng: Rng): tf.Tensor4D {
  const caller = 'applyView';
  const { count, height, width, channels } = checkImages(images, caller);
  const p = resolveViewPipeline(pipeline);
  if (p.normalize) checkNormalizeOptions(p.normalize, channels, caller);

  // Random parameters, in JS.
  const boxes = p.crop ? sampleCropBoxes(count, height, width, p.crop, rng) : null;
  const flips = sampleFlags(count, p.horizontalFlipProbability, rng);
  const jitter = sampleColorJitter(count, p.colorJitter, rng);
  const grays = sampleFlags(count, p.grayscaleProbability, rng);
  const sigmas = sampleBlurSigmas(count, p.blur, rng);

  // Pixels, as tensor ops on (N, h, w, C).
  return tf.tidy(() => {
    let x: tf.Tensor4D = images;
    if (boxes) x = resizedCrop(images, boxes, p.crop!.size ?? [height, width], flips); // flip folded into the crop
    else if (flips.some((f) => f)) x = horizontalFlip(images, flips);
    if (jitter.applied.some((a) => a)) x = applyColorJitter(x, jitter);
    if (channels === 3 && grays.some((g) => g)) x = grayscale(x, grays);
    if (p.blur.kernelSize > 1 && sigmas.some((s) => s !== null)) x = gaussianBlur(x, sigmas, p.blur.kernelSize);
    if (p.normalize) x = normalizeImages(x, p.normalize);
    return x === images ? tf.clone(images) : x;
  });
}

/**
 * Two independent views of every image (the positive pair of SimCLR): `applyView` twice on the same
 * stream, so the second view's parameters follow the first's. The pipeline is checked on every call (here,
 * in each `applyView` and in each stage's sampler: plain JS on a few numbers, no device work).
 * @returns `[view1, view2]`, each as `applyView`'s result.
 */
export function twoViews(images: tf.Tensor4D, pipeline: ViewPipelineOptions, rng: Rng): [tf.Tensor4D, tf.Tensor4D] {
  const resolved = resolveViewPipeline(pipeline);
  const first = applyView(images, resolved, rng);
  try {
    return [first, applyView(images, resolved, rng)];
  } catch (error) {
    first.dispose();
    throw error;
  }
}
