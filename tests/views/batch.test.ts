import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../lib/rng';
import { checkImages, checkInterval, checkProbability, checkStrength, perSample, perSampleFlags, sampleFlags } from '../../lib/views/batch';
import { useCpu } from '../helpers';

const CheckImages = suite('checkImages');
CheckImages.before(useCpu);

CheckImages('returns the sizes of an (N, H, W, C) float32 batch with C = 1 or 3', () => {
  tf.tidy(() => {
    assert.equal(checkImages(tf.zeros([2, 5, 7, 3]), 't'), { count: 2, height: 5, width: 7, channels: 3 });
    assert.equal(checkImages(tf.zeros([1, 4, 4, 1]), 't'), { count: 1, height: 4, width: 4, channels: 1 });
  });
});

CheckImages('rejects wrong rank, dtype, channel count and empty batches, naming the caller', () => {
  tf.tidy(() => {
    assert.throws(() => checkImages(tf.zeros([5, 7, 3]), 'applyView'), /applyView: expected images of rank 4.*\[5,7,3\]/);
    assert.throws(() => checkImages(tf.zeros([1, 5, 7, 3], 'int32'), 'f'), /f: expected float32 .* got dtype int32/);
    assert.throws(() => checkImages(tf.zeros([1, 5, 7, 4]), 'f'), /1 \(grayscale\) or 3 \(RGB\) channels/);
    assert.throws(() => checkImages(tf.zeros([0, 5, 7, 3]), 'f'), /non-empty/);
    assert.throws(() => checkImages([1, 2] as unknown as tf.Tensor, 'f'), /tf.Tensor/);
  });
});

CheckImages.run();

const CheckProbability = suite('checkProbability');

CheckProbability('accepts [0, 1] and rejects everything else', () => {
  for (const p of [0, 0.5, 1]) checkProbability(p, 'p', 'f');
  for (const p of [-0.1, 1.5, NaN, '0.5' as unknown as number]) assert.throws(() => checkProbability(p, 'flip p', 'f'), /f: flip p must be a probability/);
});

CheckProbability.run();

const CheckInterval = suite('checkInterval');

CheckInterval('accepts ordered pairs within bounds and rejects the rest', () => {
  checkInterval([0.08, 1], 'scale', 'f', 0, 1);
  checkInterval([1, 1], 'scale', 'f', 0, 1);
  for (const bad of [[0.5, 0.2], [0, 1.2], [-1, 0.5], [0.1], [0.1, NaN], [0.1, Infinity]]) {
    assert.throws(() => checkInterval(bad, 'scale', 'f', 0, 1), /f: scale must be an interval/);
  }
});

CheckInterval.run();

const CheckStrength = suite('checkStrength');

CheckStrength('accepts 0 .. highest', () => {
  checkStrength(0, 'hue', 'f', 0.5);
  checkStrength(0.5, 'hue', 'f', 0.5);
  assert.throws(() => checkStrength(0.6, 'hue', 'f', 0.5), /hue must be a number in \[0, 0.5\], got 0.6/);
  assert.throws(() => checkStrength(-1, 'brightness', 'f'), /brightness/);
});

CheckStrength.run();

const PerSample = suite('perSample');

PerSample('repeats a number, copies a list, checks length and finiteness', () => {
  assert.equal(perSample(2, 3, 'factors', 'f'), [2, 2, 2]);
  assert.equal(perSample([1, 2], 2, 'factors', 'f'), [1, 2]);
  assert.throws(() => perSample([1, 2], 3, 'factors', 'f'), /one value per image \(3\), got 2/);
  assert.throws(() => perSample([1, NaN], 2, 'factors', 'f'), /finite/);
});

PerSample.run();

const PerSampleFlags = suite('perSampleFlags');

PerSampleFlags('accepts one boolean per image', () => {
  assert.equal(perSampleFlags([true, false], 2, 'flips', 'f'), [true, false]);
  assert.throws(() => perSampleFlags([true], 2, 'flips', 'f'), /2 booleans/);
  assert.throws(() => perSampleFlags([1, 0] as unknown as boolean[], 2, 'flips', 'f'), /booleans/);
});

PerSampleFlags.run();

const SampleFlags = suite('sampleFlags');

SampleFlags('is seeded, has frequency p, and p = 0 / 1 give all false / all true', () => {
  assert.equal(sampleFlags(50, 0.3, new Rng(5)), sampleFlags(50, 0.3, new Rng(5)));
  const flags = sampleFlags(20000, 0.3, new Rng(6));
  const rate = flags.filter((f) => f).length / flags.length;
  assert.ok(Math.abs(rate - 0.3) < 0.015, `rate ${rate}`);
  assert.ok(sampleFlags(100, 0, new Rng(1)).every((f) => !f));
  assert.ok(sampleFlags(100, 1, new Rng(1)).every((f) => f));
});

SampleFlags.run();
