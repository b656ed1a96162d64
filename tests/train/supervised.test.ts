import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { shapesDataset } from '../../lib/data/shapes';
import { resolveViewPipeline } from '../../lib/views/pipeline';
import { makeConfig, TrainConfig } from '../../lib/train/config';
import { trainSupervised } from '../../lib/train/supervised';
import { useCpu } from '../helpers';

const data = shapesDataset({ size: 60, imageSize: 12, channels: 3, seed: 3 });
function config(overrides: Partial<TrainConfig> = {}): TrainConfig {
  return makeConfig({
    epochs: 6, batchSize: 20, learningRate: 1e-2, seed: 5,
    model: { encoder: 'seed', inputShape: [12, 12, 3], head: { kind: 'linear', outputDim: 8 } },
    views: resolveViewPipeline({ crop: null, horizontalFlipProbability: 0, colorJitter: { probability: 0 }, grayscaleProbability: 0 }),
    ...overrides,
  }, 'seed');
}

const Supervised = suite('trainSupervised');
Supervised.before(useCpu);

Supervised('the cross-entropy goes down, the encoder moves, the unused head does not, and nothing leaks', async () => {
  const baseline = tf.memory().numTensors;
  const { model, epochs } = await trainSupervised({ config: config(), dataset: data });
  assert.is(epochs.length, 6);
  assert.ok(epochs[5].loss < epochs[0].loss - 0.05, `loss ${epochs.map((e) => e.loss.toFixed(3))}`);
  assert.ok(epochs.every((e) => e.accuracy >= 0 && e.accuracy <= 1));
  // The same config builds the same initial weights: compare with a fresh copy.
  const { model: fresh } = await trainSupervised({ config: config({ epochs: 1, learningRate: 1e-12 }), dataset: data });
  const trained = model.getWeights();
  const initial = fresh.getWeights();
  const encoderCount = model.encoder.weights.length;
  for (let i = 0; i < trained.length; i++) {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(trained[i], initial[i]))).dataSync()[0]);
    if (i < encoderCount) assert.ok(diff > 1e-4, `encoder weight ${i} moved by ${diff}`);
    else assert.ok(diff < 1e-9, `head weight ${i - encoderCount} changed by ${diff}`);
  }
  [...trained, ...initial].forEach((t) => t.dispose());
  model.dispose();
  fresh.dispose();
  assert.is(tf.memory().numTensors, baseline);
});

Supervised('refuses unlabeled or single-class data', async () => {
  const unlabeled = { ...data, labels: new Int32Array(data.labels.length).fill(-1) };
  try {
    await trainSupervised({ config: config(), dataset: unlabeled });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /unlabeled images/);
  }
  try {
    await trainSupervised({ config: config(), dataset: { ...data, classNames: ['only'] } });
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /at least 2 classes/);
  }
});

Supervised.run();
