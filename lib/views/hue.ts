/**
 * Hue rotation through RGB <-> HSV in tensor ops, torchvision's `adjust_hue`: convert to HSV, add the
 * shift to the hue modulo 1, convert back. (Not the cheaper YIQ rotation, which only approximates it.)
 *
 * Both directions go through the hexcone parts (max, chroma = max - min, hue in sixths). A hue shift
 * keeps max and chroma, so `huePlanar` rebuilds RGB from them directly. Planar functions use the
 * `(C, H, W, N)` layout of ./planar.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { checkImages, perSample } from './batch';
import { fromPlanar, toPlanar } from './planar';

/** Hue, saturation, value planes, each `(H, W, N)`, all in [0, 1] (hue in turns: 0 red, 1/3 green, 2/3 blue). */
export type HsvPlanes = {
  hue: tf.Tensor3D;
  saturation: tf.Tensor3D;
  value: tf.Tensor3D;
};

/** Below any positive float32 chroma or value; dividing 0 by it gives 0 (gray or black pixels). */
const TINY = 1e-30;

/**
 * max, chroma = max - min and hue6 = 6 * hue in [-1, 5) of every pixel, `(H, W, N)` each, from `(3, H, W, N)`.
 * hue6 = (g - b) / chroma if max = r; 2 + (b - r) / chroma if max = g (and not r); 4 + (r - g) / chroma
 * otherwise: torchvision's `_rgb2hsv` written with numerators instead of rc, gc, bc. Gray pixels get 0.
 */
function hexconeParts(planes: tf.Tensor4D): { maxc: tf.Tensor3D; chroma: tf.Tensor3D; hue6: tf.Tensor3D } {
  return tf.tidy(() => {
    const [r, g, b] = tf.unstack(planes, 0) as tf.Tensor3D[];
    const maxc = tf.maximum(tf.maximum(r, g), b);
    const chroma = tf.sub(maxc, tf.minimum(tf.minimum(r, g), b));
    const numerator = tf.where(
      tf.equal(maxc, r),
      tf.sub(g, b),
      tf.where(tf.equal(maxc, g), tf.add(tf.sub(b, r), tf.mul(chroma, 2)), tf.add(tf.sub(r, g), tf.mul(chroma, 4))),
    );
    const hue6 = tf.div(numerator, tf.maximum(chroma, TINY));
    return { maxc, chroma, hue6 } as { maxc: tf.Tensor3D; chroma: tf.Tensor3D; hue6: tf.Tensor3D };
  });
}

/**
 * RGB from hexcone parts: channel = max - chroma * clamp(min(k, 4 - k), 0, 1), k = (n + hue6) mod 6,
 * n = 5, 3, 1 for R, G, B (the closed form of the piecewise-linear hexcone, equal to torchvision's `_hsv2rgb`).
 * @returns `(3, H, W, N)`.
 */
function fromHexcone(maxc: tf.Tensor3D, chroma: tf.Tensor3D, hue6: tf.Tensor): tf.Tensor4D {
  return tf.tidy(() => {
    const channel = (n: number) => {
      const k = tf.mod(tf.add(hue6, n), 6);
      const ramp = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
      return tf.sub(maxc, tf.mul(chroma, ramp));
    };
    return tf.stack([channel(5), channel(3), channel(1)], 0) as tf.Tensor4D;
  });
}

/**
 * RGB -> HSV as torchvision's `_rgb2hsv`: v = max, s = (max - min) / max, hue from the channel that
 * holds the max; gray pixels (max = min) get hue 0 and saturation 0. Input `(3, H, W, N)`.
 */
export function rgbToHsvPlanar(planes: tf.Tensor4D): HsvPlanes {
  return tf.tidy(() => {
    const { maxc, chroma, hue6 } = hexconeParts(planes);
    const hue = tf.mod(tf.add(tf.div(hue6, 6), 1), 1);
    const saturation = tf.div(chroma, tf.maximum(maxc, TINY));
    return { hue, saturation, value: maxc } as HsvPlanes;
  });
}

/** HSV -> RGB (torchvision's `_hsv2rgb`): chroma = v s, then `fromHexcone`. @returns `(3, H, W, N)` in [0, 1]. */
export function hsvToRgbPlanar(hsv: HsvPlanes): tf.Tensor4D {
  return tf.tidy(() => fromHexcone(hsv.value, tf.mul(hsv.value, hsv.saturation), tf.mul(hsv.hue, 6)));
}

/**
 * Rotate the hue of each image by `shifts[n]` turns: hue' = (hue + shift) mod 1, value and saturation
 * kept. C = 1: a copy (no hue). `(C, H, W, N)`, shifts `(N)`, each in [-0.5, 0.5].
 */
export function huePlanar(planes: tf.Tensor4D, shifts: tf.Tensor1D): tf.Tensor4D {
  if (planes.shape[0] === 1) return tf.clone(planes);
  return tf.tidy(() => {
    const { maxc, chroma, hue6 } = hexconeParts(planes);
    return fromHexcone(maxc, chroma, tf.add(hue6, tf.mul(shifts, 6))); // mod 6 inside wraps the hue
  });
}

/**
 * torchvision `adjust_hue`: shift every pixel's hue by the image's shift (in turns, [-0.5, 0.5]).
 * Shift 0 keeps the image (up to float rounding, ~1e-7); 1/3 maps red to green.
 * @param images `(N, H, W, C)` float32 in [0, 1]; shifts: one number or one per image. @returns same shape.
 */
export function adjustHue(images: tf.Tensor4D, shifts: number | readonly number[]): tf.Tensor4D {
  const { count } = checkImages(images, 'adjustHue');
  const list = perSample(shifts, count, 'hue shifts', 'adjustHue');
  if (list.some((s) => Math.abs(s) > 0.5)) throw new Error(`adjustHue: hue shifts must be in [-0.5, 0.5], got ${JSON.stringify(list)}`);
  return tf.tidy(() => fromPlanar(huePlanar(toPlanar(images), tf.tensor1d(list, 'float32'))));
}

/** RGB -> HSV for an `(N, H, W, 3)` batch; returns `(N, H, W, 3)` with channels hue, saturation, value in [0, 1]. */
export function rgbToHsv(images: tf.Tensor4D): tf.Tensor4D {
  const { channels } = checkImages(images, 'rgbToHsv');
  if (channels !== 3) throw new Error(`rgbToHsv: expected 3 channels (RGB), got ${channels}`);
  return tf.tidy(() => {
    const hsv = rgbToHsvPlanar(toPlanar(images));
    return fromPlanar(tf.stack([hsv.hue, hsv.saturation, hsv.value], 0) as tf.Tensor4D);
  });
}

/** HSV -> RGB for an `(N, H, W, 3)` batch of hue, saturation, value in [0, 1]; returns RGB `(N, H, W, 3)`. */
export function hsvToRgb(images: tf.Tensor4D): tf.Tensor4D {
  const { channels } = checkImages(images, 'hsvToRgb');
  if (channels !== 3) throw new Error(`hsvToRgb: expected 3 channels (HSV), got ${channels}`);
  return tf.tidy(() => {
    const [hue, saturation, value] = tf.unstack(toPlanar(images), 0) as tf.Tensor3D[];
    return fromPlanar(hsvToRgbPlanar({ hue, saturation, value }));
  });
}
