// @ts-check
/**
 * Cell execution with the Jupyter protocol's semantics on top of tslab's executor.
 *
 * Per execute_request, in order: status busy, execute_input, streams / display_data while the cell runs,
 * execute_result (the last expression's value as a MIME bundle) or an `error` message, the execute_reply
 * (status ok, or error with ename/evalue/traceback), status idle. Requests run one at a time; after a failed
 * cell with stop_on_error, requests already received (queued behind it) are answered with an error reply
 * without running. (Requests still unread in the socket while a synchronous cell blocks Node do run.)
 * silent=true runs without any output and without counting; store_history=false runs without counting.
 * Completion, inspection and is_complete are tslab's own (inherited).
 */
'use strict';
const util = require('util');
const { JupyterHandlerImpl, setDisplayWriter } = require('./tslabParts');
const { CellScope, runInScope } = require('./interrupt');
const { renderValue, WorkbenchRenderer } = require('./render');
const replies = require('./replies');
const { LateErrors } = require('./guards');

/** The kernel's own stderr (its log), saved before cells' output is routed to the client. */
const kernelLog = process.stderr.write.bind(process.stderr);

/**
 * @typedef {{code: string, silent?: boolean, store_history?: boolean, stop_on_error?: boolean,
 *   user_expressions?: Record<string, string>}} ExecuteRequest
 * @typedef {{status: (state: 'busy' | 'idle') => Promise<void>, publish: (msgType: string, content: object) => Promise<void>,
 *   stream: (name: string, text: string) => void, display: (content: object, update: boolean) => void,
 *   reply: (content: object) => void}} CellIO where one request's messages go (the promises: handed to ZeroMQ)
 * @typedef {{ok: true, hasValue: boolean, value: unknown} | {ok: false, error: {ename: string, evalue: string, traceback: string[]}}} CellOutcome
 */

