import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as workbook from '../../lib/workbook';
import { describeRunSize, workbookConfig, workbookScale, WORKBOOK_SCALE_NAMES, WorkbookScale } from '../../lib/workbook/scale';
import { fakeData } from '../../lib/data/fakeData';
import { shapesDataset } from '../../lib/data/shapes';

const Exports = suite('exports');
Exports('the workbook index re-exports the scale API', () => {
  for (const name of ['workbookScale', 'workbookConfig', 'describeRunSize', 'WORKBOOK_SCALE_NAMES']) {
    assert.ok(name in workbook, `${name} is exported`);
  }
});
Exports.run();

const Scale = suite('workbookScale');

Scale('cpu is the default: no name, an empty name, and an unset SIMCLR_SCALE', () => {
  const saved = process.env.SIMCLR_SCALE;
  try {
    delete process.env.SIMCLR_SCALE;
    assert.is(workbookScale().name, 'cpu');
    process.env.SIMCLR_SCALE = 'gpu';
    assert.is(workbookScale().name, 'gpu', 'the environment variable is read at call time');
  } finally {
    if (saved === undefined) delete process.env.SIMCLR_SCALE; else process.env.SIMCLR_SCALE = saved;
  }
  assert.is(workbookScale('').name, 'cpu');
  assert.is(workbookScale('  GPU ').name, 'gpu', 'case and surrounding spaces do not matter');
});

Scale('an unknown scale is an error naming the allowed ones and the value got', () => {
  assert.throws(() => workbookScale('tpu'), /SIMCLR_SCALE must be one of cpu, gpu, got "tpu"/);
});

Scale('each call returns a fresh copy: changing one does not change the next', () => {
  const first = workbookScale('cpu');
  first.main.images = 1;
  first.temperatures.push(99);
  const second = workbookScale('cpu');
  assert.is.not(second.main.images, 1);
  assert.not.ok(second.temperatures.includes(99));
});

function checkInvariants(scale: WorkbookScale): void {
  const where = `scale ${scale.name}`;
  for (const size of [scale.main, scale.sweep]) {
    assert.ok(size.batchSize >= 2 && size.batchSize <= size.images, `${where}: 2 <= batch ${size.batchSize} <= images ${size.images}`);
    assert.ok(size.epochs >= 1 && size.learningRate > 0 && size.width >= 1, `${where}: epochs, lr, width`);
    assert.ok(size.images <= 60000, `${where}: at most Fashion-MNIST's 60k training images`);
  }
  assert.ok(scale.sweep.images * scale.sweep.epochs <= scale.main.images * scale.main.epochs, `${where}: a sweep run is no longer than the main run`);
  assert.ok(scale.probeTestImages <= 10000 && scale.probeTrainImages <= 60000, `${where}: probe sets fit Fashion-MNIST's splits`);
  assert.ok(scale.mainProbeTestImages <= 10000 && scale.mainProbeTrainImages <= Math.min(60000, scale.main.images), `${where}: the main probe sets fit the splits and the pretraining images`);
  assert.ok(scale.mainProbeTestImages >= scale.probeTestImages, `${where}: the headline comparisons use at least the sweeps' test images`);
  const budgets = scale.labelsPerClass.filter((k): k is number => k !== 'all');
  assert.ok(budgets.every((k, i) => Number.isInteger(k) && k >= 1 && (i === 0 || k > budgets[i - 1])), `${where}: label budgets ascend`);
  assert.ok(Math.max(...budgets) * 10 <= scale.mainProbeTrainImages * 0.8, `${where}: every budget exists in each of 10 classes with room to spare`);
  assert.ok(scale.lossBatchSizes.every((n, i) => Number.isInteger(n) && n >= 2 && (i === 0 || n > scale.lossBatchSizes[i - 1])), `${where}: batch sizes ascend`);
  assert.ok(scale.temperatures.includes(0.5), `${where}: the sweep includes the seed's τ = 0.5`);
  assert.ok(scale.temperatures.every((t, i) => t > 0 && (i === 0 || t > scale.temperatures[i - 1])), `${where}: temperatures ascend`);
  assert.ok(scale.heldOutImages >= 2 && scale.heldOutImages <= scale.probeTestImages, `${where}: held-out pairs come from the test images`);
}

