import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { combineCallbacks, progressBar, StepLog, EpochLog } from '../../lib/train/callbacks';

const step: StepLog = { step: 5, epoch: 1, stepInEpoch: 5, stepsPerEpoch: 10, totalSteps: 20, loss: 4.25, learningRate: 1e-3, temperature: 0.5, imagesPerSecond: 123.4, elapsedSeconds: 10, startStep: 0 };
const epoch: EpochLog = { epoch: 1, step: 10, loss: 4.1, learningRate: 1e-3, temperature: 0.5, imagesPerSecond: 120, epochSeconds: 20, metrics: { knnAccuracy: 0.5 } };

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { stream: { isTTY, write: (s: string) => { writes.push(s); return true; } } as unknown as NodeJS.WriteStream, writes };
}

const Progress = suite('progressBar');

Progress('non-TTY output is one plain line per log with loss, rate, images/s and an ETA from elapsed time', async () => {
  const { stream, writes } = fakeStream(false);
  const bar = progressBar(stream, 10);
  await bar.onStep!(step);
  await bar.onEpochEnd!(epoch);
  assert.is(writes.length, 2);
  assert.not.match(writes[0], /\r/);
  assert.match(writes[0], /epoch 1 ███░░░░░░░ 5\/20 loss 4\.2500 lr 1\.00e-3 τ 0\.500 123 img\/s ETA 0:30/);
  assert.match(writes[1], /epoch 1 loss 4\.1000 \(20\.0 s, 120 img\/s\) knnAccuracy 0\.5000\n$/);
});

Progress('after a resume the ETA is paced by the steps this run did, not by all steps since step 0', async () => {
  const { stream, writes } = fakeStream(false);
  // Resumed at step 12 of 20; 2 steps in 10 s here → 6 steps left take 30 s (not 20/14·10 − 10 ≈ 4 s).
  await progressBar(stream, 10).onStep!({ ...step, step: 14, stepInEpoch: 4, epoch: 2, startStep: 12 });
  assert.match(writes[0], /14\/20 .* ETA 0:30\n$/);
  // The first log of a run that did no step yet (cannot happen in fit, but must not print a fake 0:00).
  await progressBar(stream, 10).onStep!({ ...step, startStep: 5 });
  assert.match(writes[1], /ETA --:--/);
});

Progress('a TTY redraws the same line', async () => {
  const { stream, writes } = fakeStream(true);
  await progressBar(stream).onStep!(step);
  assert.match(writes[0], /^\r.*\x1b\[K$/);
});

Progress('combineCallbacks calls every listener in order', async () => {
  const calls: string[] = [];
  const both = combineCallbacks({ onStep: () => { calls.push('a'); } }, undefined, { onStep: async () => { calls.push('b'); }, onCheckpoint: () => { calls.push('c'); } });
  await both.onStep!(step);
  await both.onEpochEnd!(epoch);
  await both.onCheckpoint!('f', 1);
  assert.equal(calls, ['a', 'b', 'c']);
});

Progress.run();
