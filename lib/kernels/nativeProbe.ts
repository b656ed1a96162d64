/**
 * The linear probe's objective in the native addon (lib/native/softmax_regression.cc): softmax regression's loss and
 * gradient over float64 typed arrays, on all cores, for lib/probe/logisticRegression.ts. Plain arithmetic on typed
 * arrays, so it applies whatever the tfjs backend; only whether the addon is built matters.
 *
 * Agrees with the JavaScript path of `softmaxRegressionObjective` to ~1e-12 relative, not bit for bit (another
 * summation order inside each dot product). Each path is deterministic on its own: the native one cuts rows into
 * fixed blocks of 256 and adds the blocks' partial sums in block order, so the thread count and timing change nothing.
 *
 * The JavaScript path is used when the addon is not built or predates this function, when SIMCLR_NATIVE=0 turns the
 * addon off, when SIMCLR_NATIVE_PROBE=0 turns this function off, or after `useNativeProbeObjective(false)`.
 */
import { loadNativeAddon } from './native';

/** The addon's entry point (softmax_regression.cc): writes ∂L/∂[W, b] into `gradient`, returns L. */
export type NativeSoftmaxRegressionObjective = (
  features: Float32Array, labels: Int32Array, dim: number, numClasses: number, l2: number,
  parameters: Float64Array, gradient: Float64Array, threads: number,
) => number;

const OFF = ['0', 'false', 'no', 'off'];
let enabled = !OFF.includes((process.env.SIMCLR_NATIVE_PROBE ?? '').toLowerCase());

/**
 * Allow (true, the default unless SIMCLR_NATIVE_PROBE=0) or forbid (false) the native path of
 * `softmaxRegressionObjective`; forbidding forces its JavaScript reference path, e.g. to compare the two in tests.
 * @returns the previous setting.
 */
export function useNativeProbeObjective(allow: boolean): boolean {
  const previous = enabled;
  enabled = allow;
  return previous;
}

/** The addon's objective when the native path applies now (allowed, addon built and current), else undefined. */
export function nativeSoftmaxRegressionObjective(): NativeSoftmaxRegressionObjective | undefined {
  if (!enabled) return undefined;
  const { addon } = loadNativeAddon();
  const entry = addon?.softmaxRegressionObjective;
  return typeof entry === 'function' ? entry.bind(addon) : undefined;
}
