/**
 * The linear probe's objective in the native addon (lib/native/softmax_regression.cc through lib/kernels/nativeProbe)
 * against its JavaScript path and a plain-loop reference. Native cases are skipped with a message when the addon is
 * not built (or predates the function), except under SIMCLR_REQUIRE_NATIVE=1 (CI), where that fails.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNativeAddon } from '../../lib/kernels/native';
import { nativeSoftmaxRegressionObjective, useNativeProbeObjective } from '../../lib/kernels/nativeProbe';
import { fitLogisticRegression, softmaxRegressionObjective } from '../../lib/probe/logisticRegression';
import { FeatureMatrix } from '../../lib/probe/validate';
import { Rng } from '../../lib/rng';
import { assertClose } from '../helpers';
import { gaussianBlobs } from './synthetic';
import { referenceSoftmaxObjective } from './reference';

const native = nativeSoftmaxRegressionObjective();
const required = process.env.SIMCLR_REQUIRE_NATIVE === '1';
const status = loadNativeAddon();
const why = !status.available ? status.detail
  : typeof (status.addon as unknown as Record<string, unknown>).softmaxRegressionObjective !== 'function' ? 'the addon predates softmaxRegressionObjective (rebuild: bash lib/native/build.sh)'
    : 'turned off by SIMCLR_NATIVE_PROBE';

interface Problem { train: FeatureMatrix; labels: Int32Array; numClasses: number; l2: number; parameters: Float64Array }

/** Random features (standard normal), labels and parameters of scale `scale` (large scales test logsumexp's stability). */
function randomProblem(seed: number, count: number, dim: number, numClasses: number, l2: number, scale = 0.3): Problem {
  const rng = new Rng(seed);
  const features = Float32Array.from({ length: count * dim }, () => rng.normal());
  const labels = Int32Array.from({ length: count }, () => rng.int(numClasses));
  const parameters = Float64Array.from({ length: numClasses * dim + numClasses }, () => scale * rng.normal());
  return { train: { features, dim, count }, labels, numClasses, l2, parameters };
}

/** Loss and gradient of one path: 'native' (the addon, `threads` threads; 0 = all), 'js' (forced) or 'default'. */
function evaluate(problem: Problem, path: 'native' | 'js' | 'default', threads = 0): { loss: number; gradient: Float64Array } {
  const { train, labels, numClasses, l2, parameters } = problem;
  const gradient = new Float64Array(parameters.length);
  if (path === 'native') {
    return { loss: native!(train.features, labels, train.dim, numClasses, l2, parameters, gradient, threads), gradient };
  }
  const previous = path === 'js' ? useNativeProbeObjective(false) : undefined;
  try {
    return { loss: softmaxRegressionObjective(parameters, gradient, train, labels, numClasses, l2), gradient };
  } finally {
    if (previous !== undefined) useNativeProbeObjective(previous);
  }
}

/** Plain loops straight from the formula (tests/probe/reference.ts). */
function referenceObjective({ train, labels, numClasses, l2, parameters }: Problem): { loss: number; gradient: Float64Array } {
  return referenceSoftmaxObjective(parameters, train, labels, numClasses, l2);
}

/** Agreement to `rtol` relative, with gradient entries near zero measured against the largest one. */
function assertAgree(actual: { loss: number; gradient: Float64Array }, expected: { loss: number; gradient: Float64Array }, rtol: number, message: string): void {
  assertClose(actual.loss, expected.loss, { rtol, atol: 0 }, `${message} loss`);
  const scale = expected.gradient.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  assertClose(actual.gradient, expected.gradient, { rtol, atol: rtol * scale }, `${message} gradient`);
}

function sameBits(a: { loss: number; gradient: Float64Array }, b: { loss: number; gradient: Float64Array }): boolean {
  return Object.is(a.loss, b.loss) && a.gradient.every((v, k) => Object.is(v, b.gradient[k]));
}

// (n, D, C, λ, parameter scale): n below, at and around the block size (256) and the 8-row groups; D not a multiple of 4.
const CASES: [number, number, number, number, number][] = [
  [1, 1, 2, 0, 0.3], [5, 3, 2, 0.3, 1], [7, 4, 3, 1e-4, 0.3], [255, 37, 10, 1e-2, 0.3], [256, 128, 10, 1e-4, 0.1],
  [257, 5, 4, 0, 3], [1000, 129, 7, 1e-3, 0.2], [2049, 64, 10, 1, 0.5], [600, 16, 3, 1e-4, 20],
];
const describe = ([n, D, C, l2, scale]: (typeof CASES)[number]) => `n ${n}, D ${D}, C ${C}, λ ${l2}, scale ${scale}`;

