/** Option checks shared by the model factories: each throws once, at construction, saying what was expected and what was got. */

/** The value as a positive integer, or an Error naming the option (`what`) and the value received. */
export function checkPositiveInteger(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`${what} must be a positive integer, got ${JSON.stringify(value)}`);
  }
  return value;
}

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
