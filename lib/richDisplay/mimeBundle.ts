/** Any value → a Jupyter MIME bundle: what a notebook shows for a cell's last value or for display(value). */
import * as util from 'util';
import { RichDisplayOptions, resolveRichDisplayOptions } from './options';
import { isImageShaped, tensorImagePng } from './tensorImage';
import { isTableShaped, tensorTableHtml } from './tensorTable';
import { isTensor, tensorSummaryText } from './tensorText';

/**
 * The method key of the Jupyter display protocol shared with Deno's kernel: an object whose
 * `[Symbol.for('Jupyter.display')]()` returns a MIME bundle (or a promise of one) is shown as that bundle.
 */
export const displaySymbol: unique symbol = Symbol.for('Jupyter.display') as never;

/**
 * MIME type → data, as in Jupyter's display_data/execute_result `data`: strings (binary formats such as
 * image/png as base64) or, for JSON types, objects. Always has text/plain.
 */
export type MimeBundle = { 'text/plain': string } & Record<string, unknown>;

/** An object that shows itself through the Jupyter display protocol. */
export interface JupyterDisplayable {
  [displaySymbol](): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** Jupyter's MIME key syntax (type/subtype). */
const MIME_KEY = /^[\w\-+.]+\/[\w\-+.]+$/;

/** util.inspect settings for values without a richer form: console.log's depth and array length, long strings cut. */
const INSPECT_OPTIONS: util.InspectOptions = { depth: 2, maxArrayLength: 100, maxStringLength: 10_000 };

/**
 * The MIME bundle of a value:
 * - a tf.Tensor: text/plain (dtype, shape, min/mean/max, a few values); plus text/html, a table, for a small
 *   2-D tensor; plus image/png for an image-shaped (H, W, 1|3) or (N, H, W, 1|3) tensor (a grid for a batch);
 * - an object with a `[displaySymbol]()` method: the bundle it returns (bytes base64-encoded, text/plain added
 *   from util.inspect when missing);
 * - anything else: text/plain from util.inspect (strings quoted, as Node's REPL shows them).
 * Reads tensor values (a device sync on GPU backends) and leaves no tensors behind.
 */
export async function toMimeBundle(value: unknown, options?: RichDisplayOptions): Promise<MimeBundle> {
  resolveRichDisplayOptions(options); // report bad options even for values that do not use them
  if (isTensor(value)) return tensorBundle(value, options);
  const method = value != null && typeof value === 'object' ? (value as Partial<JupyterDisplayable>)[displaySymbol] : undefined;
  if (typeof method === 'function') {
    const bundle = await method.call(value);
    if (bundle == null || typeof bundle !== 'object') {
      throw new Error(`[Symbol.for('Jupyter.display')]() must return an object of MIME type → data, got ${util.inspect(bundle)}`);
    }
    return normalizeBundle(bundle, value);
  }
  return { 'text/plain': util.inspect(value, INSPECT_OPTIONS) };
}

async function tensorBundle(tensor: Parameters<typeof tensorSummaryText>[0], options?: RichDisplayOptions): Promise<MimeBundle> {
  let text = tensorSummaryText(tensor, options);
  const bundle: Record<string, unknown> = {};
  if (isTableShaped(tensor, options)) bundle['text/html'] = tensorTableHtml(tensor, options);
  if (isImageShaped(tensor, options)) {
    const image = await tensorImagePng(tensor, options);
    bundle['image/png'] = image.png.toString('base64');
    const batch = image.imagesTotal > 1 || tensor.rank === 4 ? `${image.imagesShown} of ${image.imagesTotal} images, ` : '';
    const how = { unit: 'values ×255', byte: 'values as bytes', rescaled: `rescaled from [${image.min}, ${image.max}]` }[image.mapping];
    text += `\n(drawn as an image: ${batch}${how}${image.scale > 1 ? `, ${image.scale}× larger` : ''})`;
  }
  return { 'text/plain': text, ...bundle };
}

/**
 * Makes a bundle wire-ready: keeps MIME-typed keys with data, encodes bytes as base64, keeps objects only under
 * JSON types (…/json, …+json), stringifies the rest, and adds text/plain when missing.
 */
export function normalizeBundle(bundle: Record<string, unknown>, value: unknown): MimeBundle {
  const out: Record<string, unknown> = {};
  for (const [key, data] of Object.entries(bundle)) {
    if (!MIME_KEY.test(key) || data == null) continue;
    if (data instanceof Uint8Array) out[key] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
    else if (/[/+]json$/.test(key) && typeof data === 'object') out[key] = data;
    else out[key] = typeof data === 'string' ? data : String(data);
  }
  const text = typeof out['text/plain'] === 'string' ? (out['text/plain'] as string) : util.inspect(value, INSPECT_OPTIONS);
  return { ...out, 'text/plain': text };
}
