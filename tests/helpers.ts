/** Shared test helpers: approximate equality, leak checks, backend setup. Not a test file itself. */
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { TrainConfig, makeConfig } from '../lib/train/config';
import { seedViews } from '../lib/views/presets';

export interface Tolerance {
  /** relative tolerance (default 1e-5) */
  rtol?: number;
  /** absolute tolerance (default 1e-6) */
  atol?: number;
}

type Numeric = number | ArrayLike<number> | number[][] | number[][][] | number[][][][];

function flatten(x: Numeric): number[] {
  if (typeof x === 'number') return [x];
  const out: number[] = [];
  const walk = (v: any) => {
    if (typeof v === 'number') out.push(v);
    else for (let i = 0; i < v.length; i++) walk(v[i]);
  };
  walk(x);
  return out;
}

/** Assert |actual - expected| <= atol + rtol * |expected| elementwise (numpy.allclose semantics). */
export function assertClose(actual: Numeric, expected: Numeric, tol: Tolerance = {}, message = ''): void {
  const { rtol = 1e-5, atol = 1e-6 } = tol;
  const a = flatten(actual);
  const e = flatten(expected);
  assert.is(a.length, e.length, `${message} length ${a.length} != ${e.length}`);
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(a[i] - e[i]) <= atol + rtol * Math.abs(e[i]) || (Number.isNaN(a[i]) && Number.isNaN(e[i]));
    if (!ok) {
      assert.unreachable(`${message} element ${i}: actual ${a[i]} vs expected ${e[i]} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/** Assert that fn() throws an error whose message matches the pattern. */
export async function assertThrowsAsync(fn: () => Promise<unknown>, pattern: RegExp, message = ''): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    assert.ok(pattern.test(text), `${message} error "${text}" does not match ${pattern}`);
    return;
  }
  assert.unreachable(`${message} expected an error matching ${pattern}`);
}

/**
 * Run fn once (burn-in: lets lazily created tensors such as optimizer slots exist), then run it
 * `repeats` more times and assert tf.memory().numTensors did not change.
 */
export async function assertNoLeak(fn: () => unknown | Promise<unknown>, repeats = 2, message = ''): Promise<void> {
  await fn();
  const before = tf.memory().numTensors;
  for (let i = 0; i < repeats; i++) await fn();
  const after = tf.memory().numTensors;
  assert.is(after, before, `${message} tensor leak: ${before} tensors before, ${after} after ${repeats} runs`);
}

/**
 * Use the deterministic pure-JS cpu backend for a test file; or the backend named by SIMCLR_TEST_BACKEND, which
 * tests/tensorflow sets to re-run the backend-sensitive suites (losses, models, ...) on 'tensorflow'.
 */
export async function useCpu(): Promise<void> {
  const wanted = process.env.SIMCLR_TEST_BACKEND || 'cpu';
  if (wanted === 'tensorflow' && tf.findBackendFactory('tensorflow') === null) {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const loaded = require('../lib/backend/tensorflow').loadNativeTensorflow();
    if (!loaded.ok) throw new Error(`SIMCLR_TEST_BACKEND=tensorflow: ${loaded.reason}`);
  }
  if (tf.getBackend() !== wanted) {
    if (!(await tf.setBackend(wanted))) throw new Error(`SIMCLR_TEST_BACKEND: backend '${wanted}' did not initialise`);
  }
  await tf.ready();
  // One line per suite, for the runner in tests/tensorflow to count the suites that ran on it.
  if (wanted !== 'cpu') console.log(`  [test backend: ${tf.getBackend()}]`);
}

/** A seed-style run shrunk to 8×8 RGB images (2 epochs, batch 8, a loss log every step) that the cpu backend trains in a second. */
export function tinySeedConfig(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return makeConfig({
    epochs: 2, batchSize: 8, logEvery: 1,
    model: { encoder: 'seed', inputShape: [8, 8, 3], head: { kind: 'mlp', hiddenDim: 16, outputDim: 8, layers: 2 } },
    views: seedViews(8),
    ...overrides,
  }, 'seed');
}

/** Float64 copy of a tensor's values (for references written with plain loops). */
export function values(t: tf.Tensor): Float64Array {
  return Float64Array.from(t.dataSync());
}

// uvu imports every test file before it runs any suite, so module-level code (building a model, making a
// tensor) runs before any `before(useCpu)` hook. lib/kernels registers the wasm backend, which has a higher
// priority than cpu but needs an async init: without this, such code would meet an uninitialised backend.
// The cpu backend initialises synchronously, so it is active as soon as this module is loaded.
void tf.setBackend('cpu');