const presence = suite('native softmaxRegressionObjective presence');
presence('the addon has softmaxRegressionObjective (or the reason it is skipped is printed)', () => {
  if (!native && !required) {
    console.log(`  [skipped] native probe objective not available: ${why}`);
    return;
  }
  assert.ok(native, `SIMCLR_REQUIRE_NATIVE=1 but: ${why}`);
});
presence.run();

const Reference = suite('softmaxRegressionObjective JavaScript path');
Reference('equals the plain-loop reference on the case table (1e-12)', () => {
  for (const [k, c] of CASES.entries()) {
    if (c[0] > 1000) continue; // the plain loops are slow
    const problem = randomProblem(10 + k, ...c);
    assertAgree(evaluate(problem, 'js'), referenceObjective(problem), 1e-12, describe(c));
  }
});
Reference.run();

const when = (name: string) => suite(native ? name : `${name} [skipped: ${why}]`);

const Agreement = when('native softmaxRegressionObjective against the JavaScript path and the reference');
if (native) {
  Agreement('native equals the JavaScript path to 1e-10 relative on the case table', () => {
    for (const [k, c] of CASES.entries()) {
      const problem = randomProblem(100 + k, ...c);
      assertAgree(evaluate(problem, 'native'), evaluate(problem, 'js'), 1e-10, describe(c));
    }
  });

  Agreement('native equals the plain-loop reference to 1e-10 relative', () => {
    for (const [k, c] of CASES.entries()) {
      if (c[0] > 1000) continue;
      const problem = randomProblem(200 + k, ...c);
      assertAgree(evaluate(problem, 'native'), referenceObjective(problem), 1e-10, describe(c));
    }
  });

  Agreement('softmaxRegressionObjective takes the native path by default, the JavaScript one after useNativeProbeObjective(false)', () => {
    const problem = randomProblem(7, 300, 20, 5, 1e-3);
    assert.ok(sameBits(evaluate(problem, 'default'), evaluate(problem, 'native')), 'default = native, bit for bit');
    const previous = useNativeProbeObjective(false);
    try {
      assert.is(nativeSoftmaxRegressionObjective(), undefined);
      const gradient = new Float64Array(problem.parameters.length);
      const loss = softmaxRegressionObjective(problem.parameters, gradient, problem.train, problem.labels, 5, 1e-3);
      assert.ok(sameBits({ loss, gradient }, evaluate(problem, 'js')), 'forced = JavaScript, bit for bit');
      assert.not.ok(sameBits({ loss, gradient }, evaluate(problem, 'native')), 'the two paths are distinct (not bit-identical here)');
    } finally {
      useNativeProbeObjective(previous);
    }
  });

  Agreement('is deterministic: repeated calls and 1, 2, 3 or all threads give the same bits', () => {
    for (const c of [CASES[4], CASES[6], CASES[7]]) {
      const problem = randomProblem(300, ...c);
      const first = evaluate(problem, 'native');
      for (const threads of [0, 1, 2, 3, 0]) assert.ok(sameBits(evaluate(problem, 'native', threads), first), `${describe(c)}, ${threads} threads`);
    }
  });

  Agreement('fitLogisticRegression gives the same predictions and, to the tolerance, the same optimum on either path', () => {
    const { matrix, labels } = gaussianBlobs(5, { classes: 5, perClass: 120, dim: 20, separation: 1.5, noise: 1 });
    const fit = (allowNative: boolean) => {
      const previous = useNativeProbeObjective(allowNative);
      try {
        return fitLogisticRegression(matrix, labels, { l2: 1e-3, tolerance: 1e-8 });
      } finally {
        useNativeProbeObjective(previous);
      }
    };
    const fromNative = fit(true), fromJs = fit(false);
    assert.ok(fromNative.converged && fromJs.converged);
    assert.equal(Array.from(fromNative.predict(matrix)), Array.from(fromJs.predict(matrix)));
    assertClose(fromNative.finalLoss, fromJs.finalLoss, { rtol: 1e-10 });
    assertClose(fromNative.weights, fromJs.weights, { rtol: 0, atol: 1e-5 });
    const again = fit(true);
    assert.equal(Array.from(again.weights), Array.from(fromNative.weights), 'a native fit is reproducible bit for bit');
  });
}
Agreement.run();

