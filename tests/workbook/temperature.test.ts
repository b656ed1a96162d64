import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { temperatureProfile } from '../../lib/workbook/temperature';
import { assertClose } from '../helpers';

/** A plain loop from the definition: −log softmax of the positive among [positive, ...negatives] / τ. */
function referenceLoss(positive: number, negatives: number[], temperature: number): number {
  const logits = [positive, ...negatives].map((s) => s / temperature);
  const max = Math.max(...logits);
  return Math.log(logits.reduce((sum, l) => sum + Math.exp(l - max), 0)) + max - logits[0];
}

const negatives = [0.62, -0.1, 0.3, 0.05, -0.4, 0.9, 0.0, 0.2, -0.25, 0.45];
const Profile = suite('temperatureProfile');

Profile('loss and probabilities match the definition; probabilities sum to 1', () => {
  for (const t of [0.05, 0.1, 0.5, 2]) {
    const p = temperatureProfile(0.8, negatives, t);
    assertClose(p.loss, referenceLoss(0.8, negatives, t), { rtol: 1e-12, atol: 1e-12 }, `τ ${t}`);
    assertClose(p.loss, -Math.log(p.positiveProbability), { rtol: 1e-9, atol: 1e-12 });
    assertClose(p.positiveProbability + p.negativeProbabilities.reduce((a, b) => a + b, 0), 1, { rtol: 1e-12 });
  }
});

Profile('gradients equal central finite differences of the loss in each similarity', () => {
  const t = 0.2;
  const h = 1e-6;
  const p = temperatureProfile(0.8, negatives, t);
  for (let k = 0; k < negatives.length; k++) {
    const up = negatives.slice(); up[k] += h;
    const down = negatives.slice(); down[k] -= h;
    const numeric = (referenceLoss(0.8, up, t) - referenceLoss(0.8, down, t)) / (2 * h);
    assertClose(p.negativeGradients[k], numeric, { rtol: 1e-6, atol: 1e-9 }, `negative ${k}`);
  }
  const numericPositive = (referenceLoss(0.8 + h, negatives, t) - referenceLoss(0.8 - h, negatives, t)) / (2 * h);
  assertClose(p.positiveGradient, numericPositive, { rtol: 1e-6, atol: 1e-9 });
  const push = p.negativeGradients.reduce((a, b) => a + b, 0);
  assertClose(p.positiveGradient, -push, { rtol: 1e-12 }, 'the pull on the positive balances the pushes');
});

Profile('a very high τ spreads the push evenly: K effective negatives, the top 10% get 10%', () => {
  const p = temperatureProfile(0.8, negatives, 1e6);
  assertClose(p.effectiveNegatives, negatives.length, { rtol: 1e-6 });
  assertClose(p.hardestShare, 1 / negatives.length, { rtol: 1e-5 }, 'top ⌈0.1·10⌉ = 1 of 10');
  assertClose(temperatureProfile(0.8, negatives, 1e6, 0.3).hardestShare, 3 / 10, { rtol: 1e-5 });
});

Profile('a very low τ puts nearly all the push on the hardest negative', () => {
  const p = temperatureProfile(0.8, negatives, 0.005);
  assert.ok(p.hardestShare > 0.9999, `share ${p.hardestShare}`);
  assert.ok(p.effectiveNegatives < 1.001, `effective ${p.effectiveNegatives}`);
  assert.ok(p.negativeGradients.indexOf(Math.max(...p.negativeGradients)) === negatives.indexOf(0.9), 'the hardest negative is the most similar');
});

Profile('lowering τ monotonically concentrates the push (fewer effective negatives, larger hardest share)', () => {
  const temperatures = [1, 0.5, 0.2, 0.1, 0.05];
  const profiles = temperatures.map((t) => temperatureProfile(0.8, negatives, t));
  for (let i = 1; i < profiles.length; i++) {
    assert.ok(profiles[i].effectiveNegatives < profiles[i - 1].effectiveNegatives, `effective at τ ${temperatures[i]}`);
    assert.ok(profiles[i].hardestShare > profiles[i - 1].hardestShare, `share at τ ${temperatures[i]}`);
  }
});

Profile('stable at small τ with similarities near 1 (no overflow, no NaN)', () => {
  const p = temperatureProfile(0.999, [0.998, 0.997, -1], 0.001);
  assert.ok(Number.isFinite(p.loss) && p.loss > 0);
  assert.ok([...p.negativeGradients, p.positiveGradient, p.effectiveNegatives, p.hardestShare].every(Number.isFinite));
  assertClose(p.loss, referenceLoss(0.999, [0.998, 0.997, -1], 0.001), { rtol: 1e-9 });
});

Profile('rejects bad input with a clear message', () => {
  assert.throws(() => temperatureProfile(0.5, negatives, 0), /temperature must be a finite number > 0, got 0/);
  assert.throws(() => temperatureProfile(0.5, [], 0.5), /at least one negative/);
  assert.throws(() => temperatureProfile(NaN, negatives, 0.5), /positive must be a finite similarity/);
  assert.throws(() => temperatureProfile(0.5, [0.1, Infinity], 0.5), /negative 1 is Infinity/);
  assert.throws(() => temperatureProfile(0.5, negatives, 0.5, 0), /hardestFraction must be in \(0, 1\]/);
});
Profile.run();
