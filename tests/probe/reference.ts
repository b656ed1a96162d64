/**
 * The slow, obvious reference for softmax regression: loss and gradient written straight from the formula with plain
 * loops in float64 (parameters [W (C·D, row-major), b (C)]), max-shifted before exp so large scores cannot overflow:
 * L = (1/n) Σ_i [logsumexp_c(s_ic) − s_{i,y_i}] + (λ/2)‖W‖²,  s_ic = W_c·x_i + b_c.
 */
import { FeatureMatrix } from '../../lib/probe/validate';

export function referenceSoftmaxObjective(p: ArrayLike<number>, m: FeatureMatrix, y: ArrayLike<number>, C: number, l2: number): { loss: number; gradient: Float64Array } {
  const { features, dim, count } = m;
  const g = new Float64Array(p.length);
  let loss = 0;
  for (let i = 0; i < count; i++) {
    const s: number[] = [];
    for (let c = 0; c < C; c++) {
      let v = p[C * dim + c];
      for (let j = 0; j < dim; j++) v += p[c * dim + j] * features[i * dim + j];
      s.push(v);
    }
    const top = Math.max(...s);
    const z = s.reduce((acc, v) => acc + Math.exp(v - top), 0);
    loss += top + Math.log(z) - s[y[i]];
    for (let c = 0; c < C; c++) {
      const r = Math.exp(s[c] - top) / z - (c === y[i] ? 1 : 0);
      g[C * dim + c] += r / count;
      for (let j = 0; j < dim; j++) g[c * dim + j] += (r * features[i * dim + j]) / count;
    }
  }
  let norm = 0;
  for (let k = 0; k < C * dim; k++) { norm += p[k] * p[k]; g[k] += l2 * p[k]; }
  return { loss: loss / count + 0.5 * l2 * norm, gradient: g };
}
