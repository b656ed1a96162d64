import { suite } from 'uvu';
import { linearScores, accumulateResidualProduct } from '../../lib/probe/matmul';
import { Rng } from '../../lib/rng';
import { assertClose } from '../helpers';

function randomArray(rng: Rng, n: number, Type: Float32ArrayConstructor | Float64ArrayConstructor) {
  const a = new Type(n);
  for (let k = 0; k < n; k++) a[k] = rng.normal();
  return a;
}

const Scores = suite('linearScores');

Scores('equals the plain triple loop, including the rows left over from blocks of four', () => {
  const rng = new Rng(5);
  for (const count of [1, 4, 7, 9]) {
    const dim = 6, C = 3;
    const x = randomArray(rng, count * dim, Float32Array) as Float32Array;
    const w = randomArray(rng, C * dim, Float64Array) as Float64Array;
    const b = randomArray(rng, C, Float64Array) as Float64Array;
    const scores = new Float64Array(count * C).fill(99);
    linearScores(x, count, dim, w, b, C, scores);
    const expected: number[] = [];
    for (let i = 0; i < count; i++) for (let c = 0; c < C; c++) {
      let s = b[c];
      for (let j = 0; j < dim; j++) s += w[c * dim + j] * x[i * dim + j];
      expected.push(s);
    }
    assertClose(scores, expected, { rtol: 1e-12, atol: 1e-12 }, `count ${count}`);
  }
});

Scores.run();

const Residual = suite('accumulateResidualProduct');

Residual('adds Rᵀ X to the gradient, including leftover rows', () => {
  const rng = new Rng(6);
  for (const count of [1, 4, 6, 11]) {
    const dim = 5, C = 4;
    const x = randomArray(rng, count * dim, Float32Array) as Float32Array;
    const r = randomArray(rng, count * C, Float64Array) as Float64Array;
    const g = new Float64Array(C * dim).fill(1);
    accumulateResidualProduct(r, x, count, dim, C, g);
    const expected: number[] = [];
    for (let c = 0; c < C; c++) for (let j = 0; j < dim; j++) {
      let s = 1;
      for (let i = 0; i < count; i++) s += r[i * C + c] * x[i * dim + j];
      expected.push(s);
    }
    assertClose(g, expected, { rtol: 1e-12, atol: 1e-12 }, `count ${count}`);
  }
});

Residual.run();
