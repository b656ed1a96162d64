/**
 * The two dense products of softmax regression, written for V8: scores S = X Wᵀ + b and gradient
 * G = Rᵀ X. Four samples share each weight load (register blocking), which runs ~3× faster than the
 * plain triple loop here (float64 accumulation, features read from float32). The JavaScript path of the softmax-regression
 * objective and of predict; the objective's native path (lib/native/softmax_regression.cc) computes both products itself.
 */

/**
 * S[i, c] = b[c] + Σ_j W[c, j] · X[i, j].
 * @param features X (n, D) row-major.  @param weights W (C, D) row-major.  @param bias b (C).
 * @param scores S (n, C) row-major, overwritten.
 */
export function linearScores(
  features: Float32Array, count: number, dim: number, weights: Float64Array, bias: Float64Array, numClasses: number, scores: Float64Array,
): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r0 = i * dim, r1 = r0 + dim, r2 = r1 + dim, r3 = r2 + dim;
    for (let c = 0; c < numClasses; c++) {
      const w = c * dim;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = 0; j < dim; j++) {
        const v = weights[w + j];
        s0 += v * features[r0 + j];
        s1 += v * features[r1 + j];
        s2 += v * features[r2 + j];
        s3 += v * features[r3 + j];
      }
      const b = bias[c];
      scores[i * numClasses + c] = s0 + b;
      scores[(i + 1) * numClasses + c] = s1 + b;
      scores[(i + 2) * numClasses + c] = s2 + b;
      scores[(i + 3) * numClasses + c] = s3 + b;
    }
  }
  for (; i < count; i++) {
    const row = i * dim;
    for (let c = 0; c < numClasses; c++) {
      const w = c * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) s += weights[w + j] * features[row + j];
      scores[i * numClasses + c] = s + bias[c];
    }
  }
}

/**
 * G[c, j] += Σ_i R[i, c] · X[i, j]  (G = Rᵀ X, accumulated into G).
 * @param residuals R (n, C) row-major.  @param features X (n, D) row-major.  @param gradient G (C, D), added to.
 */
export function accumulateResidualProduct(
  residuals: Float64Array, features: Float32Array, count: number, dim: number, numClasses: number, gradient: Float64Array,
): void {
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const r0 = i * dim, r1 = r0 + dim, r2 = r1 + dim, r3 = r2 + dim;
    for (let c = 0; c < numClasses; c++) {
      const a0 = residuals[i * numClasses + c];
      const a1 = residuals[(i + 1) * numClasses + c];
      const a2 = residuals[(i + 2) * numClasses + c];
      const a3 = residuals[(i + 3) * numClasses + c];
      const w = c * dim;
      for (let j = 0; j < dim; j++) {
        gradient[w + j] += a0 * features[r0 + j] + a1 * features[r1 + j] + a2 * features[r2 + j] + a3 * features[r3 + j];
      }
    }
  }
  for (; i < count; i++) {
    const row = i * dim;
    for (let c = 0; c < numClasses; c++) {
      const a = residuals[i * numClasses + c];
      const w = c * dim;
      for (let j = 0; j < dim; j++) gradient[w + j] += a * features[row + j];
    }
  }
}
