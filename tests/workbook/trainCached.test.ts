import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { fakeData } from '../../lib/data/fakeData';
import { SimclrModel } from '../../lib/models/simclrModel';
import { runKey, trainCached } from '../../lib/workbook/trainCached';
import { tinySeedConfig, useCpu } from '../helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-cache-'));
const data = fakeData({ size: 24, imageSize: 8, channels: 3, numClasses: 3, seed: 1 });
const config = tinySeedConfig({ epochs: 2 });

async function weightsOf(model: SimclrModel): Promise<number[][]> {
  return Promise.all(model.weights.map(async (w) => Array.from(await w.read().data())));
}

const Cache = suite('trainCached');
Cache.before(useCpu);

Cache('trains once, then loads the same weights and logs without training', async () => {
  const dir = path.join(tmp, 'a');
  let stepsSeen = 0;
  const first = await trainCached({ config, dataset: data, cacheDir: dir, callbacks: { onStep: () => { stepsSeen++; } } });
  assert.not.ok(first.cached);
  assert.is(first.epochsTrainedNow, 2);
  assert.is(stepsSeen, 6);
  assert.is(first.epochs.length, 2);
  assert.ok(first.file.endsWith(`simclr-${runKey(config, data)}.ckpt`));
  const before = tf.memory().numTensors;
  const second = await trainCached({ config, dataset: data, cacheDir: dir, callbacks: { onStep: () => { stepsSeen++; } } });
  assert.ok(second.cached);
  assert.is(stepsSeen, 6, 'no step trained the second time');
  assert.equal(second.epochs, first.epochs);
  assert.equal(await weightsOf(second.model), await weightsOf(first.model));
  second.model.dispose();
  assert.is(tf.memory().numTensors, before, 'a cached load leaks nothing');
  first.model.dispose();
});

Cache('another config or other images is another run', () => {
  const other = fakeData({ size: 24, imageSize: 8, channels: 3, numClasses: 3, seed: 2 });
  assert.is.not(runKey({ ...config, temperature: 0.2 }, data), runKey(config, data));
  assert.is.not(runKey(config, other), runKey(config, data));
  assert.is(runKey({ ...config }, data), runKey(config, data));
  const reordered = { ...Object.fromEntries(Object.entries(config).reverse()), model: Object.fromEntries(Object.entries(config.model).reverse()) } as typeof config;
  assert.is(runKey(reordered, data), runKey(config, data), 'key order does not change the key');
});

Cache('a run interrupted after its first epoch resumes there and ends with the uninterrupted run\'s weights', async () => {
  const dir = path.join(tmp, 'b');
  let interrupted = false;
  const stop = { onCheckpoint: () => { if (!interrupted) { interrupted = true; throw new Error('kernel interrupted'); } } };
  await trainCached({ config, dataset: data, cacheDir: dir, callbacks: stop }).then(() => assert.unreachable('should stop'), (e: Error) => assert.match(e.message, /kernel interrupted/));
  const resumed = await trainCached({ config, dataset: data, cacheDir: dir });
  assert.not.ok(resumed.cached);
  assert.is(resumed.epochsTrainedNow, 1);
  assert.equal(resumed.epochs.map((e) => e.epoch), [1, 2], 'the log holds both epochs once');
  const whole = await trainCached({ config, dataset: data, cacheDir: path.join(tmp, 'a') });
  assert.equal(await weightsOf(resumed.model), await weightsOf(whole.model));
  resumed.model.dispose();
  whole.model.dispose();
});

Cache('a damaged cached checkpoint is an error naming the file, not a silent retrain', async () => {
  const dir = path.join(tmp, 'a');
  const file = path.join(dir, `simclr-${runKey(config, data)}.ckpt`);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length - 100] ^= 0xff;
  fs.writeFileSync(file, bytes);
  await trainCached({ config, dataset: data, cacheDir: dir }).then(() => assert.unreachable('should refuse'), (e: Error) => assert.match(e.message, /simclr-[0-9a-f]{16}\.ckpt is damaged/));
});

Cache.run();
