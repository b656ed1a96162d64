/**
 * Hue rotation through RGB <-> HSV in tensor ops, torchvision's `adjust_hue`: convert to HSV, add the
 * shift to the hue modulo 1, convert back. (Not the cheaper YIQ rotation, which only approximates it:
 * it does not keep each pixel's max and min, and red rotated by a third of a turn is not pure green.)
 *
 * The work is done on three channel planes of N*H*W values each (one 2-D transpose in, one stack out).
 * Both directions go through the hexcone parts (max, chroma = max - min, hue in sixths); a hue shift
 * keeps max and chroma, so `adjustHue` rebuilds RGB from them directly.
 */
import * as tf from '@tensorflow/tfjs';
import { checkImages, perSample } from './batch';
import { expandPerImage } from './perImage';

/** Hue, saturation, value planes, each `(N*H*W)`, in [0, 1] (hue in turns: 0 red, 1/3 green, 2/3 blue). */
export type HsvPlanes = { hue: tf.Tensor1D; saturation: tf.Tensor1D; value: tf.Tensor1D };

/** Below any positive float32 chroma or value; dividing 0 by it gives 0 (gray or black pixels). */
const TINY = 1e-30;

/** `(N, H, W, 3)` -> three `(N*H*W)` planes, one per channel (a 2-D transpose). */
export function channelPlanes(images: tf.Tensor4D): [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D] {
  return tf.tidy(() => tf.unstack(tf.transpose(tf.reshape(images, [-1, 3]))) as [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D]);
}

/** Three `(N*H*W)` planes -> `(N, H, W, 3)`, the inverse of `channelPlanes`. */
export function interleavePlanes(planes: readonly tf.Tensor1D[], shape: readonly number[]): tf.Tensor4D {
  return tf.tidy(() => tf.reshape(tf.stack(planes as tf.Tensor1D[], 1), shape as [number, number, number, number]));
}

/**
 * max, chroma = max - min and hue6 = 6 * hue in [-1, 5) of every pixel, from the R, G, B planes.
 * hue6 = (g - b) / chroma if max = r; 2 + (b - r) / chroma if max = g (and not r); 4 + (r - g) / chroma
 * otherwise: torchvision's `_rgb2hsv` written with numerators instead of rc, gc, bc. Gray pixels get 0.
 */
function hexconeParts([r, g, b]: readonly tf.Tensor1D[]) {
  return tf.tidy(() => {
    const maxc = tf.maximum(tf.maximum(r, g), b);
    const chroma = tf.sub(maxc, tf.minimum(tf.minimum(r, g), b));
    const numerator = tf.where(
      tf.equal(maxc, r),
      tf.sub(g, b),
      tf.where(tf.equal(maxc, g), tf.add(tf.sub(b, r), tf.mul(chroma, 2)), tf.add(tf.sub(r, g), tf.mul(chroma, 4))),
    );
    const hue6 = tf.div(numerator, tf.maximum(chroma, TINY));
    return { maxc, chroma, hue6 } as { maxc: tf.Tensor1D; chroma: tf.Tensor1D; hue6: tf.Tensor1D };
  });
}

/**
 * R, G, B planes from hexcone parts: channel = max - chroma * clamp(min(k, 4 - k), 0, 1), k = (n + hue6)
 * mod 6, n = 5, 3, 1 for R, G, B (the closed form of the piecewise-linear hexcone, equal to torchvision's
 * `_hsv2rgb`). hue6 may be any real: the mod wraps it.
 */
function fromHexcone(maxc: tf.Tensor1D, chroma: tf.Tensor1D, hue6: tf.Tensor1D): tf.Tensor1D[] {
  return tf.tidy(() =>
    [5, 3, 1].map((n) => {
      const k = tf.mod(tf.add(hue6, n), 6);
      const ramp = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
      return tf.sub(maxc, tf.mul(chroma, ramp)) as tf.Tensor1D;
    }),
  );
}

