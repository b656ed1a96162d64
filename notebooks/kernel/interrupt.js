// @ts-check
/**
 * Stopping an interrupted cell's asynchronous work.
 *
 * tslab answers an interrupt by giving up on the cell's promise, but the cell's code keeps running: a training
 * loop that does `await new Promise(r => setImmediate(r))` each step goes on in the background while the next
 * cell runs. Here every cell runs inside its own `CellScope` (a Node AsyncLocalStorage context, which follows the
 * cell through awaits and timer callbacks). Once the scope is interrupted, the timer callbacks it scheduled are
 * dropped instead of run: the awaiting async function is never resumed, so the loop stops at its next
 * setImmediate/setTimeout/setInterval (or util.promisify of them) and is garbage-collected. Its `finally` blocks
 * do not run, so tensors it held stay allocated. Callbacks of native addons (event pumps such as Dawn's) still
 * run. A loop that awaits no timer (only promises, e.g. GPU read-backs) is not stopped this way; a synchronous
 * one is stopped by tslab's `breakOnSigint`.
 */
'use strict';
const { AsyncLocalStorage } = require('async_hooks');
const util = require('util');

/** The interruptible context of one cell execution. */
class CellScope {
  constructor() {
    /** Set once the cell is interrupted; from then on its timer callbacks are dropped. */
    this.interrupted = false;
    /** @type {(reason: Error) => void} */
    let reject = () => {};
    /** Rejects when the cell is interrupted: race it against anything the kernel awaits for the cell. */
    this.whenInterrupted = new Promise((_, rejectPromise) => (reject = rejectPromise));
    this.whenInterrupted.catch(() => {}); // an interrupt nobody raced against is not an unhandled rejection
    this.rejectInterrupted = reject;
  }

  /** Marks the cell interrupted (idempotent). */
  interrupt() {
    if (this.interrupted) return;
    this.interrupted = true;
    this.rejectInterrupted(new Error('Interrupted'));
  }
}

const storage = new AsyncLocalStorage();
/** Objects whose timers are already guarded. */
const guardedTargets = new WeakSet();

/**
 * Runs `fn` inside `scope`: timers created by it (directly or after awaits) belong to the scope.
 * @template T
 * @param {CellScope} scope
 * @param {() => T} fn
 * @returns {T}
 */
function runInScope(scope, fn) {
  return storage.run(scope, fn);
}

/** Whether the code calling this runs in a cell that was interrupted. */
function currentScopeInterrupted() {
  const scope = storage.getStore();
  return scope instanceof CellScope && scope.interrupted;
}

/**
 * Whether `callback` is a function made by a native addon (N-API): native code that, unlike the built-in promise
 * resolve functions, has a `prototype`. Such callbacks are event pumps of libraries, not the cell's own
 * continuation; Dawn's WebGPU binding (npm `webgpu`) re-arms `setImmediate` this way while a mapAsync is pending,
 * and dropping one tick would hang every later GPU read-back. They always run.
 * @param {Function} callback
 */
function isAddonCallback(callback) {
  return Object.prototype.hasOwnProperty.call(callback, 'prototype') && /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(callback));
}

/** A promise that never settles: what an interrupted cell's awaited timer turns into. */
function never() {
  return new Promise(() => {});
}

/**
 * Wraps a timer function of `target` so callbacks scheduled from an interrupted scope are skipped.
 * @param {any} target the object holding the timer functions (globalThis in the kernel)
 * @param {'setTimeout' | 'setImmediate' | 'setInterval'} name
 * @param {(handle: any) => void} clear the matching clear function (stops an interval for good)
 */
function guardTimer(target, name, clear) {
  const original = /** @type {Function} */ (target[name]);
  /** @type {any} */
  const guarded = (/** @type {unknown} */ callback, /** @type {unknown[]} */ ...rest) => {
    if (typeof callback !== 'function') return original(callback, ...rest);
    /** @type {any} */
    let handle;
    const run = (/** @type {unknown[]} */ ...args) => {
      if (currentScopeInterrupted() && !isAddonCallback(callback)) {
        if (name === 'setInterval') clear(handle);
        return undefined;
      }
      return callback(...args);
    };
    handle = original(run, ...rest);
    return handle;
  };
  const promisified = /** @type {any} */ (original)[util.promisify.custom];
  if (typeof promisified === 'function') {
    guarded[util.promisify.custom] = (/** @type {unknown[]} */ ...args) =>
      promisified(...args).then((/** @type {unknown} */ value) => (currentScopeInterrupted() ? never() : value));
  }
  Object.defineProperty(guarded, 'name', { value: name });
  target[name] = guarded;
}

/**
 * Guards setTimeout, setImmediate and setInterval of `target` (default globalThis; once per target).
 * @param {any} [target]
 */
function installTimerGuards(target = globalThis) {
  if (guardedTargets.has(target)) return;
  guardedTargets.add(target);
  guardTimer(target, 'setTimeout', target.clearTimeout ?? clearTimeout);
  guardTimer(target, 'setImmediate', target.clearImmediate ?? clearImmediate);
  guardTimer(target, 'setInterval', target.clearInterval ?? clearInterval);
}

module.exports = { CellScope, runInScope, currentScopeInterrupted, installTimerGuards, isAddonCallback };
