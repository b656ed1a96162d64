import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { infoNCE, ntXent } from '../../lib/losses';
import { Rng } from '../../lib/rng';
import { assertClose, assertNoLeak, useCpu } from '../helpers';

/** A scalar-tensor temperature (what a learnable log-temperature produces) must give the number's loss, and a correct dL/dlogτ. */
const TensorTemperature = suite('losses with a tensor temperature');
TensorTemperature.before(useCpu);

function randomPair(n: number, d: number, seed: number): [tf.Tensor2D, tf.Tensor2D] {
  const rng = new Rng(seed);
  const make = () => tf.tensor2d(Array.from({ length: n * d }, () => rng.normal()), [n, d]);
  return [make(), make()];
}

for (const [name, loss] of [['ntXent', ntXent], ['infoNCE', infoNCE]] as const) {
  TensorTemperature(`${name}: tensor τ equals number τ, and dL/dlogτ matches central differences`, async () => {
    const [z1, z2] = randomPair(6, 5, 11);
    for (const tau of [0.05, 0.2, 0.5, 1]) {
      const fromNumber = loss(z1, z2, { temperature: tau }).arraySync() as number;
      const fromTensor = tf.tidy(() => loss(z1, z2, { temperature: tf.scalar(tau) }).arraySync() as number);
      assertClose(fromTensor, fromNumber, { rtol: 1e-5, atol: 1e-6 }, `τ=${tau}`);
      const logTau = Math.log(tau);
      const grad = tf.tidy(() => tf.grad((lt: tf.Tensor) => loss(z1, z2, { temperature: tf.exp(lt) as tf.Scalar }))(tf.scalar(logTau)).arraySync() as number);
      const h = 1e-2;
      const plus = loss(z1, z2, { temperature: Math.exp(logTau + h) }).arraySync() as number;
      const minus = loss(z1, z2, { temperature: Math.exp(logTau - h) }).arraySync() as number;
      assertClose(grad, (plus - minus) / (2 * h), { rtol: 2e-2, atol: 1e-3 }, `gradient at τ=${tau}`);
    }
    await assertNoLeak(() => tf.tidy(() => { tf.grad((lt: tf.Tensor) => loss(z1, z2, { temperature: tf.exp(lt) as tf.Scalar }))(tf.scalar(0)); }));
    assert.ok(true);
    z1.dispose();
    z2.dispose();
  });
}

TensorTemperature.run();
