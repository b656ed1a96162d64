// @ts-check
/**
 * Keeping the kernel alive and its errors visible.
 *
 * - `process.exit()` in a cell (or in library code a cell calls) would end the kernel: the client then gets no
 *   reply, only a dead kernel. Here it throws a `ProcessExitError` instead, so the cell fails with an error saying
 *   what happened and the kernel stays. The kernel itself ends through `exitKernel`.
 * - An error thrown later by a cell's timer or promise (after the cell finished) has no cell to go to: front ends
 *   drop output whose request is complete. `LateErrors` keeps such errors and hands them to the next cell that runs,
 *   which prints them on its stderr first. Errors while a cell runs go to that cell's stderr straight away.
 */
'use strict';
const util = require('util');

/** What process.exit throws inside the kernel. */
class ProcessExitError extends Error {
  /** @param {unknown} code */
  constructor(code) {
    super(`process.exit(${code === undefined ? '' : util.inspect(code)}) was called: it would end the kernel, so the cell stopped here instead ` +
      '(to start over, restart the kernel)');
    this.name = 'ProcessExitError';
    this.code = code;
  }
}

/** The real process.exit, saved before the guard replaces it. */
const originalExit = process.exit.bind(process);

/**
 * Ends the kernel process (the only way the kernel exits once the guard is installed).
 * @param {number} code
 * @returns {never}
 */
function exitKernel(code) {
  return originalExit(code);
}

/** Replaces process.exit with one that throws ProcessExitError (idempotent). */
function installExitGuard() {
  if (/** @type {any} */ (process.exit).isKernelGuard) return;
  const guarded = /** @type {any} */ ((/** @type {unknown} */ code) => {
    throw new ProcessExitError(code);
  });
  guarded.isKernelGuard = true;
  process.exit = guarded;
}

/** Errors raised outside any running cell, waiting for the next cell. */
class LateErrors {
  constructor() {
    /** @type {string[]} */
    this.pending = [];
  }

  /**
   * Records one error, described with where it came from.
   * @param {string} kind e.g. 'Uncaught exception'
   * @param {unknown} error
   * @param {number} afterCell the execution count of the last cell that ran
   */
  add(kind, error, afterCell) {
    const detail = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : util.inspect(error);
    this.pending.push(`${kind} after cell [${afterCell}] had finished (from a timer or promise it started):\n${detail}\n`);
  }

  /** The pending reports, oldest first; clears them. */
  take() {
    return this.pending.splice(0);
  }
}

module.exports = { ProcessExitError, exitKernel, installExitGuard, LateErrors };
