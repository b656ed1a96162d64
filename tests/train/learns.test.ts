/**
 * The trainer learns on real images with its default settings, on the backend the workbook uses (wasm with the
 * oneDNN addon, every fast kernel and the fused optimiser step). Unit tests compare pieces with their references; this
 * one catches a step that runs without error and trains nothing (the fused optimiser step of 2026-12-06, which wrote
 * the weights in place where the wasm matMul did not see them, ended these 64 steps at a loss of 4.31, op by op 3.60).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../../lib/backend';
import { loadDefaultDataset } from '../../lib/data';
import { SimclrTrainer } from '../../lib/train';
import { workbookConfig, workbookScale } from '../../lib/workbook';

const Learns = suite('SimclrTrainer learns (wasm, default settings)');
Learns.after(async () => {
  await tf.setBackend('cpu');
});

Learns('64 steps of the workbook sweep on 4,096 Fashion-MNIST images lower NT-Xent by more than 0.5 nats', async () => {
  await initBackend({ backend: 'wasm' });
  const data = loadDefaultDataset({ split: 'train', limit: 4096, log: () => {} }).dataset;
  const config = workbookConfig({ ...workbookScale('cpu').sweep, images: 4096 }, data);
  const losses: number[] = [];
  const trainer = new SimclrTrainer({ config, dataset: data, callbacks: { onStep: (s) => { losses.push(s.loss); } } });
  try {
    await trainer.fit();
  } finally {
    trainer.dispose();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const [first, last] = [mean(losses.slice(0, 2)), mean(losses.slice(-3))];
  assert.ok(first - last > 0.5, `loss ${first.toFixed(3)} → ${last.toFixed(3)} over ${losses.length} logged steps`);
});

Learns.run();
