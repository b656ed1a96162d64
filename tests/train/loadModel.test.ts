import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { fakeData } from '../../lib/data/fakeData';
import { imagesToTensor } from '../../lib/data/batches';
import { SimclrTrainer } from '../../lib/train/trainer';
import { CheckpointError } from '../../lib/train/checkpoint';
import { loadModelFromCheckpoint } from '../../lib/train/loadModel';
import { tinySeedConfig, useCpu } from '../helpers';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-load-'));
const data = fakeData({ size: 16, imageSize: 8, channels: 3, numClasses: 2, seed: 3 });
const config = tinySeedConfig({ epochs: 1 });

const Load = suite('loadModelFromCheckpoint');
Load.before(useCpu);

Load('rebuilds the trained model: h and z equal the trainer\'s, no tensor leaks after dispose', async () => {
  const file = path.join(tmp, 'a.ckpt');
  const trainer = new SimclrTrainer({ config, dataset: data, checkpointPath: file });
  await trainer.fit();
  const x = imagesToTensor(data, [0, 1, 2, 3]);
  const before = tf.memory().numTensors;
  const { model, snapshot } = loadModelFromCheckpoint(file);
  assert.is(snapshot.step, 2);
  const [h1, h2] = [trainer.model.representation(x), model.representation(x)];
  assert.equal(Array.from(await h1.data()), Array.from(await h2.data()));
  const [e1, e2] = [trainer.model.embed(x, { training: false }), model.embed(x, { training: false })];
  assert.equal(Array.from(await e1.z.data()), Array.from(await e2.z.data()));
  [h1, h2, e1.h, e1.z, e2.h, e2.z].forEach((t) => t.dispose());
  model.dispose();
  assert.is(tf.memory().numTensors, before);
  x.dispose();
  trainer.dispose();
});

Load('a damaged or NaN-holding checkpoint is refused, naming the file', async () => {
  const file = path.join(tmp, 'b.ckpt');
  const trainer = new SimclrTrainer({ config, dataset: data, checkpointPath: file });
  await trainer.fit();
  trainer.dispose();
  const bytes = fs.readFileSync(file);
  const damaged = Buffer.from(bytes);
  damaged.fill(0xff, bytes.length - 2000, bytes.length - 1000); // NaN patterns over weights
  fs.writeFileSync(path.join(tmp, 'damaged.ckpt'), damaged);
  assert.throws(() => loadModelFromCheckpoint(path.join(tmp, 'damaged.ckpt')), (e: Error) => e instanceof CheckpointError && /damaged\.ckpt is damaged: its SHA-256 checksum/.test(e.message));
  // A format-1 file (no checksum) with a NaN weight is caught by the finite check.
  const v1 = Buffer.from(damaged.subarray(0, damaged.length - 32));
  v1.writeUInt32LE(1, 8);
  fs.writeFileSync(path.join(tmp, 'old.ckpt'), v1);
  assert.throws(() => loadModelFromCheckpoint(path.join(tmp, 'old.ckpt')), /old\.ckpt is damaged: '.*' holds NaN at index \d+/);
});

Load.run();
