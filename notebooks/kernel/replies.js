// @ts-check
/**
 * Contents of the kernel's replies and IOPub messages, as pure functions of their inputs (unit-tested in
 * tests/kernel/replies.test.ts). Field lists follow the Jupyter messaging spec v5.3:
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html
 */
'use strict';
const util = require('util');
const { PROTOCOL_VERSION } = require('./wire');

/**
 * kernel_info_reply content. tslab 1.0.22 leaves out `status` (strict clients reject the reply) and reports
 * language version 3.7.2; the version here is the TypeScript that really compiles the cells.
 * @param {{tslab: string, typescript: string, node: string}} versions
 * @param {boolean} isJavaScript the `--js` (jslab) flavour
 */
function kernelInfoContent(versions, isJavaScript) {
  const language_info = isJavaScript
    ? { name: 'javascript', version: versions.node.replace(/^v/, ''), mimetype: 'text/javascript', file_extension: '.js' }
    : {
        name: 'typescript',
        version: versions.typescript,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        // tslab's choice, kept: makes both classic Notebook and JupyterLab highlight TypeScript (tslab issue #18).
        codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
      };
  return {
    status: 'ok',
    protocol_version: PROTOCOL_VERSION,
    implementation: isJavaScript ? 'jslab' : 'tslab',
    implementation_version: versions.tslab,
    language_info,
    banner: `${isJavaScript ? 'JavaScript' : 'TypeScript ' + versions.typescript} (tslab ${versions.tslab}, Node ${versions.node})`,
    debugger: false, // no debug_request support: frontends then hide their debugger
    help_links: [
      { text: 'tslab', url: 'https://github.com/yunabe/tslab' },
      { text: 'TypeScript handbook', url: 'https://www.typescriptlang.org/docs/handbook/intro.html' },
    ],
  };
}

/**
 * Error content (shared by execute_reply with status 'error' and the IOPub `error` message) for a thrown value.
 * ename: the error's name (or the thrown value's type), evalue: its message, traceback: the stack's lines without
 * the kernel's own frames.
 * @param {unknown} thrown
 * @returns {{ename: string, evalue: string, traceback: string[]}}
 */
function errorFromThrown(thrown) {
  if (thrown instanceof Error || (thrown && typeof thrown === 'object' && 'stack' in thrown && 'message' in thrown)) {
    const error = /** @type {Error} */ (thrown);
    const ename = String(error.name || error.constructor?.name || 'Error');
    const evalue = String(error.message ?? '');
    const stack = typeof error.stack === 'string' && error.stack ? error.stack.split('\n') : [];
    // Node puts "file:line / source / caret" before the stack of an error thrown straight out of vm code; those
    // point into tslab's compiled JavaScript, not the cell, so the traceback starts at the "Name: message" line
    const headline = stack.findIndex((line) => line.startsWith(ename));
    const lines = headline >= 0 ? stack.slice(headline) : [`${ename}: ${evalue}`, ...stack.filter((line) => /^\s+at /.test(line))];
    return { ename, evalue, traceback: lines.filter((line) => !isKernelFrame(line)) };
  }
  const ename = thrown === null ? 'null' : typeof thrown === 'object' ? thrown.constructor?.name ?? 'Object' : typeof thrown;
  const evalue = util.inspect(thrown);
  return { ename, evalue, traceback: [`Uncaught ${evalue}`] };
}

/**
 * Whether a stack line is a frame of tslab, this wrapper or Node's internals (hidden from the user's traceback).
 * @param {string} line
 */
function isKernelFrame(line) {
  return /^\s+at /.test(line) && /node_modules[\\/]tslab[\\/]|notebooks[\\/]kernel[\\/]|[( ]node:(internal|vm|async_hooks)\b/.test(line);
}

/**
 * Error content for TypeScript diagnostics (the cell did not compile, so nothing ran).
 * @param {string[]} diagnostics one "line:column - message" string each, as tslab formats them
 */
function errorFromDiagnostics(diagnostics) {
  return { ename: 'TypeScriptError', evalue: diagnostics.join('\n'), traceback: diagnostics };
}

/** Error content for a cell stopped by an interrupt (SIGINT or interrupt_request). */
function interruptedError() {
  return {
    ename: 'Interrupted',
    evalue: 'The cell was interrupted; its pending timers (setTimeout/setImmediate/setInterval) were cancelled.',
    traceback: ['Interrupted: the cell was interrupted'],
  };
}

/**
 * execute_reply content for a request that was not run because an earlier cell failed (stop_on_error).
 * Spec 5.1 deprecates status 'abort'; an error reply is what clients expect now.
 * @param {number} executionCount
 */
function abortedReply(executionCount) {
  return {
    status: 'error',
    execution_count: executionCount,
    ename: 'ExecutionAborted',
    evalue: 'Not run: an earlier cell failed and that request asked to stop on error.',
    traceback: [],
  };
}

/**
 * Content of the reply to a request this kernel does not implement: an error reply, so the client is not left
 * waiting for an answer that never comes.
 * @param {string} msgType the request's type, e.g. 'debug_request'
 */
function notImplementedReply(msgType) {
  return {
    status: 'error',
    ename: 'NotImplementedError',
    evalue: `tslab does not support ${msgType}`,
    traceback: [],
  };
}

/**
 * The reply message type for a request type ('x_request' → 'x_reply'), or undefined for a non-request.
 * @param {string} msgType
 */
function replyTypeFor(msgType) {
  return msgType.endsWith('_request') ? msgType.slice(0, -'_request'.length) + '_reply' : undefined;
}

module.exports = {
  kernelInfoContent,
  errorFromThrown,
  errorFromDiagnostics,
  interruptedError,
  abortedReply,
  notImplementedReply,
  replyTypeFor,
  isKernelFrame,
};
