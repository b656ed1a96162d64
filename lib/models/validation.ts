/** Option checks shared by the model factories: each throws at construction, saying what was expected and what was got. */
import { checkPositiveInteger } from '../options';

/** An image shape `[height, width, channels]` (NHWC without N) of three positive integers, or an Error. */
export function checkImageShape(what: string, shape: unknown): [number, number, number] {
  if (!Array.isArray(shape) || shape.length !== 3) {
    throw new Error(`${what} must be [height, width, channels], got ${JSON.stringify(shape)}`);
  }
  shape.forEach((size, i) => checkPositiveInteger(`${what}[${i}]`, size));
  return [shape[0], shape[1], shape[2]];
}

/** A seed for weight initialisation: any finite integer (taken modulo 2^32 by Rng). */
export function checkSeed(what: string, seed: unknown): number {
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new Error(`${what} must be an integer, got ${JSON.stringify(seed)}`);
  }
  return seed;
}
