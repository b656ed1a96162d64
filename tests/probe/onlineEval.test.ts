import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { shapesDataset } from '../../lib/data/shapes';
import { seedModel } from '../../lib/models/presets';
import { extractFeatures } from '../../lib/probe/features';
import { knnClassify } from '../../lib/probe/knn';
import { onlineKnnEvaluator } from '../../lib/probe/onlineEval';
import { assertNoLeak, useCpu } from '../helpers';

const OnlineKnn = suite('onlineKnnEvaluator');
OnlineKnn.before(useCpu);

OnlineKnn('returns the kNN accuracy of test h against train h, only on its epochs, without touching weights or leaking', async () => {
  const bank = shapesDataset({ size: 40, imageSize: 16, seed: 1 });
  const queries = shapesDataset({ size: 20, imageSize: 16, seed: 2 });
  const model = seedModel({ inputShape: [16, 16, 3] });
  const evaluate = onlineKnnEvaluator(bank, queries, { k: 5, everyEpochs: 2 });
  assert.equal(await evaluate(model, 1), {});
  const before = model.getWeights();
  const { knnAccuracy } = await evaluate(model, 2);
  const embed = (x: tf.Tensor4D) => model.representation(x);
  const direct = await knnClassify(await extractFeatures(embed, bank), bank.labels, await extractFeatures(embed, queries), queries.labels, { k: 5, numClasses: 10 });
  assert.is(knnAccuracy, direct.accuracy);
  const after = model.getWeights();
  before.forEach((w, i) => assert.equal(Array.from(w.dataSync()), Array.from(after[i].dataSync())));
  [...before, ...after].forEach((t) => t.dispose());
  await assertNoLeak(() => evaluate(model, 2));
  model.dispose();
  assert.throws(() => onlineKnnEvaluator(bank, queries, { everyEpochs: 0 }), /everyEpochs must be an integer >= 1/);
});

OnlineKnn.run();
