/**
 * Brightness, contrast and saturation with torchvision's formulas (`torchvision.transforms.functional`
 * on float tensors), one factor per image. Each result is clamped to [0, 1], as torchvision's `_blend`.
 * The `...Planar` versions work on the `(C, H, W, N)` layout of ./planar.ts and take factors as an `(N)` tensor.
 */
import * as tf from '@tensorflow/tfjs';
import { checkImages, perSample } from './batch';
import { lumaPlanar } from './grayscale';
import { fromPlanar, toPlanar } from './planar';

/** out = clamp(x * f, 0, 1) per image (blend with black). `(C, H, W, N)`, factors `(N)`. */
export function brightnessPlanar(planes: tf.Tensor4D, factors: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => tf.clipByValue(tf.mul(planes, factors), 0, 1) as tf.Tensor4D);
}

/**
 * out = clamp(f * x + (1 - f) * m, 0, 1) per image, where m is the mean luma of that image
 * (the mean of its grayscale version; for C = 1 the mean pixel). `(C, H, W, N)`, factors `(N)`.
 */
export function contrastPlanar(planes: tf.Tensor4D, factors: tf.Tensor1D): tf.Tensor4D {
  return tf.tidy(() => {
    const [, height, width, count] = planes.shape;
    const luma = tf.reshape(lumaPlanar(planes), [height * width, count]); // (HW, N)
    // Mean over pixels as a (1, HW) x (HW, N) product: a reduction over a leading axis would transpose first.
    const meanLuma = tf.reshape(tf.matMul(tf.fill([1, height * width], 1 / (height * width)), luma), [count]); // (N)
    const offset = tf.mul(meanLuma, tf.sub(1, factors)); // (N): (1 - f) * m
    return tf.clipByValue(tf.add(tf.mul(planes, factors), offset), 0, 1) as tf.Tensor4D;
  });
}

/**
 * out = clamp(f * x + (1 - f) * luma(x), 0, 1) per pixel (blend with the grayscale image): f = 0 gives
 * grayscale, f = 1 the input, f > 1 more saturated. C = 1: a copy of the input (torchvision returns it as is).
 * `(C, H, W, N)`, factors `(N)`.
 */
export function saturationPlanar(planes: tf.Tensor4D, factors: tf.Tensor1D): tf.Tensor4D {
  if (planes.shape[0] === 1) return tf.clone(planes);
  return tf.tidy(() => {
    const grayPart = tf.mul(lumaPlanar(planes), tf.sub(1, factors)); // (H, W, N)
    return tf.clipByValue(tf.add(tf.mul(planes, factors), grayPart), 0, 1) as tf.Tensor4D;
  });
}

/** Shared NHWC wrapper: check, one factor per image, planar round trip. */
function perImage(
  images: tf.Tensor4D,
  factors: number | readonly number[],
  caller: string,
  planar: (planes: tf.Tensor4D, factors: tf.Tensor1D) => tf.Tensor4D,
): tf.Tensor4D {
  const { count } = checkImages(images, caller);
  const list = perSample(factors, count, 'factors', caller);
  if (list.some((f) => f < 0)) throw new Error(`${caller}: factors must be >= 0, got ${JSON.stringify(list)}`);
  return tf.tidy(() => fromPlanar(planar(toPlanar(images), tf.tensor1d(list, 'float32'))));
}

/**
 * torchvision `adjust_brightness`: clamp(x * f, 0, 1). f = 1 keeps the image, 0 gives black.
 * @param images `(N, H, W, C)` float32 in [0, 1]; factors: one number >= 0, or one per image. @returns same shape.
 */
export function adjustBrightness(images: tf.Tensor4D, factors: number | readonly number[]): tf.Tensor4D {
  return perImage(images, factors, 'adjustBrightness', brightnessPlanar);
}

/**
 * torchvision `adjust_contrast`: clamp(f x + (1 - f) mean(luma(x)), 0, 1), the mean over the whole image.
 * f = 1 keeps the image, 0 gives a flat gray at the mean luma. Shapes as `adjustBrightness`.
 */
export function adjustContrast(images: tf.Tensor4D, factors: number | readonly number[]): tf.Tensor4D {
  return perImage(images, factors, 'adjustContrast', contrastPlanar);
}

/**
 * torchvision `adjust_saturation`: clamp(f x + (1 - f) luma(x), 0, 1) per pixel; a no-op for C = 1.
 * Shapes as `adjustBrightness`.
 */
export function adjustSaturation(images: tf.Tensor4D, factors: number | readonly number[]): tf.Tensor4D {
  return perImage(images, factors, 'adjustSaturation', saturationPlanar);
}