/** @param {unknown} thrown */
function isInterruptError(thrown) {
  const error = /** @type {any} */ (thrown);
  return !!error && (error.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED' || error.message === 'Interrupted asynchronously');
}

class ConformingHandler extends JupyterHandlerImpl {
  /**
   * @param {{executor: any, capture: import('./capture').CellCapture, isJavaScript: boolean,
   *   versions: {tslab: string, typescript: string, node: string}, rootDirectory: string}} options
   */
  constructor({ executor, capture, isJavaScript, versions, rootDirectory }) {
    super(executor, isJavaScript);
    this.capture = capture;
    this.versions = versions;
    this.renderer = new WorkbenchRenderer(rootDirectory);
    /** @type {Promise<void>} the tail of the execution queue */
    this.queueTail = Promise.resolve();
    /** Execute requests are numbered as they arrive; those numbered up to this one are aborted. */
    this.arrivals = 0;
    this.abortThrough = 0;
    /** @type {CellScope | null} the running cell's scope */
    this.runningScope = null;
    /** @type {CellIO | null} where the last non-silent cell's output went (late output still goes there) */
    this.lastCellIO = null;
    /** Errors thrown by timers/promises while no cell ran: shown by the next cell. */
    this.lateErrors = new LateErrors();
  }

  /**
   * An uncaught exception or unhandled rejection: printed on the running cell's stderr, or, when no cell runs,
   * kept for the next cell (front ends drop output of a finished request) and written to the kernel's log.
   * @param {string} kind
   * @param {unknown} error
   */
  reportAsyncError(kind, error) {
    if (this.runningScope) {
      console.error(`${kind}:`, error);
      return;
    }
    this.lateErrors.add(kind, error, this.execCount);
    kernelLog(`tslab kernel: ${kind} while no cell was running: ${util.inspect(error)}\n`);
  }

  /** kernel_info_reply content. */
  handleKernel() {
    return replies.kernelInfoContent(this.versions, this.isJs);
  }

  /**
   * shutdown_reply content (tslab always said restart: false).
   * (overrides tslab)
   * @param {{restart?: boolean}} request
   */
  handleShutdown(request) {
    return { status: 'ok', restart: request.restart === true };
  }

  /** Stops the running cell: tslab stops awaiting it, and its pending timers are dropped. */
  interrupt() {
    this.runningScope?.interrupt();
    this.executor.interrupt();
  }

  /**
   * Queues one execute_request; resolves once its reply and final idle status are sent.
   * (overrides tslab)
   * @param {ExecuteRequest} request
   * @param {CellIO} io
   */
  // @ts-ignore: tslab's handleExecute(req, writeStream, writeDisplayData) returns the reply; this one sends it
  handleExecute(request, io) {
    const arrival = ++this.arrivals;
    const run = this.queueTail.then(() => this.runRequest(request, io, arrival));
    this.queueTail = run.catch(() => {});
    return run;
  }

  /**
   * @param {ExecuteRequest} request
   * @param {CellIO} io
   * @param {number} arrival
   */
  async runRequest(request, io, arrival) {
    const busy = io.status('busy');
    try {
      if (arrival <= this.abortThrough) return io.reply(replies.abortedReply(this.execCount));
      const silent = request.silent === true;
      if (!silent && request.store_history !== false) this.execCount += 1;
      const count = this.execCount;
      const input = silent ? busy : io.publish('execute_input', { code: request.code, execution_count: count });
      await input; // out before the cell can block Node (a synchronous loop)
      if (!silent) this.lastCellIO = io;
      this.routeOutput(silent ? null : io);
      if (!silent) for (const report of this.lateErrors.take()) io.stream('stderr', report);
      const outcome = await this.runCell(request.code, io);
      if (silent) this.routeOutput(this.lastCellIO); // back to the last visible cell
      if (!outcome.ok) {
        if (!silent) io.publish('error', outcome.error);
        // abort what was queued behind this cell; a request sent after seeing this reply still runs (ipykernel's
        // default stop_on_error_timeout of 0 s)
        if (request.stop_on_error !== false) this.abortThrough = this.arrivals;
        return io.reply({ status: 'error', execution_count: count, ...outcome.error });
      }
      if (outcome.hasValue && !silent) {
        const warn = (/** @type {string} */ message) => io.stream('stderr', message + '\n');
        const data = await renderValue(outcome.value, { renderer: this.renderer, warn });
        io.publish('execute_result', { execution_count: count, data, metadata: {} });
      }
      io.reply({ status: 'ok', execution_count: count, payload: [], user_expressions: unsupportedExpressions(request) });
    } catch (error) {
      // a bug in the kernel itself: still answer, so the client does not wait forever
      io.reply({ status: 'error', execution_count: this.execCount, ...replies.errorFromThrown(error) });
    } finally {
      io.status('idle');
    }
  }

  /**
   * Sends the cell's stdout/stderr writes and tslab display calls to `io` (null: swallow them). Like IPython, output
   * written after a cell finished (timers, unawaited promises) still goes to the last cell that ran.
   * @param {CellIO | null} io
   */
  routeOutput(io) {
    const stream = io ? io.stream : () => {};
    process.stdout.write = /** @type {any} */ (this.createWriteToIopub('stdout', stream));
    process.stderr.write = /** @type {any} */ (this.createWriteToIopub('stderr', stream));
    setDisplayWriter(io ? io.display : () => {});
  }

  /**
   * Compiles and runs one cell in its own interruptible scope. A Promise as the last value is awaited (so
   * `display(x)` or an async call at the end of a cell shows its result) and its resolved value is the result.
   * @param {string} code
   * @param {CellIO} io
   * @returns {Promise<CellOutcome>}
   */
  async runCell(code, io) {
    const scope = new CellScope();
    this.runningScope = scope;
    this.capture.reset();
    try {
      /** @type {boolean} */
      let ok;
      try {
        ok = await runInScope(scope, () => this.executor.execute(code));
      } catch (thrown) {
        ok = false;
        this.capture.console.error(thrown);
      }
      const { hasValue, value, diagnostics, thrown } = this.capture.take();
      if (thrown.some(isInterruptError)) scope.interrupt(); // also stops timers of a sync cell broken by SIGINT
      if (!ok) return { ok: false, error: this.failure(scope, diagnostics, thrown) };
      if (diagnostics.length > 0) io.stream('stderr', diagnostics.join('\n') + '\n'); // a `//@module` cell's
      if (!hasValue || !util.types.isPromise(value)) return { ok: true, hasValue, value };
      try {
        const resolved = await Promise.race([value, scope.whenInterrupted]);
        return { ok: true, hasValue: resolved != null, value: resolved };
      } catch (rejection) {
        return { ok: false, error: this.failure(scope, [], [rejection]) };
      }
    } finally {
      this.runningScope = null;
    }
  }

  /**
   * The error content of a failed cell.
   * @param {CellScope} scope
   * @param {string[]} diagnostics
   * @param {unknown[]} thrown
   */
  failure(scope, diagnostics, thrown) {
    if (scope.interrupted) return replies.interruptedError();
    if (thrown.length > 0) return replies.errorFromThrown(thrown[0]);
    if (diagnostics.length > 0) return replies.errorFromDiagnostics(diagnostics);
    return { ename: 'Error', evalue: 'the cell failed without an error message', traceback: [] };
  }
}

/**
 * user_expressions are not evaluated by this kernel: each requested name gets an error entry saying so.
 * @param {ExecuteRequest} request
 */
function unsupportedExpressions(request) {
  /** @type {Record<string, object>} */
  const out = {};
  for (const name of Object.keys(request.user_expressions ?? {})) {
    out[name] = { status: 'error', ename: 'NotImplementedError', evalue: 'tslab does not evaluate user_expressions', traceback: [] };
  }
  return out;
}

module.exports = { ConformingHandler, isInterruptError };
