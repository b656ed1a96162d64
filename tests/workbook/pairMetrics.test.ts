import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { embedViewPairs, heldOutPairMetrics, pairMetrics } from '../../lib/workbook/pairMetrics';
import { shapesDataset } from '../../lib/data/shapes';
import { buildModel } from '../../lib/models/registry';
import { infoNCE } from '../../lib/losses/infoNCE';
import { ntXent } from '../../lib/losses/ntXent';
import { alignment, uniformity } from '../../lib/losses/alignUniform';
import { contrastiveAccuracy } from '../../lib/losses/accuracy';
import { resolveViewPipeline } from '../../lib/views/pipeline';
import { seedViews } from '../../lib/views/presets';
import { assertClose, assertNoLeak, useCpu, values } from '../helpers';

const data = shapesDataset({ size: 12, imageSize: 10, channels: 3, seed: 4 });
const model = buildModel({ encoder: 'seed', inputShape: [10, 10, 3], head: { kind: 'mlp', hiddenDim: 16, outputDim: 8 } }, 3);
/** Views that change nothing: both views of an image are the image itself. */
const identity = resolveViewPipeline({ crop: null, horizontalFlipProbability: 0, colorJitter: { probability: 0 }, grayscaleProbability: 0 });
const views = seedViews(10);

const Embed = suite('embedViewPairs');
Embed.before(useCpu);

Embed('identity views give z1 = z2 = the model\'s z of the images (inference mode)', () => {
  const { z1, z2 } = embedViewPairs(model, data, { views: identity, count: 5 });
  const direct = tf.tidy(() => model.embed(tf.div(tf.tensor4d(data.images.slice(0, 5 * 300), [5, 10, 10, 3]), 255) as tf.Tensor4D).z);
  assertClose(values(z1), values(direct), { atol: 1e-6 });
  assertClose(values(z2), values(direct), { atol: 1e-6 });
  tf.dispose([z1, z2, direct]);
});

Embed('the same seed gives the same pairs; another seed other pairs; the two views differ', () => {
  const a = embedViewPairs(model, data, { views, seed: 1 });
  const b = embedViewPairs(model, data, { views, seed: 1 });
  const c = embedViewPairs(model, data, { views, seed: 2 });
  assert.equal(a.z1.shape, [12, 8]);
  assert.equal(Array.from(a.z1.dataSync()), Array.from(b.z1.dataSync()));
  assert.equal(Array.from(a.z2.dataSync()), Array.from(b.z2.dataSync()));
  assert.not.equal(Array.from(a.z1.dataSync()), Array.from(c.z1.dataSync()));
  assert.not.equal(Array.from(a.z1.dataSync()), Array.from(a.z2.dataSync()));
  tf.dispose([a.z1, a.z2, b.z1, b.z2, c.z1, c.z2]);
});

Embed('features h gives the representation size; batching covers every image; nothing leaks', async () => {
  const { z1, z2 } = embedViewPairs(model, data, { views, features: 'h', batchSize: 5 });
  assert.equal(z1.shape, [12, model.representationDim]);
  assert.equal(z2.shape, [12, model.representationDim]);
  tf.dispose([z1, z2]);
  await assertNoLeak(() => { const p = embedViewPairs(model, data, { views, batchSize: 5 }); tf.dispose([p.z1, p.z2]); });
});

Embed('validates count, batch size and features', () => {
  assert.throws(() => embedViewPairs(model, data, { views, count: 13 }), /count must be an integer in \[2, 12\].*got 13/);
  assert.throws(() => embedViewPairs(model, data, { views, count: 1 }), /got 1/);
  assert.throws(() => embedViewPairs(model, data, { views, batchSize: 0 }), /batchSize must be a positive integer/);
  assert.throws(() => embedViewPairs(model, data, { views, features: 'x' as 'z' }), /features must be 'z' or 'h'/);
});
Embed.run();

const Metrics = suite('pairMetrics');
Metrics.before(useCpu);

Metrics('each field equals the library function it reports', async () => {
  const z1 = tf.randomNormal([10, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
  const z2 = tf.tidy(() => tf.add(z1, tf.randomNormal([10, 6], 0, 0.5, 'float32', 2))) as tf.Tensor2D;
  const m = await pairMetrics(z1, z2, { temperature: 0.2 });
  const read = (t: tf.Scalar) => { const v = t.dataSync()[0]; t.dispose(); return v; };
  assert.is(m.count, 10);
  assert.is(m.temperature, 0.2);
  assertClose(m.infoNCE, read(infoNCE(z1, z2, { temperature: 0.2 })));
  assertClose(m.ntXent, read(ntXent(z1, z2, { temperature: 0.2 })));
  assertClose(m.alignment, read(alignment(z1, z2)));
  assertClose(m.uniformity, (read(uniformity(z1)) + read(uniformity(z2))) / 2);
  assertClose(m.contrastiveAccuracy, read(contrastiveAccuracy(z1, z2)));
  assertClose(m.crossViewAccuracy, read(contrastiveAccuracy(z1, z2, { scope: 'crossView' })));
  tf.dispose([z1, z2]);
});

Metrics('identical distinct pairs: alignment 0, accuracy 1; collapsed pairs: uniformity 0, accuracy 0', async () => {
  const z = tf.randomNormal([8, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
  const same = await pairMetrics(z, z);
  assertClose(same.alignment, 0, { atol: 1e-6 });
  assert.is(same.contrastiveAccuracy, 1);
  assert.is(same.crossViewAccuracy, 1);
  assert.is(same.temperature, 0.5, 'default τ');
  const ones = tf.ones([8, 16]) as tf.Tensor2D;
  const collapsed = await pairMetrics(ones, ones);
  assertClose(collapsed.uniformity, 0, { atol: 1e-5 });
  assert.is(collapsed.contrastiveAccuracy, 0);
  assertClose(collapsed.infoNCE, Math.log(8), { rtol: 1e-5 });
  tf.dispose([z, ones]);
});
Metrics.run();

const HeldOut = suite('heldOutPairMetrics');
HeldOut.before(useCpu);

HeldOut('equals embedViewPairs then pairMetrics, and frees the embeddings', async () => {
  const { z1, z2 } = embedViewPairs(model, data, { views, seed: 9 });
  const expected = await pairMetrics(z1, z2, { temperature: 0.3 });
  tf.dispose([z1, z2]);
  assert.equal(await heldOutPairMetrics(model, data, { views, seed: 9, temperature: 0.3 }), expected);
  await assertNoLeak(() => heldOutPairMetrics(model, data, { views }));
});
HeldOut.run();
