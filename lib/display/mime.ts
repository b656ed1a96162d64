/**
 * Jupyter MIME bundles: the type, the display protocol's key, and making a bundle valid for the wire. No tfjs here:
 * the workbook's kernel (notebooks/kernel/render.js) requires this file for every cell result.
 */
import * as util from 'util';

/**
 * MIME type → data, as in Jupyter's display_data/execute_result `data`: strings (binary formats such as image/png
 * as base64) or, for JSON types, objects. Always has text/plain.
 */
export type MimeBundle = { 'text/plain': string } & Record<string, unknown>;

/**
 * The method key of the Jupyter display protocol shared with Deno's kernel: an object whose
 * `[Symbol.for('Jupyter.display')]()` returns a MIME bundle (or a promise of one) is shown as that bundle.
 */
export const displaySymbol: unique symbol = Symbol.for('Jupyter.display') as never;

/** An object that shows itself through the Jupyter display protocol. */
export interface JupyterDisplayable {
  [displaySymbol](): Record<string, unknown> | Promise<Record<string, unknown>>;
}

/** plotly's MIME type: JupyterLab draws it with jupyterlab-plotly (also in untrusted notebooks). */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** Jupyter's MIME key syntax (type/subtype), what jupyter_client's message schema accepts. */
export const MIME_KEY = /^[\w\-+.]+\/[\w\-+.]+$/;

/** util.inspect settings for values without a richer form: console.log's depth and array length, long strings cut. */
export const INSPECT_OPTIONS: util.InspectOptions = { depth: 2, maxArrayLength: 100, maxStringLength: 10_000 };

/** A value as text/plain only (util.inspect: strings quoted, as Node's REPL shows them). */
export function inspectBundle(value: unknown): MimeBundle {
  return { 'text/plain': util.inspect(value, INSPECT_OPTIONS) };
}

/**
 * Makes a bundle wire-ready: keeps MIME-typed keys with data, encodes bytes as base64, keeps objects only under
 * JSON types (…/json, …+json), stringifies the rest, and adds text/plain (util.inspect of `value`) when missing.
 */
export function normalizeBundle(bundle: Record<string, unknown>, value: unknown): MimeBundle {
  const out: Record<string, unknown> = {};
  if (bundle != null && typeof bundle === 'object') {
    for (const [key, data] of Object.entries(bundle)) {
      if (!MIME_KEY.test(key) || data == null) continue;
      if (data instanceof Uint8Array) out[key] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
      else if (/[/+]json$/.test(key) && typeof data === 'object') out[key] = data;
      else out[key] = typeof data === 'string' ? data : String(data);
    }
  }
  const text = typeof out['text/plain'] === 'string' ? (out['text/plain'] as string) : inspectBundle(value)['text/plain'];
  return { ...out, 'text/plain': text };
}
