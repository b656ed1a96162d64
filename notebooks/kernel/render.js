// @ts-check
/**
 * A cell's last value → the MIME bundle of its execute_result.
 *
 * Primitives: `text/plain` from util.inspect (strings quoted, as in Node's REPL). Other values go to the
 * workbench's `toMimeBundle` (tensors as text, HTML tables and PNG images; objects with a
 * `[Symbol.for('Jupyter.display')]()` method as their own bundle), found lazily from the notebook's directory:
 * `simclr-workbench` is resolved there but loaded only when it is already loaded or the value looks like a tensor,
 * so a plain object never pulls tfjs in. Without the workbench, the Jupyter.display protocol is still honoured
 * here and everything else is util.inspect'ed.
 */
'use strict';
const Module = require('module');
const path = require('path');
const util = require('util');

const displaySymbol = Symbol.for('Jupyter.display');
/** Jupyter's MIME type key syntax (what jupyter_client's schema accepts). */
const MIME_KEY = /^[\w\-+.]+\/[\w\-+.]+$/;

/**
 * @typedef {Record<string, unknown>} MimeBundle
 * @typedef {(value: unknown) => Promise<MimeBundle> | MimeBundle} ToMimeBundle
 */

/** util.inspect settings: console.log's depth and array length (what tslab printed), long strings cut. */
const INSPECT_OPTIONS = { depth: 2, maxArrayLength: 100, maxStringLength: 10_000 };

/**
 * util.inspect as a MIME bundle.
 * @param {unknown} value
 * @returns {MimeBundle}
 */
function inspectBundle(value) {
  return { 'text/plain': util.inspect(value, INSPECT_OPTIONS) };
}

/** @param {unknown} value */
function isPrimitive(value) {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/**
 * Duck-typed tf.Tensor (works across tfjs copies).
 * @param {unknown} value
 */
function looksLikeTensor(value) {
  const v = /** @type {any} */ (value);
  return !!v && typeof v === 'object' && Array.isArray(v.shape) && typeof v.dtype === 'string' && typeof v.dataSync === 'function';
}

/**
 * Makes a bundle valid for the wire: keys must be MIME types; bytes become base64; JSON MIME types
 * (application/json, application/*+json) may hold objects; everything else becomes a string. text/plain is always
 * present (frontends fall back to it).
 * @param {unknown} bundle
 * @param {unknown} value the displayed value (for the text/plain fallback)
 * @returns {MimeBundle}
 */
function normalizeBundle(bundle, value) {
  /** @type {MimeBundle} */
  const out = {};
  if (bundle && typeof bundle === 'object') {
    for (const [key, data] of Object.entries(bundle)) {
      if (!MIME_KEY.test(key) || data == null) continue;
      if (data instanceof Uint8Array) out[key] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
      else if (/[/+]json$/.test(key) && typeof data === 'object') out[key] = data;
      else out[key] = typeof data === 'string' ? data : String(data);
    }
  }
  if (!('text/plain' in out)) out['text/plain'] = /** @type {string} */ (inspectBundle(value)['text/plain']);
  return out;
}

/**
 * Finds `toMimeBundle` in the workbench package as seen from `fromDirectory`, or null when it is not installed
 * there or does not (yet) export it. The package's main module is preferred; `dist/richDisplay` is the fallback
 * for a build whose index does not re-export it.
 */
class WorkbenchRenderer {
  /** @param {string} fromDirectory the notebook's directory (tslab's rootDir: the kernel's cwd) */
  constructor(fromDirectory) {
    this.require = Module.createRequire(path.join(fromDirectory, '__kernel_render__.js'));
    /** @type {string | null | undefined} resolved main file; null: not resolvable */
    this.mainFile = undefined;
    /** @type {ToMimeBundle | null | undefined} */
    this.toMimeBundle = undefined;
  }

  /** The main file of simclr-workbench, or null. */
  resolveMain() {
    if (this.mainFile === undefined) {
      try {
        this.mainFile = this.require.resolve('simclr-workbench');
      } catch {
        this.mainFile = null;
      }
    }
    return this.mainFile;
  }

  /** Whether the workbench is already loaded in this process (loading it again costs nothing). */
  isLoaded() {
    const main = this.resolveMain();
    return main != null && require.cache[main] != null;
  }

  /** Loads and returns toMimeBundle, or null. @returns {ToMimeBundle | null} */
  load() {
    if (this.toMimeBundle !== undefined) return this.toMimeBundle;
    this.toMimeBundle = null;
    const main = this.resolveMain();
    if (main == null) return null;
    for (const file of [main, path.join(path.dirname(main), 'richDisplay', 'index.js')]) {
      try {
        const candidate = this.require(file).toMimeBundle;
        if (typeof candidate === 'function') return (this.toMimeBundle = candidate);
      } catch {
        // an older build without richDisplay: try the next place, else fall back to util.inspect
      }
    }
    return null;
  }
}

/**
 * Renders a cell's value.
 * @param {unknown} value
 * @param {{renderer: WorkbenchRenderer, warn: (message: string) => void}} context warn: reports a renderer
 *   failure (to the cell's stderr) before falling back to util.inspect
 * @returns {Promise<MimeBundle>}
 */
async function renderValue(value, { renderer, warn }) {
  if (isPrimitive(value)) return inspectBundle(value);
  const useWorkbench = renderer.isLoaded() || looksLikeTensor(value);
  const toMimeBundle = useWorkbench ? renderer.load() : null;
  try {
    if (toMimeBundle) return normalizeBundle(await toMimeBundle(value), value);
    const method = /** @type {any} */ (value)[displaySymbol];
    if (typeof method === 'function') return normalizeBundle(await method.call(value), value);
  } catch (error) {
    warn(`rich display failed, showing text instead: ${error instanceof Error ? error.message : String(error)}`);
  }
  return inspectBundle(value);
}

module.exports = { renderValue, normalizeBundle, inspectBundle, isPrimitive, looksLikeTensor, WorkbenchRenderer, displaySymbol };
