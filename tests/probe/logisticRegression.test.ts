import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { fitLogisticRegression, softmaxRegressionObjective } from '../../lib/probe/logisticRegression';
import { assertClose } from '../helpers';
import { gaussianBlobs, matrixOf } from './synthetic';
import { referenceSoftmaxObjective } from './reference';

/** The plain-loop reference (tests/probe/reference.ts). */
const referenceObjective = referenceSoftmaxObjective;

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]));
  return m;
}

function parametersOf(model: { weights: Float64Array; bias: Float64Array }): Float64Array {
  const p = new Float64Array(model.weights.length + model.bias.length);
  p.set(model.weights);
  p.set(model.bias, model.weights.length);
  return p;
}

const overlapping = gaussianBlobs(11, { classes: 3, perClass: 50, dim: 5, separation: 1.5, noise: 1 });

const Objective = suite('softmaxRegressionObjective');

Objective('equals the plain-loop reference and its gradient matches central finite differences', () => {
  const { matrix, labels } = gaussianBlobs(3, { classes: 4, perClass: 3, dim: 3, separation: 2, noise: 1 }); // n = 12: blocks + no remainder
  const C = 4, size = C * 3 + C;
  const p = Float64Array.from({ length: size }, (_, k) => Math.sin(3 * k + 1));
  const g = new Float64Array(size);
  const loss = softmaxRegressionObjective(p, g, matrix, labels, C, 0.3);
  const reference = referenceObjective(p, matrix, labels, C, 0.3);
  assertClose(loss, reference.loss, { rtol: 1e-12 });
  assertClose(g, reference.gradient, { rtol: 1e-10, atol: 1e-12 });
  const h = 1e-6;
  for (let k = 0; k < size; k++) {
    const plus = Float64Array.from(p); plus[k] += h;
    const minus = Float64Array.from(p); minus[k] -= h;
    const scratch = new Float64Array(size);
    const numeric = (softmaxRegressionObjective(plus, scratch, matrix, labels, C, 0.3) - softmaxRegressionObjective(minus, scratch, matrix, labels, C, 0.3)) / (2 * h);
    assertClose(g[k], numeric, { rtol: 1e-6, atol: 1e-8 }, `parameter ${k}`);
  }
});

Objective.run();

const Fit = suite('fitLogisticRegression');

Fit('separable blobs (5 classes, 20-D, far apart): 100% training accuracy, converged', () => {
  const { matrix, labels } = gaussianBlobs(1, { classes: 5, perClass: 40, dim: 20, separation: 10, noise: 1 });
  const model = fitLogisticRegression(matrix, labels);
  assert.ok(model.converged, model.stopReason);
  assert.equal(Array.from(model.predict(matrix)), Array.from(labels));
});

Fit('overlapping classes: the optimality condition holds (reference gradient ≈ 0) and the loss beats long gradient descent', () => {
  const l2 = 1e-2, C = 3;
  // Tolerance 1e-8: at 1e-9 the loss decrease per step (~1e-17) is below the loss's rounding (ulp 1.1e-16), so whether
  // the line search still finds a step is luck, on either objective path (seeds 13, 15, 16: lineSearchFailed in JavaScript).
  const model = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2, tolerance: 1e-8 });
  assert.ok(model.converged, model.stopReason);
  const atSolution = referenceObjective(parametersOf(model), overlapping.matrix, overlapping.labels, C, l2);
  assert.ok(maxAbs(atSolution.gradient) < 1e-8, `reference gradient ${maxAbs(atSolution.gradient)}`);
  assertClose(model.finalLoss, atSolution.loss, { rtol: 1e-12 });
  // Reference: full-batch gradient descent with step 1/L, L = ½·max‖[x, 1]‖² + λ (bounds the Hessian), 4000 steps.
  const { features, dim, count } = overlapping.matrix;
  let maxNorm = 0;
  for (let i = 0; i < count; i++) {
    let s = 1;
    for (let j = 0; j < dim; j++) s += features[i * dim + j] ** 2;
    maxNorm = Math.max(maxNorm, s);
  }
  const step = 1 / (0.5 * maxNorm + l2);
  const p = new Float64Array(C * dim + C);
  let last = referenceObjective(p, overlapping.matrix, overlapping.labels, C, l2);
  for (let t = 0; t < 4000; t++) {
    for (let k = 0; k < p.length; k++) p[k] -= step * last.gradient[k];
    last = referenceObjective(p, overlapping.matrix, overlapping.labels, C, l2);
  }
  assert.ok(model.finalLoss <= last.loss + 1e-12, `L-BFGS ${model.finalLoss} vs gradient descent ${last.loss}`);
  assert.ok(last.loss - model.finalLoss < 1e-6, 'gradient descent run long should nearly reach the same optimum');
  // The accuracies of both solutions agree.
  const accuracy = (pred: Int32Array) => pred.reduce((a, v, i) => a + (v === overlapping.labels[i] ? 1 : 0), 0);
  const gdModelPredictions = Array.from({ length: count }, (_, i) => {
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = p[C * dim + c];
      for (let j = 0; j < dim; j++) s += p[c * dim + j] * features[i * dim + j];
      if (s > bestScore) { bestScore = s; best = c; }
    }
    return best;
  });
  assert.is(accuracy(model.predict(overlapping.matrix)), accuracy(Int32Array.from(gdModelPredictions)));
});

