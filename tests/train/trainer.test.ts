import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { fakeData } from '../../lib/data/fakeData';
import { TrainConfig } from '../../lib/train/config';
import { SimclrTrainer, TrainingDivergedError } from '../../lib/train/trainer';
import { StepLog, jsonlMetrics } from '../../lib/train/callbacks';
import { assertClose, tinySeedConfig, useCpu } from '../helpers';

const tinyConfig = tinySeedConfig;
const data = fakeData({ size: 24, imageSize: 8, channels: 3, numClasses: 3, seed: 1 });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-trainer-'));

async function run(config: TrainConfig, extra: Partial<ConstructorParameters<typeof SimclrTrainer>[0]> = {}) {
  const steps: StepLog[] = [];
  const trainer = new SimclrTrainer({ config, dataset: data, callbacks: { onStep: (s) => { steps.push(s); } }, ...extra });
  const result = await trainer.fit();
  return { trainer, result, losses: steps.map((s) => s.loss) };
}

const Loop = suite('SimclrTrainer.fit');
Loop.before(useCpu);

Loop('same seed on the cpu backend gives the identical loss curve; another seed does not', async () => {
  const a = await run(tinyConfig());
  const b = await run(tinyConfig());
  const c = await run(tinyConfig({ seed: 7 }));
  assert.is(a.losses.length, 6, '3 steps per epoch × 2 epochs, one log per step');
  assert.equal(a.losses, b.losses);
  assert.not.equal(a.losses, c.losses);
  [a, b, c].forEach((r) => r.trainer.dispose());
});

Loop('the first InfoNCE loss of a fresh model is near log N, and epochs average their steps', async () => {
  const { trainer, result, losses } = await run(tinyConfig());
  assert.ok(Math.abs(losses[0] - Math.log(8)) < 0.3, `first loss ${losses[0]} vs log 8 = ${Math.log(8)}`);
  assertClose(result.epochs[0].loss, (losses[0] + losses[1] + losses[2]) / 3, { rtol: 1e-6 });
  assert.is(result.step, 6);
  trainer.dispose();
});

Loop('weights move, and the loss goes down over a longer run', async () => {
  const config = tinyConfig({ epochs: 15, learningRate: 3e-3 });
  const trainer = new SimclrTrainer({ config, dataset: data });
  const before = trainer.model.getWeights().map((t) => { const v = t.dataSync().slice(); t.dispose(); return v; });
  const result = await trainer.fit();
  const after = trainer.model.getWeights().map((t) => { const v = t.dataSync().slice(); t.dispose(); return v; });
  before.forEach((w, i) => assert.ok(w.some((x, j) => x !== after[i][j]), `weight ${i} did not move`));
  const first = result.epochs[0].loss;
  const last = result.epochs[result.epochs.length - 1].loss;
  assert.ok(last < first - 0.1, `loss ${first} → ${last}`);
  trainer.dispose();
});

Loop('no tensor leaks: numTensors is constant across steps after a burn-in', async () => {
  const trainer = new SimclrTrainer({ config: tinyConfig(), dataset: data });
  const images = tf.tidy(() => tf.randomUniform([8, 8, 8, 3]) as tf.Tensor4D);
  trainer.trainStep(images).dispose();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 4; i++) trainer.trainStep(images).dispose();
  assert.is(tf.memory().numTensors, before);
  images.dispose();
  trainer.dispose();
  const baseline = tf.memory().numTensors;
  const { trainer: t2 } = await run(tinyConfig({ learnableTemperature: true }));
  t2.dispose();
  assert.is(tf.memory().numTensors, baseline, 'a whole fit plus dispose leaves nothing behind');
});

Loop('a learnable temperature moves and stays inside its range', async () => {
  const config = tinyConfig({ epochs: 4, learnableTemperature: true, temperature: 0.5, temperatureRange: [0.3, 0.6], learningRate: 0.05 });
  const { trainer, result } = await run(config);
  const temperatures = result.steps.map((s) => s.temperature);
  assert.ok(temperatures.some((t) => Math.abs(t - 0.5) > 1e-3), `τ stayed at ${temperatures}`);
  temperatures.forEach((t) => assert.ok(t >= 0.3 - 1e-6 && t <= 0.6 + 1e-6, `τ ${t} out of range`));
  trainer.dispose();
});

Loop.run();

const Resume = suite('SimclrTrainer checkpoints and resume');
Resume.before(useCpu);

