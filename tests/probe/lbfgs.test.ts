import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { minimizeLbfgs, ObjectiveFunction } from '../../lib/probe/lbfgs';
import { assertClose } from '../helpers';

/** f(x) = ½ Σ_k a_k (x_k − c_k)², condition number max(a)/min(a). */
function quadratic(a: number[], c: number[]): ObjectiveFunction {
  return (x, g) => {
    let f = 0;
    for (let k = 0; k < x.length; k++) {
      const d = x[k] - c[k];
      f += 0.5 * a[k] * d * d;
      g[k] = a[k] * d;
    }
    return f;
  };
}

/** Rosenbrock's banana, minimum 0 at (1, 1). */
const rosenbrock: ObjectiveFunction = (x, g) => {
  const [u, v] = x;
  g[0] = -2 * (1 - u) - 400 * u * (v - u * u);
  g[1] = 200 * (v - u * u);
  return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
};

const Minimize = suite('minimizeLbfgs');

Minimize('finds the minimum of an ill-conditioned quadratic (κ = 1e4) to the gradient tolerance', () => {
  const a = Array.from({ length: 30 }, (_, k) => 10 ** (4 * k / 29));
  const c = Array.from({ length: 30 }, (_, k) => Math.sin(k + 1));
  const result = minimizeLbfgs(quadratic(a, c), new Float64Array(30), { tolerance: 1e-9 });
  assert.ok(result.converged, result.stopReason);
  assert.is(result.stopReason, 'gradientTolerance');
  assert.ok(result.gradientNorm <= 1e-9);
  assertClose(result.x, c, { atol: 1e-9, rtol: 0 });
  // Gradient descent with step 1/L would need ~κ·ln(1e13) ≈ 3e5 iterations; PyTorch's LBFGS (history 10,
  // strong Wolfe) needed 4780 on this problem. Ours took 942.
  assert.ok(result.iterations < 2000, `iterations ${result.iterations}`);
});

Minimize('solves the Rosenbrock function from (−1.2, 1)', () => {
  const result = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { tolerance: 1e-10 });
  assert.ok(result.converged, `${result.stopReason} at ${result.x}`);
  assertClose(result.x, [1, 1], { atol: 1e-8, rtol: 0 });
  assert.ok(result.value < 1e-16);
});

Minimize('stops at once at an optimum, and honours maxIterations = 0; x0 is not modified', () => {
  const f = quadratic([1, 2], [3, 4]);
  const atOptimum = minimizeLbfgs(f, Float64Array.from([3, 4]));
  assert.is(atOptimum.iterations, 0);
  assert.is(atOptimum.stopReason, 'gradientTolerance');
  const x0 = Float64Array.from([0, 0]);
  const capped = minimizeLbfgs(f, x0, { maxIterations: 0 });
  assert.is(capped.stopReason, 'maxIterations');
  assert.not.ok(capped.converged);
  assert.equal(Array.from(capped.x), [0, 0]);
  minimizeLbfgs(f, x0);
  assert.equal(Array.from(x0), [0, 0]);
});

Minimize('is deterministic to the bit', () => {
  const r1 = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]));
  const r2 = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]));
  assert.equal(Array.from(r1.x), Array.from(r2.x));
  assert.is(r1.iterations, r2.iterations);
});

Minimize('rejects bad options and a non-finite start', () => {
  const f = quadratic([1], [0]);
  assert.throws(() => minimizeLbfgs(f, new Float64Array(1), { maxIterations: -1 }), /maxIterations must be an integer ≥ 0, got -1/);
  assert.throws(() => minimizeLbfgs(f, new Float64Array(1), { tolerance: NaN }), /tolerance must be ≥ 0/);
  assert.throws(() => minimizeLbfgs(f, new Float64Array(1), { memory: 0 }), /memory must be a positive integer/);
  assert.throws(() => minimizeLbfgs(() => NaN, new Float64Array(1)), /objective is NaN at the starting point/);
});

Minimize.run();
