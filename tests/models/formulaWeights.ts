/**
 * Closed-form weights and images shared with fixtures/make_golden.py (not a test file): each value is a
 * function of the key "<layer name>/<weight kind>" and of its flat index in the tfjs layout, so a tfjs model
 * and its PyTorch twin can be given identical weights without storing them.
 */
import * as tf from '@tensorflow/tfjs';

function phase(key: string): number {
  let sum = 0;
  for (let i = 0; i < key.length; i++) sum += key.charCodeAt(i) * (i + 1);
  return ((sum % 1009) / 1009) * 2 * Math.PI;
}

/** The formula values for weight `key` (kind = its last path segment) of tfjs shape `shape`. */
export function formulaValues(key: string, shape: number[]): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const kind = key.split('/').pop();
  const p = phase(key);
  const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(n);
  for (let j = 0; j < n; j++) {
    const u = Math.sin(0.7 * j + 0.0013 * j * j + p);
    if (kind === 'kernel') out[j] = Math.sqrt(4 / fanIn) * u;
    else if (kind === 'bias' || kind === 'beta' || kind === 'moving_mean') out[j] = 0.1 * u;
    else if (kind === 'gamma') out[j] = 1 + 0.2 * u;
    else if (kind === 'moving_variance') out[j] = 0.75 + 0.5 * u;
    else throw new Error(`formulaValues: unknown weight kind in ${key}`);
  }
  return out;
}

const FIELDS: [string, string][] = [
  ['kernel', 'kernel'],
  ['bias', 'bias'],
  ['gamma', 'gamma'],
  ['beta', 'beta'],
  ['movingMean', 'moving_mean'],
  ['movingVariance', 'moving_variance'],
];

function leafLayers(target: tf.layers.Layer): tf.layers.Layer[] {
  const nested = (target as unknown as { layers?: tf.layers.Layer[] }).layers;
  return Array.isArray(nested) ? nested.flatMap(leafLayers) : [target];
}

/** Overwrite every weight of `model` with its formula values; returns how many weights were set. */
export function setFormulaWeights(model: tf.LayersModel): number {
  let count = 0;
  for (const layer of leafLayers(model)) {
    for (const [field, kind] of FIELDS) {
      const variable = (layer as unknown as Record<string, tf.LayerVariable | null | undefined>)[field];
      if (variable == null) continue;
      const shape = variable.shape as number[];
      tf.tidy(() => {
        variable.write(tf.tensor(formulaValues(`${layer.name}/${kind}`, shape), shape));
      });
      count++;
    }
  }
  return count;
}

/** NHWC images in [0, 1]: x_j = 0.5 + 0.5 sin(0.37 j + 0.0011 j²) over the flat index j. */
export function formulaImages(shape: [number, number, number, number]): tf.Tensor4D {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  for (let j = 0; j < n; j++) values[j] = 0.5 + 0.5 * Math.sin(0.37 * j + 0.0011 * j * j);
  return tf.tensor4d(values, shape);
}