Resume('stopping mid-epoch, then resuming from the checkpoint, continues the exact loss curve', async () => {
  const config = tinyConfig({ epochs: 3, optimizer: 'sgd', learningRate: 0.05, weightDecay: 1e-3 });
  const whole = await run(config);
  const file = path.join(tmp, 'stop.ckpt');
  const controller = new AbortController();
  const first = await run(config, {
    checkpointPath: file,
    signal: controller.signal,
    callbacks: { onStep: (s) => { if (s.step === 4) controller.abort(); } },
  });
  assert.ok(first.result.stopped);
  assert.is(first.result.step, 4);
  first.trainer.dispose();
  const steps: StepLog[] = [];
  const resumed = SimclrTrainer.fromCheckpoint(file, { dataset: data, callbacks: { onStep: (s) => { steps.push(s); } } });
  assert.is(resumed.step, 4);
  const rest = await resumed.fit();
  assert.is(rest.step, 9);
  assertClose(steps.map((s) => s.loss), whole.losses.slice(4), { rtol: 1e-6, atol: 1e-7 }, 'resumed losses');
  assertClose(rest.epochs.map((e) => e.loss), whole.result.epochs.slice(1).map((e) => e.loss), { rtol: 1e-6 }, 'epoch means include the steps before the stop');
  resumed.dispose();
  whole.trainer.dispose();
});

Resume('Adam with a learnable temperature and warmup/cosine also resumes exactly across an epoch boundary', async () => {
  const config = tinyConfig({ epochs: 3, learnableTemperature: true, schedule: 'warmupCosine', warmupEpochs: 1, loss: 'ntXent' });
  const whole = await run(config);
  const file = path.join(tmp, 'epoch.ckpt');
  const part = await run({ ...config, epochs: 2, checkpointEveryEpochs: 1 }, { checkpointPath: file });
  part.trainer.dispose();
  const steps: StepLog[] = [];
  const resumed = SimclrTrainer.fromCheckpoint(file, { config: { epochs: 3 }, dataset: data, callbacks: { onStep: (s) => { steps.push(s); } } });
  await resumed.fit();
  // The 2-epoch run's schedule had totalSteps = 6, so only compare with a run whose config matched: resume sets epochs 3.
  assert.is(steps.length, 3);
  assert.ok(steps.every((s) => Number.isFinite(s.loss)));
  resumed.dispose();
  const file2 = path.join(tmp, 'epoch2.ckpt');
  const controller = new AbortController();
  const stopped = await run(config, { checkpointPath: file2, signal: controller.signal, callbacks: { onStep: (s) => { if (s.step === 3) controller.abort(); } } });
  stopped.trainer.dispose();
  const steps2: StepLog[] = [];
  const resumed2 = SimclrTrainer.fromCheckpoint(file2, { dataset: data, callbacks: { onStep: (s) => { steps2.push(s); } } });
  await resumed2.fit();
  assertClose(steps2.map((s) => s.loss), whole.losses.slice(3), { rtol: 1e-6, atol: 1e-7 });
  assertClose(steps2.map((s) => s.temperature), whole.result.steps.slice(3).map((s) => s.temperature), { rtol: 1e-6 });
  assertClose(steps2.map((s) => s.learningRate), whole.result.steps.slice(3).map((s) => s.learningRate), { rtol: 1e-12 });
  resumed2.dispose();
  whole.trainer.dispose();
});

Resume('a NaN loss stops training with the step named, and the last good checkpoint is untouched', async () => {
  const file = path.join(tmp, 'nan.ckpt');
  const config = tinyConfig({ epochs: 3, checkpointEveryEpochs: 1 });
  let poisoned = false;
  const trainer = new SimclrTrainer({
    config,
    dataset: data,
    checkpointPath: file,
    callbacks: {
      onCheckpoint: (_file, step) => {
        if (step === 3 && !poisoned) {
          poisoned = true;
          const w = trainer.model.weights[0];
          const bad = tf.fill(w.shape as number[], NaN);
          w.write(bad);
          bad.dispose();
        }
      },
    },
  });
  let bytesAfterEpoch1: Buffer | null = null;
  const origin = fs.readFileSync;
  try {
    await trainer.fit();
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, TrainingDivergedError);
    assert.match((err as Error).message, /loss is NaN at step 4/);
    assert.match((err as Error).message, /the last good checkpoint .*nan\.ckpt \(step 3\) is intact/);
    bytesAfterEpoch1 = origin(file);
  }
  const restored = SimclrTrainer.fromCheckpoint(file, { dataset: data });
  assert.is(restored.step, 3, 'the checkpoint holds the state after epoch 1');
  const w = await restored.model.weights[0].read().data();
  assert.ok(w.every(Number.isFinite), 'checkpointed weights are the good ones');
  assert.ok(bytesAfterEpoch1 && bytesAfterEpoch1.length > 0);
  restored.dispose();
  trainer.dispose();
});

