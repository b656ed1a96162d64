// @ts-check
/**
 * A cell's last value → the MIME bundle of its execute_result.
 *
 * The bundles are the workbench's (lib/display, one renderer for notebooks and kernel): its tfjs-free `mime` module
 * (the display protocol, wire normalisation, util.inspect text) is required from this checkout's build, and values
 * other than primitives go to `toMimeBundle` (tensors as text, HTML tables and PNG images; objects with a
 * `[Symbol.for('Jupyter.display')]()` method as their own bundle), found lazily from the notebook's directory:
 * `simclr-workbench` is resolved there but loaded only when it is already loaded or the value looks like a tensor,
 * so a plain object never pulls tfjs in. Without a build of the workbench (lib/dist), values are util.inspect'ed.
 */
'use strict';
const Module = require('module');
const path = require('path');
const util = require('util');

/**
 * @typedef {Record<string, unknown>} MimeBundle
 * @typedef {(value: unknown) => Promise<MimeBundle> | MimeBundle} ToMimeBundle
 * @typedef {{displaySymbol: symbol, inspectBundle: (value: unknown) => MimeBundle,
 *   normalizeBundle: (bundle: Record<string, unknown>, value: unknown) => MimeBundle}} MimeModule
 */

/** @type {MimeModule | null | undefined} */
let mimeModule;

/**
 * The workbench's tfjs-free MIME module (lib/display/mime.ts, built to lib/dist), or null when lib is not built.
 * @returns {MimeModule | null}
 */
function workbenchMime() {
  if (mimeModule === undefined) {
    try {
      mimeModule = /** @type {MimeModule} */ (require('simclr-workbench/dist/display/mime'));
    } catch (error) {
      mimeModule = null;
      process.emitWarning(`tslab kernel: simclr-workbench is not built (npm run build), results are shown as text: ${error}`);
    }
  }
  return mimeModule;
}

/**
 * util.inspect text as a MIME bundle (the workbench's settings when it is built).
 * @param {unknown} value
 * @returns {MimeBundle}
 */
function inspectBundle(value) {
  return workbenchMime()?.inspectBundle(value) ?? { 'text/plain': util.inspect(value) };
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

/** Finds `toMimeBundle` in the workbench package as seen from `fromDirectory`, or null when it is not installed there. */
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

  /** Loads and returns toMimeBundle, or null (not installed there, or a build without it). @returns {ToMimeBundle | null} */
  load() {
    if (this.toMimeBundle !== undefined) return this.toMimeBundle;
    this.toMimeBundle = null;
    const main = this.resolveMain();
    if (main == null) return null;
    try {
      const candidate = this.require(main).toMimeBundle;
      if (typeof candidate === 'function') this.toMimeBundle = candidate;
    } catch {
      // a broken install: fall back to util.inspect
    }
    return this.toMimeBundle;
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
    if (toMimeBundle) return /** @type {MimeBundle} */ (await toMimeBundle(value)); // already normalised by the workbench
    const mime = workbenchMime();
    const method = mime ? /** @type {any} */ (value)[mime.displaySymbol] : undefined;
    if (mime && typeof method === 'function') return mime.normalizeBundle(await method.call(value), value);
  } catch (error) {
    warn(`rich display failed, showing text instead: ${error instanceof Error ? error.message : String(error)}`);
  }
  return inspectBundle(value);
}

module.exports = { renderValue, inspectBundle, isPrimitive, looksLikeTensor, WorkbenchRenderer, workbenchMime };