Fit('larger l2 shrinks the weights; a huge l2 leaves the unpenalised bias at the centred log class priors', () => {
  const norms = [1e-4, 1e-2, 1e-1, 1].map((l2) => {
    const w = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2 }).weights;
    return Math.sqrt(w.reduce((a, v) => a + v * v, 0));
  });
  for (let k = 1; k < norms.length; k++) assert.ok(norms[k] < norms[k - 1], `‖W‖ for increasing l2: ${norms}`);
  // Priors 1/2, 1/3, 1/6: with W ≈ 0 the optimal bias satisfies softmax(b) = priors.
  const labels = Int32Array.from({ length: 60 }, (_, i) => (i % 6 < 3 ? 0 : i % 6 < 5 ? 1 : 2));
  const matrix = { features: Float32Array.from({ length: 60 * 2 }, (_, k) => Math.cos(k)), dim: 2, count: 60 };
  const model = fitLogisticRegression(matrix, labels, { l2: 1e6, tolerance: 1e-10 });
  assert.ok(maxAbs(model.weights) < 1e-6);
  const centred = (v: number[]) => v.map((x) => x - v.reduce((a, b) => a + b, 0) / v.length);
  assertClose(centred(Array.from(model.bias)), centred([Math.log(1 / 2), Math.log(1 / 3), Math.log(1 / 6)]), { atol: 1e-6 });
});

Fit('is deterministic to the bit and reports l2, iterations and the final loss', () => {
  const a = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2: 1e-3 });
  const b = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2: 1e-3 });
  assert.equal(Array.from(a.weights), Array.from(b.weights));
  assert.equal(Array.from(a.bias), Array.from(b.bias));
  assert.is(a.l2, 1e-3);
  assert.ok(a.iterations > 0 && a.iterations === b.iterations);
  assert.ok(a.finalLoss > 0 && a.finalLoss < Math.log(3), 'better than the uniform predictor');
  assert.ok(maxAbs(a.weights) > 0.1, 'the probe learned non-zero weights');
});

Fit('a warm start from the solution at a nearer λ reaches the same optimum in fewer iterations; a start at the optimum stops at once', () => {
  const cold = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2: 1e-3, tolerance: 1e-8 });
  const neighbour = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2: 1e-2, tolerance: 1e-8 });
  const warm = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2: 1e-3, tolerance: 1e-8, start: neighbour });
  assert.ok(cold.converged && warm.converged);
  assert.ok(warm.iterations < cold.iterations, `warm ${warm.iterations} vs cold ${cold.iterations} iterations`);
  // Strongly convex at λ = 1e-3: both ends satisfy ‖∇‖∞ ≤ 1e-8, so the weights agree far below the features' scale.
  assert.ok(maxAbs(parametersOf(warm).map((v, k) => v - parametersOf(cold)[k])) < 1e-5, 'same optimum from either start');
  assertClose(warm.finalLoss, cold.finalLoss, { rtol: 1e-10 });
  const again = fitLogisticRegression(overlapping.matrix, overlapping.labels, { l2: 1e-3, tolerance: 1e-6, start: cold });
  assert.is(again.iterations, 0, 'the optimum already meets the tolerance');
  assert.equal(Array.from(again.weights), Array.from(cold.weights));
  assert.throws(() => fitLogisticRegression(overlapping.matrix, overlapping.labels, { start: { weights: new Float64Array(3), bias: new Float64Array(3) } }), /start must hold 3 × 5 weights and 3 biases, got 3 and 3/);
  assert.throws(() => fitLogisticRegression(overlapping.matrix, overlapping.labels, { start: { weights: new Float64Array(15).fill(NaN), bias: new Float64Array(3) } }), /start holds a non-finite number/);
});

Fit('rejects one class only, NaN features, mismatched lengths and bad options, with clear messages', () => {
  const m = matrixOf([[1, 2], [3, 4], [5, 6]]);
  assert.throws(() => fitLogisticRegression(m, [1, 1, 1]), /only one class \(1\); a classifier needs at least two/);
  assert.throws(() => fitLogisticRegression(matrixOf([[1, 2], [NaN, 4]]), [0, 1]), /feature 0 of sample 1 is NaN/);
  assert.throws(() => fitLogisticRegression(m, [0, 1]), /2 labels for 3 feature vectors/);
  assert.throws(() => fitLogisticRegression(m, [0, 1, 0], { l2: -1 }), /l2 must be a finite number ≥ 0, got -1/);
  assert.throws(() => fitLogisticRegression(m, [0, 1, 2], { numClasses: 2 }), /label 2 of sample 2 is outside \[0, 2\)/);
  assert.throws(() => fitLogisticRegression({ features: new Float32Array(0), dim: 2, count: 0 }, []), /empty/);
  const model = fitLogisticRegression(m, [0, 1, 0]);
  assert.throws(() => model.predict(matrixOf([[1, 2, 3]])), /fitted on D = 2, features have D = 3/);
});

Fit.run();
