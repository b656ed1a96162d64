/** Any value → a Jupyter MIME bundle: what a notebook shows for a cell's last value or for display(value). */
import * as util from 'util';
import { JupyterDisplayable, MimeBundle, displaySymbol, inspectBundle, normalizeBundle } from './mime';
import { RichDisplayOptions, resolveRichDisplayOptions } from './tensorOptions';
import { isImageShaped, tensorImagePng } from './tensorImage';
import { isTableShaped, tensorTableHtml } from './tensorTable';
import { isTensor, tensorSummaryText } from './tensorText';

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
  return inspectBundle(value);
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
