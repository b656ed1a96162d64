// @ts-check
/**
 * The pieces of tslab the wrapper reuses, in one place: the TypeScript converter and executor (compile and run
 * cells, completion, inspection, is_complete) and the ZeroMQ socket setup. Everything protocol-facing is replaced.
 * These are tslab's internal modules (dist/*.js, no "exports" map); the wrapper is written against
 * TESTED_TSLAB_VERSION and says so in the kernel log when another version is installed.
 */
'use strict';
const { createConverter } = require('tslab/dist/converter');
const { createExecutor } = require('tslab/dist/executor');
const jupyter = require('tslab/dist/jupyter');
const tslabPublic = require('tslab');

/** The tslab release whose internals this wrapper was written and tested against. */
const TESTED_TSLAB_VERSION = '1.0.22';

/** Versions reported in kernel_info_reply: tslab, the TypeScript it compiles with, and Node. */
const versions = {
  tslab: String(tslabPublic.versions.tslab),
  typescript: String(tslabPublic.versions.typescript),
  node: String(tslabPublic.versions.node),
};

/**
 * Lazily created converters for Node and browser cells (tslab's ConverterSetImpl, which main.js does not export).
 * @param {boolean} isJavaScript
 */
function createConverterSet(isJavaScript) {
  /** @type {any} */
  let node;
  /** @type {any} */
  let browser;
  return {
    get node() {
      return (node ??= createConverter({ isJS: isJavaScript, isBrowser: false }));
    },
    get browser() {
      return (browser ??= createConverter({ isJS: isJavaScript, isBrowser: true }));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
}

/**
 * Points tslab's public display API (`import * as tslab from "tslab"; tslab.display.html(...)`) at `write`.
 * @param {((content: object, update: boolean) => void) | null} write
 */
function setDisplayWriter(write) {
  /** @type {any} */ (jupyter).lastWriteDisplayData = write;
}

// tslab's .d.ts marks the members the wrapper builds on (executor, execCount, isJs, handler, connInfo, sockets)
// private; the subclasses use them, so the classes are exported untyped.
/** @type {any} */
const JupyterHandlerImpl = jupyter.JupyterHandlerImpl;
/** @type {any} */
const ZmqServer = jupyter.ZmqServer;

module.exports = {
  TESTED_TSLAB_VERSION,
  versions,
  createConverterSet,
  createExecutor,
  setDisplayWriter,
  JupyterHandlerImpl,
  ZmqServer,
};