Resume('bad configurations and inputs are refused with clear errors', async () => {
  assert.throws(() => tinyConfig({ batchSize: 1 }), /batchSize must be an integer >= 2/);
  assert.throws(() => tinyConfig({ temperature: 0 }), /temperature must be a finite number > 0/);
  assert.throws(() => tinyConfig({ temperature: -1 }), /temperature/);
  assert.throws(() => tinyConfig({ loss: 'triplet' as any }), /loss must be 'infoNCE' or 'ntXent'/);
  const grayModel = { ...tinyConfig().model, inputShape: [8, 8, 1] as [number, number, number] };
  assert.throws(() => new SimclrTrainer({ config: tinyConfig({ model: grayModel }), dataset: data }), /views give 8×8×3 images but the model takes 8×8×1/);
  const trainer = new SimclrTrainer({ config: tinyConfig(), dataset: data });
  const one = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
  assert.throws(() => trainer.trainStep(one), /at least 2 images/);
  one.dispose();
  trainer.dispose();
  assert.throws(() => SimclrTrainer.fromCheckpoint(path.join(tmp, 'missing.ckpt'), { dataset: data }), /no checkpoint at/);
  fs.writeFileSync(path.join(tmp, 'junk.ckpt'), 'not a checkpoint at all');
  assert.throws(() => SimclrTrainer.fromCheckpoint(path.join(tmp, 'junk.ckpt'), { dataset: data }), /not a simclr-workbench checkpoint/);
});

Resume('a fresh run that diverges before its first checkpoint says nothing was saved (and names no file)', async () => {
  const file = path.join(tmp, 'never.ckpt');
  const trainer = new SimclrTrainer({ config: tinyConfig(), dataset: data, checkpointPath: file });
  const w = trainer.model.weights[0];
  const bad = tf.fill(w.shape as number[], NaN);
  w.write(bad);
  bad.dispose();
  const err = await trainer.fit().then(() => null, (e: Error) => e);
  assert.instance(err, TrainingDivergedError);
  assert.match(err!.message, /loss is NaN at step 1; no checkpoint of this run was written yet, so nothing was saved/);
  assert.not.match(err!.message, /intact/);
  assert.not.ok(fs.existsSync(file));
  trainer.dispose();
});

Resume('a batch larger than the data, or a warmup as long as the run, is refused before any training', () => {
  const before = tf.memory().numTensors;
  assert.throws(() => new SimclrTrainer({ config: tinyConfig({ batchSize: 32, dropLast: true }), dataset: data }), /batchSize 32 is larger than the 24 training images \(dropLast\), so an epoch would have no step/);
  assert.throws(
    () => new SimclrTrainer({ config: tinyConfig({ schedule: 'warmupCosine', warmupEpochs: 2 }), dataset: data }),
    /warmupEpochs 2 \(6 steps\) is not shorter than the whole run \(2 epochs = 6 steps\)/,
  );
  assert.is(tf.memory().numTensors, before, 'nothing was built');
  // Without dropLast a batch larger than the data is one smaller step per epoch, as the seed article's DataLoader does.
  const kept = new SimclrTrainer({ config: tinyConfig({ batchSize: 32, dropLast: false }), dataset: data });
  assert.is(kept.stepsPerEpoch, 1);
  kept.dispose();
});

Resume('a stop between two loss logs loses no step: the first log after the resume averages the same steps', async () => {
  const config = tinyConfig({ epochs: 3, logEvery: 2 }); // 3 steps an epoch: logs at steps 2, 3 (epoch end), 4, 6, 8, 9
  const whole = await run(config);
  const file = path.join(tmp, 'between.ckpt');
  const controller = new AbortController();
  let ran = 0;
  const first = new SimclrTrainer({ config, dataset: data, checkpointPath: file, signal: controller.signal });
  const realStep = first.trainStep.bind(first);
  first.trainStep = (images) => { ran += 1; if (ran === 5) controller.abort(); return realStep(images); }; // stop after step 5
  const stopped = await first.fit();
  assert.ok(stopped.stopped);
  assert.is(stopped.step, 5, 'stopped after step 5, between the logs of steps 4 and 6');
  first.dispose();
  const steps: StepLog[] = [];
  const resumed = SimclrTrainer.fromCheckpoint(file, { dataset: data, callbacks: { onStep: (s) => { steps.push(s); } } });
  await resumed.fit();
  const tail = whole.result.steps.filter((s) => s.step > 5);
  assert.equal(steps.map((s) => s.step), tail.map((s) => s.step));
  assertClose(steps.map((s) => s.loss), tail.map((s) => s.loss), { rtol: 1e-6, atol: 1e-7 }, 'the step-6 log averages steps 5 and 6');
  assert.ok(steps.every((s) => s.startStep === 5));
  resumed.dispose();
  whole.trainer.dispose();
});

Resume('metrics go to a JSONL file, one record per step and epoch', async () => {
  const file = path.join(tmp, 'metrics.jsonl');
  const { trainer } = await run(tinyConfig(), { callbacks: jsonlMetrics(file) });
  const records = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.is(records.filter((r) => r.type === 'step').length, 6);
  assert.is(records.filter((r) => r.type === 'epoch').length, 2);
  assert.ok(records.every((r) => typeof r.loss === 'number'));
  trainer.dispose();
});

Resume.run();
