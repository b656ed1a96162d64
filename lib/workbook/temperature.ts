/**
 * What the temperature τ does to one anchor's InfoNCE term: how peaked the softmax over its candidates is,
 * and how the gradient is shared out among its negatives (Wang & Liu 2021, "Understanding the behaviour of
 * contrastive loss", arXiv 2012.09740: small τ concentrates the penalty on the hardest negatives).
 */

/** One anchor's term at one τ; plain numbers (float64), no tensors. */
export interface TemperatureProfile {
  temperature: number;
  /** p₊ = e^{s₊/τ} / (e^{s₊/τ} + Σ_k e^{s_k/τ}): the softmax probability of the positive. */
  positiveProbability: number;
  /** Softmax probabilities p_k of the negatives, in the order given. */
  negativeProbabilities: Float64Array;
  /** The anchor's loss −log p₊ (nats). */
  loss: number;
  /** ∂loss/∂s_k = p_k / τ for each negative similarity s_k (cosines, not logits): the push on that negative. */
  negativeGradients: Float64Array;
  /** ∂loss/∂s₊ = −(1 − p₊) / τ: the pull on the positive (equal to minus the sum of the negatives' pushes). */
  positiveGradient: number;
  /** exp(entropy) of the negatives' normalised weights: how many negatives effectively receive gradient (K when uniform, 1 when one takes all). */
  effectiveNegatives: number;
  /** Share of the total push that goes to the ⌈fraction·K⌉ most similar (hardest) negatives. */
  hardestShare: number;
}

/**
 * The softmax, loss and gradient of one anchor's InfoNCE term −log( e^{s₊/τ} / (e^{s₊/τ} + Σ_k e^{s_k/τ}) ),
 * for cosine similarities s₊ (positive) and s_k (K negatives), computed stably in float64.
 * @param hardestFraction fraction of negatives counted as hardest (default 0.1, the top 10%).
 */
export function temperatureProfile(positive: number, negatives: ArrayLike<number>, temperature: number, hardestFraction = 0.1): TemperatureProfile {
  if (!(temperature > 0) || !Number.isFinite(temperature)) throw new Error(`temperatureProfile: temperature must be a finite number > 0, got ${temperature}`);
  if (!Number.isFinite(positive)) throw new Error(`temperatureProfile: positive must be a finite similarity, got ${positive}`);
  const count = negatives?.length ?? 0;
  if (count < 1) throw new Error('temperatureProfile: needs at least one negative similarity');
  for (let k = 0; k < count; k++) {
    if (!Number.isFinite(negatives[k])) throw new Error(`temperatureProfile: negative ${k} is ${negatives[k]}, expected a finite similarity`);
  }
  if (!(hardestFraction > 0 && hardestFraction <= 1)) throw new Error(`temperatureProfile: hardestFraction must be in (0, 1], got ${hardestFraction}`);

  let maxLogit = positive / temperature; // subtract the largest logit before exp: no overflow at small τ
  for (let k = 0; k < count; k++) maxLogit = Math.max(maxLogit, negatives[k] / temperature);
  const positiveWeight = Math.exp(positive / temperature - maxLogit);
  const negativeWeights = Float64Array.from({ length: count }, (_, k) => Math.exp(negatives[k] / temperature - maxLogit));
  const negativeSum = negativeWeights.reduce((a, b) => a + b, 0);
  const total = positiveWeight + negativeSum;
  const negativeProbabilities = negativeWeights.map((w) => w / total);
  const positiveProbability = positiveWeight / total;
  const loss = Math.log(total) - (positive / temperature - maxLogit);

  let entropy = 0;
  for (const w of negativeWeights) {
    const q = w / negativeSum;
    if (q > 0) entropy -= q * Math.log(q);
  }
  const hardest = Math.ceil(hardestFraction * count - 1e-9);
  const sorted = Array.from(negativeWeights).sort((a, b) => b - a);
  const hardestSum = sorted.slice(0, hardest).reduce((a, b) => a + b, 0);

  return {
    temperature,
    positiveProbability,
    negativeProbabilities,
    loss,
    negativeGradients: negativeProbabilities.map((p) => p / temperature),
    positiveGradient: -(negativeSum / total) / temperature, // 1 − p₊ computed as Σp_k: exact when p₊ ≈ 1
    effectiveNegatives: Math.exp(entropy),
    hardestShare: hardestSum / negativeSum,
  };
}
