import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { createWorkload, IDENTITY_VIEWS, randomImages, workloadConfig, WORKLOADS, WorkloadSpec } from '../../bench/workloads';
import { fakeData } from '../../lib/data/fakeData';
import { architecture, buildModel } from '../../lib/models/registry';
import { SimclrTrainer } from '../../lib/train/trainer';
import { fashionMnistViews } from '../../lib/views/presets';
import { useCpu } from '../helpers';

const Workloads = suite('bench workloads');
Workloads.before(useCpu);

/** A small-CNN workload small enough for the cpu backend. */
const tiny: WorkloadSpec = {
  name: 'small-cnn',
  pairs: 4,
  imageShape: [8, 8, 1],
  model: () => architecture('smallCnn', { width: 4, inputShape: [8, 8, 1] }),
  build: () => buildModel(architecture('smallCnn', { width: 4, inputShape: [8, 8, 1] }), 42),
  views: () => fashionMnistViews(8),
};

Workloads("each run is SimclrTrainer.trainStep with the trainer's own optimiser: the same losses, bit for bit", async () => {
  for (const withViews of [false, true]) {
    const workload = createWorkload(tiny, withViews);
    const trainer = new SimclrTrainer({ config: workloadConfig(tiny, withViews), dataset: fakeData({ size: 4, imageSize: 8, channels: 1 }) });
    const images = randomImages(4, [8, 8, 1], 42);
    for (let step = 0; step < 3; step++) {
      const loss = trainer.trainStep(images);
      assert.is(await workload.run(), loss.dataSync()[0], `step ${step}, views ${withViews}`);
      loss.dispose();
    }
    const before = tf.memory().numTensors;
    await workload.run();
    assert.is(tf.memory().numTensors, before, 'a step leaks no tensor');
    workload.dispose();
    trainer.dispose();
    images.dispose();
  }
});

Workloads('the workloads: models from the registry, the CPU preset trainer settings, identity views without views', () => {
  assert.equal(WORKLOADS['resnet18-w16'].model(), architecture('resnet18', { width: 16 }));
  assert.equal(WORKLOADS['small-cnn'].model(), architecture('smallCnn'));
  const config = workloadConfig(WORKLOADS['small-cnn'], false);
  assert.equal([config.batchSize, config.loss, config.temperature, config.optimizer, config.learningRate, config.weightDecay], [128, 'ntXent', 0.5, 'adam', 1e-3, 0]);
  assert.equal(config.views, IDENTITY_VIEWS);
  assert.equal(workloadConfig(WORKLOADS['small-cnn'], true).views, fashionMnistViews(28));
});

Workloads.run();
