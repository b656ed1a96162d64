import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { probeEncoder, probeRawPixels, LabeledImages } from '../../lib/probe/evaluate';
import { tunedLinearProbe, TunedProbeResult } from '../../lib/probe/tunedProbe';
import { extractFeatures } from '../../lib/probe/features';
import { standardizeTrainTest, rawPixelFeatures } from '../../lib/probe/standardize';
import { linearProbe } from '../../lib/probe/linearProbe';
import { knnClassify } from '../../lib/probe/knn';
import { Rng } from '../../lib/rng';
import { assertNoLeak, assertThrowsAsync, useCpu } from '../helpers';

/** 8×8 grey images: class c ∈ {0, 1, 2} has a bright 4×4 square in quadrant c, plus uniform noise. */
function quadrantImages(seed: number, n: number): LabeledImages & { labels: Int32Array } {
  const rng = new Rng(seed);
  const images = new Uint8Array(n * 64);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    labels[i] = c;
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const inSquare = Math.floor(y / 4) === Math.floor(c / 2) && Math.floor(x / 4) === c % 2;
      images[i * 64 + y * 8 + x] = Math.min(255, (inSquare ? 150 : 0) + rng.int(100));
    }
  }
  return { images, shape: [n, 8, 8, 1], labels, classNames: ['top-left', 'top-right', 'bottom-left'] };
}

const train = quadrantImages(1, 60);
const test = quadrantImages(2, 30);
let encoder: tf.LayersModel;

const Encoder = suite('probeEncoder');
Encoder.before(async () => {
  await useCpu();
  encoder = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [8, 8, 1] }),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }),
    ],
  });
});
Encoder.after(() => {
  encoder.dispose();
});

Encoder('equals extract → standardise (train statistics) → linear probe done by hand; learns the task', async () => {
  const report = await probeEncoder(encoder, train, test, { batchSize: 16 });
  const trainFeatures = await extractFeatures(encoder, train);
  const testFeatures = await extractFeatures(encoder, test);
  const s = standardizeTrainTest(trainFeatures, testFeatures);
  const manual = linearProbe(s.train, train.labels, s.test, test.labels);
  assert.is(report.linear.accuracy, manual.accuracy);
  assert.equal(Array.from(report.linear.model.weights), Array.from(manual.model.weights));
  assert.equal([report.dim, report.numClasses, report.linear.trainCount, report.linear.testCount], [16, 3, 60, 30]);
  assert.ok(report.linear.accuracy >= 0.9, `accuracy ${report.linear.accuracy}`);
  assert.is(report.knn, undefined);
});

Encoder("the encoder's weights do not change while the probe learns non-zero weights; timings add up; no leak", async () => {
  const before = encoder.getWeights().map((w) => Array.from(w.dataSync()));
  const report = await probeEncoder(encoder, train, test);
  assert.equal(encoder.getWeights().map((w) => Array.from(w.dataSync())), before);
  assert.ok(report.linear.model.weights.some((w) => Math.abs(w) > 1e-3), 'probe weights are all ~0');
  const { extractSeconds, linearSeconds, knnSeconds, totalSeconds } = report.timing;
  assert.ok(extractSeconds > 0 && linearSeconds > 0 && knnSeconds === 0);
  assert.ok(totalSeconds >= extractSeconds + linearSeconds - 1e-9);
  await assertNoLeak(() => probeEncoder(encoder, train, test, { knn: true }));
});

Encoder('tuneL2: the λ is chosen on a validation split of the training features, exactly as tunedLinearProbe does by hand', async () => {
  const report = await probeEncoder(encoder, train, test, { tuneL2: { l2Grid: [1e-3, 1e-1, 10] }, linear: { l2: 123 } });
  const s = standardizeTrainTest(await extractFeatures(encoder, train), await extractFeatures(encoder, test));
  const manual = tunedLinearProbe(s.train, train.labels, s.test, test.labels, { l2Grid: [1e-3, 1e-1, 10], numClasses: 3 });
  assert.equal(Array.from(report.linear.testPredictions), Array.from(manual.testPredictions));
  assert.is(report.linear.l2, manual.l2);
  assert.ok([1e-3, 1e-1, 10].includes(report.linear.l2), `the fixed l2 (123) was not used: ${report.linear.l2}`);
  assert.equal((report.linear as TunedProbeResult).search.map((p) => p.l2), [1e-3, 1e-1, 10]);
});

Encoder('kNN, when asked, runs on the unstandardised features with the options given', async () => {
  const report = await probeEncoder(encoder, train, test, { knn: { k: 5 } });
  const manual = await knnClassify(await extractFeatures(encoder, train), train.labels, await extractFeatures(encoder, test), test.labels, { k: 5 });
  assert.ok(report.knn !== undefined);
  assert.equal(Array.from(report.knn!.predictions), Array.from(manual.predictions));
  assert.is(report.knn!.k, 5);
  assert.ok(report.timing.knnSeconds > 0);
});

Encoder('bad input: different image sizes, unlabeled images, label/image count mismatch, empty set', async () => {
  const small = { images: new Uint8Array(4), shape: [1, 2, 2, 1] as [number, number, number, number], labels: [0] };
  await assertThrowsAsync(() => probeEncoder(encoder, train, small), /train images are 8x8x1 but test images are 2x2x1/);
  await assertThrowsAsync(() => probeEncoder(encoder, { ...train, labels: Int32Array.from(train.labels, (v, i) => (i === 4 ? -1 : v)) }, test), /probe train labels: label -1 of sample 4/);
  await assertThrowsAsync(() => probeEncoder(encoder, train, { ...test, labels: test.labels.subarray(1) }), /probe test labels: 29 labels for 30/);
  await assertThrowsAsync(() => probeEncoder(encoder, train, { images: new Uint8Array(0), shape: [0, 8, 8, 1], labels: [] }), /empty/);
});

Encoder.run();

const RawPixels = suite('probeRawPixels');
RawPixels.before(useCpu);

RawPixels('equals rawPixelFeatures → standardise → linear probe by hand', async () => {
  const report = await probeRawPixels(train, test, { linear: { l2: 1e-2 } });
  const s = standardizeTrainTest(rawPixelFeatures(train), rawPixelFeatures(test));
  const manual = linearProbe(s.train, train.labels, s.test, test.labels, { l2: 1e-2 });
  assert.is(report.linear.accuracy, manual.accuracy);
  assert.equal(report.linear.confusion, manual.confusion);
  assert.equal([report.dim, report.linear.l2], [64, 1e-2]);
  assert.ok(report.linear.accuracy >= 0.9, `accuracy ${report.linear.accuracy}`);
});

RawPixels.run();
