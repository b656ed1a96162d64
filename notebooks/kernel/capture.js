// @ts-check
/**
 * The `console` handed to tslab's executor, recording what tslab would have printed.
 *
 * tslab's executor reports through the console it is given, and through nothing else: `log(value)` once with the
 * cell's last expression value (only when it is not null/undefined), `error(fmt, file, line, col, message)` for
 * each TypeScript diagnostic, and `error(thrown)` for an exception or an interrupt. The user's own console calls
 * use the global console and are not seen here. Recording instead of printing is what lets the kernel send an
 * execute_result and a proper `error` message.
 */
'use strict';
const util = require('util');

/** tslab's format string for one diagnostic ("file line:column - message"). */
const DIAGNOSTIC_FORMAT = '%s%d:%d - %s';

class CellCapture {
  constructor() {
    /** @type {boolean} */
    this.hasValue = false;
    /** @type {unknown} */
    this.value = undefined;
    /** @type {string[]} */
    this.diagnostics = [];
    /** @type {unknown[]} */
    this.thrown = [];
    /** The object to pass as tslab's `console` argument. */
    this.console = {
      log: (/** @type {unknown} */ value) => {
        this.hasValue = true;
        this.value = value;
      },
      error: (/** @type {unknown[]} */ ...args) => {
        if (args[0] === DIAGNOSTIC_FORMAT) this.diagnostics.push(util.format(...args));
        else this.thrown.push(args[0]);
      },
    };
  }

  /** Forgets the previous cell's records. */
  reset() {
    this.hasValue = false;
    this.value = undefined;
    this.diagnostics = [];
    this.thrown = [];
  }

  /** What the cell produced; resets the capture for the next one. */
  take() {
    const { hasValue, value, diagnostics, thrown } = this;
    this.reset();
    return { hasValue, value, diagnostics, thrown };
  }
}

module.exports = { CellCapture, DIAGNOSTIC_FORMAT };