Scale('both scales are consistent (batch <= images, budgets exist per class, sorted sweeps)', () => {
  for (const name of WORKBOOK_SCALE_NAMES) checkInvariants(workbookScale(name));
});

Scale('gpu is at least as large as cpu everywhere', () => {
  const cpu = workbookScale('cpu');
  const gpu = workbookScale('gpu');
  for (const key of ['images', 'epochs'] as const) {
    assert.ok(gpu.main[key] >= cpu.main[key] && gpu.sweep[key] >= cpu.sweep[key], key);
  }
  assert.ok(gpu.probeTrainImages >= cpu.probeTrainImages && gpu.probeTestImages >= cpu.probeTestImages);
});

Scale('cpu fits CI: the pretraining the six notebooks do takes under 11 of the 20 minutes at the measured ~950 images/s', () => {
  // README "Training speed": the small CNN w32 trains at ~950 images/s with wasm + oneDNN on 2 cores (AMD EPYC).
  const cpu = workbookScale('cpu');
  const main = cpu.main.images * cpu.main.epochs; // once: notebook 0 trains it, notebook 5 reloads it (trainCached)
  const supervised = main / 2; // notebook 5's supervised reference: same images and epochs, one view per image
  // Sweep runs are cached (trainCached) and shared: notebook 2's run is notebook 3's τ = 0.5 and notebook 4's MLP head.
  // Then notebook 3's other temperatures and its learnable τ, and notebook 4's three other heads.
  const sweepRuns = 1 + (cpu.temperatures.length - 1) + 1 + 3;
  const sweep = (sweepRuns * cpu.sweep.images * cpu.sweep.epochs * cpu.sweep.width) / cpu.main.width; // narrower: cheaper
  const minutes = (main + supervised + sweep) / 950 / 60;
  assert.ok(minutes < 11, `cpu pretraining ≈ ${minutes.toFixed(1)} min`);
});
Scale.run();

const Describe = suite('describeRunSize');
Describe('names encoder, width, images, epochs, batch and learning rate', () => {
  assert.is(describeRunSize({ images: 8192, epochs: 1, batchSize: 128, encoder: 'smallCnn', width: 32, learningRate: 0.001 }), 'smallCnn w32, 8192 images × 1 epoch, batch 128, lr 0.001');
  assert.match(describeRunSize({ images: 10, epochs: 3, batchSize: 5, encoder: 'resnet18', width: 8, learningRate: 0.1 }), /× 3 epochs/);
});
Describe.run();

const Config = suite('workbookConfig');
const size = { images: 64, epochs: 2, batchSize: 16, encoder: 'smallCnn' as const, width: 8, learningRate: 0.002 };

Config('takes encoder, width, epochs, batch and lr from the size and fits shapes to 28×28×1 images', () => {
  const data = fakeData({ size: 20, imageSize: 28, channels: 1 });
  const config = workbookConfig(size, data);
  assert.equal(config.model.inputShape, [28, 28, 1]);
  assert.equal(config.views.crop?.size, [28, 28]);
  assert.is(config.model.encoder, 'smallCnn');
  assert.is(config.model.width, 8);
  assert.is(config.epochs, 2);
  assert.is(config.batchSize, 16);
  assert.is(config.learningRate, 0.002);
  assert.is(config.loss, 'ntXent', 'the fashionMnistCpu preset');
  assert.is(config.temperature, 0.5);
});

Config('applies overrides, and fits an overriding model to the data too', () => {
  const data = shapesDataset({ size: 20, imageSize: 32, channels: 3 });
  const base = workbookConfig(size, data);
  const config = workbookConfig(size, data, { temperature: 0.1, model: { ...base.model, inputShape: [1, 1, 1], head: { kind: 'none' } } });
  assert.is(config.temperature, 0.1);
  assert.equal(config.model.head, { kind: 'none' });
  assert.equal(config.model.inputShape, [32, 32, 3], 'refitted to the data');
  assert.equal(config.views.crop?.size, [32, 32]);
});

Config('validates the result (errors name the field)', () => {
  const data = fakeData({ size: 20, imageSize: 8, channels: 1 });
  assert.throws(() => workbookConfig(size, data, { temperature: -1 }), /TrainConfig.temperature must be a finite number > 0, got -1/);
});
Config.run();
