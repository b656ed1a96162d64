import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import {
  FINITE_CHECK_DEFAULT, assertFinite, validateEmbeddingPair, validateEmbeddings, validatePositiveFinite, validateTemperature,
} from '../../lib/losses/validate';
import { assertNoLeak, useCpu } from '../helpers';

const ValidateTemperature = suite('validateTemperature');

ValidateTemperature('returns a finite positive temperature unchanged', () => {
  for (const t of [1e-6, 0.01, 0.05, 0.5, 1, 2, 1e6]) assert.is(validateTemperature(t), t);
});

ValidateTemperature('rejects zero, negative, NaN, infinite and non-number temperatures, naming the caller', () => {
  const bad: [unknown, string][] = [[0, 'got 0'], [-0.5, 'got -0.5'], [NaN, 'got NaN'], [Infinity, 'got Infinity'], [-Infinity, 'got -Infinity'],
    ['0.5', 'got string 0.5'], [undefined, 'got undefined undefined'], [null, 'got null']];
  for (const [value, got] of bad) {
    assert.throws(() => validateTemperature(value as number, 'SimCLRTrainer'), (err: Error) =>
      err.message === `SimCLRTrainer: temperature must be a finite number > 0, ${got}`, String(value));
  }
});

ValidateTemperature.run();

const ValidatePositiveFinite = suite('validatePositiveFinite');

ValidatePositiveFinite('accepts finite values > 0 and names the setting in errors', () => {
  assert.is(validatePositiveFinite(3, 'alpha', 'alignment'), 3);
  assert.throws(() => validatePositiveFinite(0, 'alpha', 'alignment'), /^alignment: alpha must be a finite number > 0, got 0$/);
});

ValidatePositiveFinite.run();

const ValidateEmbeddings = suite('validateEmbeddings');
ValidateEmbeddings.before(useCpu);

ValidateEmbeddings('returns N and D of a float32 (N, D) batch with N >= 2, D >= 1', () => {
  const z = tf.zeros([5, 3]);
  assert.equal(validateEmbeddings(z, 'z', 'f'), { n: 5, d: 3 });
  z.dispose();
});

ValidateEmbeddings('says what was expected and what was got', () => {
  const cases: [tf.Tensor | unknown, RegExp][] = [
    [[[1, 2]], /^f: z must be a tf.Tensor of shape \(N, D\), got an array of length 1$/],
    [undefined, /^f: z must be a tf.Tensor.*got undefined/],
    [tf.zeros([4]), /^f: z must be a 2-D tensor \(N, D\), got rank 1 with shape \[4\]$/],
    [tf.zeros([2, 2, 2]), /got rank 3 with shape \[2,2,2\]/],
    [tf.zeros([3, 2], 'int32'), /^f: z must have dtype float32, got int32$/],
    [tf.zeros([1, 8]), /^f: z needs N >= 2 rows .*got shape \[1,8\]$/],
    [tf.zeros([4, 0]), /^f: z needs D >= 1 features, got shape \[4,0\]$/],
  ];
  for (const [value, pattern] of cases) {
    assert.throws(() => validateEmbeddings(value as tf.Tensor, 'z', 'f'), pattern, pattern.source);
    if (value instanceof tf.Tensor) value.dispose();
  }
  const disposed = tf.zeros([2, 2]);
  disposed.dispose();
  assert.throws(() => validateEmbeddings(disposed, 'z', 'f'), /^f: z is a disposed tensor$/);
});

ValidateEmbeddings.run();

const ValidateEmbeddingPair = suite('validateEmbeddingPair');
ValidateEmbeddingPair.before(useCpu);

ValidateEmbeddingPair('requires both views valid and of the same shape', () => {
  const [a, b, c] = [tf.zeros([4, 3]), tf.zeros([4, 3]), tf.zeros([4, 2])];
  assert.equal(validateEmbeddingPair(a, b, 'f'), { n: 4, d: 3 });
  assert.throws(() => validateEmbeddingPair(a, c, 'f'), /^f: z1 and z2 must have the same shape \(N, D\), got \[4,3\] and \[4,2\]$/);
  assert.throws(() => validateEmbeddingPair(a, tf.zeros([4]) as tf.Tensor, 'f'), /^f: z2 must be a 2-D tensor/);
  tf.dispose([a, b, c]);
});

ValidateEmbeddingPair.run();

const AssertFinite = suite('assertFinite');
AssertFinite.before(useCpu);

AssertFinite('passes finite tensors, names the first tensor holding NaN, +Infinity or -Infinity, leaks nothing', async () => {
  const fine = tf.tensor2d([[1, -2], [3e38, -3e38]]);
  for (const bad of [NaN, Infinity, -Infinity]) {
    const t = tf.tensor2d([[1, 2], [bad, 4]]);
    assert.throws(() => assertFinite({ z1: fine, z2: t }, 'ntXent'), /^ntXent: z2 contains NaN or Infinity \(checked because checkFinite is true\)$/);
    t.dispose();
  }
  assertFinite({ z1: fine, z2: fine }, 'ntXent');
  await assertNoLeak(() => assertFinite({ z1: fine }, 'f'), 3);
  fine.dispose();
  assert.is(FINITE_CHECK_DEFAULT, false, 'the default avoids a device sync per training step');
});

AssertFinite.run();