const Errors = when('native softmaxRegressionObjective: bad input');
if (native) {
  Errors('the addon rejects wrong types, lengths, labels and aliasing with a clear message, and works after', () => {
    const { train, labels, parameters } = randomProblem(1, 10, 3, 4, 0);
    const f = train.features, g = new Float64Array(parameters.length);
    const call = (...args: unknown[]) => () => (native as unknown as (...a: unknown[]) => number)(...args);
    const types = /features must be a Float32Array, labels an Int32Array, parameters and gradient Float64Arrays/;
    assert.throws(call(Float64Array.from(f), labels, 3, 4, 0, parameters, g, 0), types);
    assert.throws(call(f, Array.from(labels), 3, 4, 0, parameters, g, 0), types);
    assert.throws(call(f, labels, 3, 4, 0, Float32Array.from(parameters), g, 0), types);
    assert.throws(call(f, labels.subarray(1), 3, 4, 0, parameters, g, 0), /features has 30 values, but 9 labels × dim 3 = 27/);
    assert.throws(call(f, labels, 5, 4, 0, parameters, g, 0), /features has 30 values, but 10 labels × dim 5 = 50/);
    assert.throws(call(f, labels, 3, 4, 0, parameters.subarray(1), g, 0), /parameters and gradient must hold numClasses × dim \+ numClasses = 16 values, got 15 and 16/);
    assert.throws(call(f, labels, 3, 4, 0, parameters, new Float64Array(17), 0), /got 16 and 17/);
    assert.throws(call(f, labels, 3, 4, 0, parameters, parameters, 0), /gradient must not share memory with parameters/);
    assert.throws(call(f, labels, 0, 4, 0, parameters, g, 0), /dim, numClasses and the label count must be ≥ 1/);
    assert.throws(call(f, labels, 3, 4, NaN, parameters, g, 0), /l2 finite/);
    assert.throws(call(f, new Int32Array(0), 3, 4, 0, parameters, g, 0), /0 labels/);
    assert.throws(call(f, labels, 3, 4, 0, parameters), /too few arguments/);
    const outside = Int32Array.from(labels);
    outside[2] = 4;
    assert.throws(call(f, outside, 3, 4, 0, parameters, g, 0), /label 4 of sample 2 is outside \[0, 4\)/);
    outside[2] = -1;
    assert.throws(call(f, outside, 3, 4, 0, parameters, g, 0), /label -1 of sample 2 is outside \[0, 4\)/);
    assert.ok(Number.isFinite(native!(f, labels, 3, 4, 0, parameters, g, 0)), 'a good call after the bad ones');
  });

  Errors('softmaxRegressionObjective on the native path rejects a label outside [0, C) and a non-integer label', () => {
    const { train, parameters } = randomProblem(3, 4, 2, 3, 0, 0);
    const gradient = new Float64Array(parameters.length);
    assert.throws(() => softmaxRegressionObjective(parameters, gradient, train, [0, 1, 3, 2], 3, 0), /label 3 of sample 2 is outside \[0, 3\)/);
    assert.throws(() => softmaxRegressionObjective(parameters, gradient, train, [0, 1, 1.5, 2], 3, 0), /label 1.5 of sample 2 is not a class index/);
    assertClose(softmaxRegressionObjective(parameters, gradient, train, [0, 1, 2, 2], 3, 0), Math.log(3), { rtol: 1e-15 }, 'W = 0: log C');
  });
}
Errors.run();

const PublicErrors = suite('softmaxRegressionObjective: bad lengths on either path');
PublicErrors('wrong lengths of features, labels, parameters or gradient throw, native or JavaScript', () => {
  const { train, labels, parameters } = randomProblem(2, 10, 3, 4, 0);
  const gradient = new Float64Array(parameters.length);
  for (const allowNative of [true, false]) {
    const previous = useNativeProbeObjective(allowNative);
    try {
      const sizes = (n: number, got: string) => new RegExp(`softmaxRegressionObjective: expected ${n} × 3 features, ${n} labels and 4 × 3 \\+ 4 = 16 parameters and gradient values, got ${got}`);
      assert.throws(() => softmaxRegressionObjective(parameters, gradient, { ...train, count: 11 }, labels, 4, 0), sizes(11, '30, 10, 16 and 16'));
      assert.throws(() => softmaxRegressionObjective(parameters, gradient, train, labels.subarray(1), 4, 0), sizes(10, '30, 9, 16 and 16'));
      assert.throws(() => softmaxRegressionObjective(parameters.subarray(1), gradient, train, labels, 4, 0), sizes(10, '30, 10, 15 and 16'));
      assert.throws(() => softmaxRegressionObjective(parameters, new Float64Array(3), train, labels, 4, 0), sizes(10, '30, 10, 16 and 3'));
    } finally {
      useNativeProbeObjective(previous);
    }
  }
});
PublicErrors.run();