/**
 * RGB -> HSV planes, torchvision's `_rgb2hsv`: v = max, s = (max - min) / max, hue from the channel
 * that holds the max; gray pixels (max = min) get hue 0 and saturation 0. Input `(N, H, W, 3)`.
 */
export function rgbToHsvPlanes(images: tf.Tensor4D): HsvPlanes {
  return tf.tidy(() => {
    const { maxc, chroma, hue6 } = hexconeParts(channelPlanes(images));
    const hue = tf.mod(tf.add(tf.div(hue6, 6), 1), 1) as tf.Tensor1D;
    const saturation = tf.div(chroma, tf.maximum(maxc, TINY)) as tf.Tensor1D;
    return { hue, saturation, value: maxc };
  });
}

/** RGB -> HSV for an `(N, H, W, 3)` batch; returns `(N, H, W, 3)` with channels hue, saturation, value in [0, 1]. */
export function rgbToHsv(images: tf.Tensor4D): tf.Tensor4D {
  const { channels } = checkImages(images, 'rgbToHsv');
  if (channels !== 3) throw new Error(`rgbToHsv: expected 3 channels (RGB), got ${channels}`);
  return tf.tidy(() => {
    const { hue, saturation, value } = rgbToHsvPlanes(images);
    return interleavePlanes([hue, saturation, value], images.shape);
  });
}

/**
 * HSV -> RGB (torchvision's `_hsv2rgb`) for an `(N, H, W, 3)` batch of hue, saturation, value in [0, 1]:
 * chroma = v s, then the hexcone closed form. Returns RGB `(N, H, W, 3)` in [0, 1].
 */
export function hsvToRgb(images: tf.Tensor4D): tf.Tensor4D {
  const { channels } = checkImages(images, 'hsvToRgb');
  if (channels !== 3) throw new Error(`hsvToRgb: expected 3 channels (HSV), got ${channels}`);
  return tf.tidy(() => {
    const [hue, saturation, value] = channelPlanes(images);
    return interleavePlanes(fromHexcone(value, tf.mul(value, saturation), tf.mul(hue, 6)), images.shape);
  });
}

/**
 * torchvision `adjust_hue`: rotate every pixel's hue by its image's shift (in turns, [-0.5, 0.5]):
 * hue' = (hue + shift) mod 1, saturation and value kept. Images with shift 0 are copied exactly;
 * 1/3 maps red to green. C = 1: a copy (no hue).
 * @param images `(N, H, W, C)` float32 in [0, 1]; shifts: one number or one per image. @returns same shape.
 */
export function adjustHue(images: tf.Tensor4D, shifts: number | readonly number[]): tf.Tensor4D {
  const { count, height, width, channels } = checkImages(images, 'adjustHue');
  const list = perSample(shifts, count, 'hue shifts', 'adjustHue');
  if (list.some((s) => Math.abs(s) > 0.5)) throw new Error(`adjustHue: hue shifts must be in [-0.5, 0.5], got ${JSON.stringify(list)}`);
  if (channels === 1 || list.every((s) => s === 0)) return tf.clone(images);
  return tf.tidy(() => {
    const planes = channelPlanes(images);
    const { maxc, chroma, hue6 } = hexconeParts(planes);
    const shift6 = tf.reshape(expandPerImage(list.map((s) => 6 * s), height * width), [-1]); // (NHW)
    const rotated = fromHexcone(maxc, chroma, tf.add(hue6, shift6) as tf.Tensor1D);
    if (list.every((s) => s !== 0)) return interleavePlanes(rotated, images.shape);
    // Images with shift 0 keep their exact pixels (the HSV round trip is only exact to ~1e-7).
    const keep = tf.cast(tf.reshape(expandPerImage(list.map((s) => (s === 0 ? 1 : 0)), height * width), [-1]), 'bool');
    return interleavePlanes(rotated.map((plane, c) => tf.where(keep, planes[c], plane) as tf.Tensor1D), images.shape);
  });
}
