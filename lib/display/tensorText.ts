/** A tensor as text: dtype, shape, size, min/mean/max and a few values (the text/plain of its MIME bundle). */
import * as tf from '@tensorflow/tfjs';
import { RichDisplayOptions, resolveRichDisplayOptions } from './tensorOptions';

/**
 * Whether `value` is a tf.Tensor. Duck-typed (shape, dtype, dataSync, dispose) so a tensor from another copy of
 * tfjs — a notebook may load its own — is recognised too.
 */
export function isTensor(value: unknown): value is tf.Tensor {
  if (value instanceof tf.Tensor) return true;
  const candidate = value as Partial<tf.Tensor> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    Array.isArray(candidate.shape) &&
    typeof candidate.dtype === 'string' &&
    typeof candidate.dataSync === 'function' &&
    typeof candidate.dispose === 'function'
  );
}

/** A number with `digits` significant digits, trailing zeros dropped (integers stay exact): 0.123456 → "0.1235". */
export function formatNumber(value: number, digits: number): string {
  if (Number.isInteger(value)) return String(value);
  if (!Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(digits)));
}

/** Whether the dtype holds real numbers (min/mean/max make sense). */
function isRealDtype(dtype: string): boolean {
  return dtype === 'float32' || dtype === 'int32' || dtype === 'bool';
}

/**
 * The text/plain of a tensor:
 *
 *     Tensor float32 [2, 3] (6 values) min 0 · mean 2.5 · max 5
 *     [[0, 1, 2],
 *      [3, 4, 5]]
 *
 * Rank ≤ 2: tfjs's own formatting (rows and columns beyond 20 are summarised to the first and last 3). Rank > 2:
 * the first `previewValues` values in memory (row-major) order. Statistics are computed on the tensor's backend
 * (only three scalars are read back); a disposed tensor says so and reads nothing.
 */
export function tensorSummaryText(tensor: tf.Tensor, options?: RichDisplayOptions): string {
  const { significantDigits, previewValues } = resolveRichDisplayOptions(options);
  const shape = `[${tensor.shape.join(', ')}]`;
  const header = `Tensor ${tensor.dtype} ${shape}`;
  if (tensor.isDisposed) return `${header} (disposed)`;
  const size = tensor.size;
  const count = `(${size.toLocaleString('en-US')} value${size === 1 ? '' : 's'})`;
  let stats = '';
  if (size > 1 && isRealDtype(tensor.dtype)) {
    const [min, mean, max] = tf.tidy(() => {
      const asFloat = tf.cast(tensor, 'float32');
      return [tf.min(asFloat), tf.mean(asFloat), tf.max(asFloat)].map((scalar) => scalar.dataSync()[0]);
    });
    const fmt = (x: number) => formatNumber(x, significantDigits);
    stats = ` min ${fmt(min)} · mean ${fmt(mean)} · max ${fmt(max)}`;
  }
  if (size === 0) return `${header} ${count}`;
  return `${header} ${count}${stats}\n${tensorValuesText(tensor, previewValues, significantDigits)}`;
}

/** The values part of tensorSummaryText. */
function tensorValuesText(tensor: tf.Tensor, previewValues: number, digits: number): string {
  if (tensor.rank <= 2) {
    // tfjs's toString: "Tensor\n    <values>"; drop its header line and 4-space indent
    return tensor.toString().split('\n').slice(1).map((line) => line.replace(/^ {4}/, '')).join('\n');
  }
  const shown = Math.min(previewValues, tensor.size);
  const head = tf.tidy(() => tensor.reshape([-1]).slice(0, shown).dataSync());
  const values = Array.from(head as ArrayLike<number | string>, (v) =>
    typeof v === 'number' ? formatNumber(v, digits) : JSON.stringify(v),
  );
  const more = tensor.size > shown ? ', …' : '';
  return `first ${shown} of ${tensor.size.toLocaleString('en-US')} values: [${values.join(', ')}${more}]`;
}
