import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as schedule from '../../lib/train/schedule';
import { ScheduleOptions, learningRateAt, scaledLearningRate, validateSchedule } from '../../lib/train/schedule';
import { assertClose } from '../helpers';

const Exports = suite('exports');

Exports('the module exports its functions and defaults', () => {
  for (const name of ['learningRateAt', 'scaledLearningRate', 'validateSchedule']) {
    assert.type((schedule as Record<string, unknown>)[name], 'function', name);
  }
  assert.equal(schedule.SCHEDULE_DEFAULTS, { warmupSteps: 0, minLearningRate: 0 });
});

Exports.run();

const LearningRateAt = suite('learningRateAt');
const warmupCosine: ScheduleOptions = { baseLearningRate: 0.8, warmupSteps: 10, totalSteps: 110, schedule: 'warmupCosine', minLearningRate: 0.02 };
const sweep = (options: ScheduleOptions, last: number) => Array.from({ length: last + 1 }, (_, step) => learningRateAt(step, options));

LearningRateAt('warmup endpoints: base/W at step 0, base at steps W-1 and W, linear in between', () => {
  const { baseLearningRate: base, warmupSteps: w } = warmupCosine as Required<ScheduleOptions>;
  assertClose(learningRateAt(0, warmupCosine), base / w, { rtol: 1e-15 });
  assertClose(learningRateAt(w - 1, warmupCosine), base, { rtol: 1e-15 });
  assertClose(learningRateAt(w, warmupCosine), base, { rtol: 1e-15 });
  for (let s = 0; s < w; s++) assertClose(learningRateAt(s, warmupCosine), (base * (s + 1)) / w, { rtol: 1e-15 }, `step ${s}`);
});

LearningRateAt('cosine: midpoint (base+min)/2, quarter point by the SGDR formula, end min, beyond the end stays min', () => {
  const base = 0.8, min = 0.02;
  assertClose(learningRateAt(60, warmupCosine), (base + min) / 2, { rtol: 1e-12 });
  assertClose(learningRateAt(35, warmupCosine), min + (base - min) * 0.5 * (1 + Math.cos(Math.PI / 4)), { rtol: 1e-12 });
  assert.is(learningRateAt(110, warmupCosine), min);
  assert.is(learningRateAt(500, warmupCosine), min);
  const plain: ScheduleOptions = { baseLearningRate: 1, totalSteps: 8, schedule: 'cosine' };
  assert.equal(sweep(plain, 8).map((v) => +v.toFixed(12)), [0, 1, 2, 3, 4, 5, 6, 7, 8].map((s) => +(0.5 * (1 + Math.cos((Math.PI * s) / 8))).toFixed(12)));
  assert.is(learningRateAt(0, plain), 1);
  assert.is(learningRateAt(8, plain), 0, 'minLearningRate defaults to 0');
});

LearningRateAt('monotone pieces: strictly increasing during warmup, non-increasing afterwards, within [min, base]', () => {
  const values = sweep(warmupCosine, 120);
  for (let s = 1; s < 10; s++) assert.ok(values[s] > values[s - 1], `warmup step ${s}`);
  for (let s = 11; s <= 120; s++) assert.ok(values[s] <= values[s - 1], `decay step ${s}`);
  for (let s = 11; s < 110; s++) assert.ok(values[s] < values[s - 1], `strict decay step ${s}`);
  assert.ok(values.every((v) => v >= 0.02 && v <= 0.8));
});

LearningRateAt("'constant' is the base rate, after a linear warmup when one is asked for", () => {
  assert.equal(sweep({ baseLearningRate: 1e-3, totalSteps: 5, schedule: 'constant' }, 7), Array(8).fill(1e-3));
  const warm = sweep({ baseLearningRate: 0.4, warmupSteps: 4, totalSteps: 10, schedule: 'constant' }, 6);
  assertClose(warm, [0.1, 0.2, 0.3, 0.4, 0.4, 0.4, 0.4], { rtol: 1e-15 });
});

LearningRateAt("'warmupCosine' with warmupSteps 0 equals 'cosine'", () => {
  const a = sweep({ baseLearningRate: 0.3, totalSteps: 20, schedule: 'cosine', minLearningRate: 0.1 }, 25);
  const b = sweep({ baseLearningRate: 0.3, totalSteps: 20, schedule: 'warmupCosine', warmupSteps: 0, minLearningRate: 0.1 }, 25);
  assert.equal(a, b);
});

LearningRateAt('pure: same inputs give the same output, in any call order, and the options object is not changed', () => {
  const options = { ...warmupCosine };
  const frozen = Object.freeze({ ...warmupCosine });
  const forward = sweep(options, 120);
  const backward = Array.from({ length: 121 }, (_, i) => learningRateAt(120 - i, frozen)).reverse();
  assert.equal(forward, backward);
  assert.equal(options, warmupCosine);
  assert.is(learningRateAt(37, { ...warmupCosine, warmupSteps: undefined, schedule: 'cosine' }), learningRateAt(37, { ...warmupCosine, warmupSteps: 0, schedule: 'cosine' }), 'undefined means default');
});

LearningRateAt('validation: clear errors naming the setting, what was expected and what was got', () => {
  const ok: ScheduleOptions = { baseLearningRate: 0.1, warmupSteps: 2, totalSteps: 10, schedule: 'warmupCosine' };
  const cases: [number, unknown, RegExp][] = [
    [-1, ok, /step must be an integer >= 0, got -1/],
    [1.5, ok, /step must be an integer >= 0, got 1.5/],
    [NaN, ok, /step must be an integer/],
    [0, null, /options must be an object/],
    [0, { ...ok, schedule: 'linear' }, /schedule must be one of constant, cosine, warmupCosine, got "linear"/],
    [0, { ...ok, baseLearningRate: 0 }, /baseLearningRate must be a finite number > 0, got 0/],
    [0, { ...ok, baseLearningRate: Infinity }, /baseLearningRate must be a finite number > 0, got Infinity/],
    [0, { ...ok, totalSteps: 0 }, /totalSteps must be an integer >= 1, got 0/],
    [0, { ...ok, totalSteps: 9.5 }, /totalSteps must be an integer >= 1, got 9.5/],
    [0, { ...ok, warmupSteps: -2 }, /warmupSteps must be an integer >= 0, got -2/],
    [0, { ...ok, warmupSteps: 10 }, /warmupSteps must be < totalSteps for 'warmupCosine'.*got 10 >= 10/],
    [0, { ...ok, schedule: 'cosine' }, /schedule 'cosine' has no warmup, got warmupSteps 2/],
    [0, { ...ok, schedule: 'constant', warmupSteps: 11 }, /warmupSteps must be <= totalSteps, got 11 > 10/],
    [0, { ...ok, minLearningRate: -0.1 }, /minLearningRate must be a finite number in \[0, baseLearningRate = 0.1\], got -0.1/],
    [0, { ...ok, minLearningRate: 0.2 }, /minLearningRate must be .* got 0.2/],
  ];
  for (const [step, options, pattern] of cases) {
    assert.throws(() => learningRateAt(step, options as ScheduleOptions), pattern, `${step} ${JSON.stringify(options)}`);
  }
  assert.equal(validateSchedule({ baseLearningRate: 0.1, totalSteps: 3, schedule: 'cosine' }), { baseLearningRate: 0.1, totalSteps: 3, schedule: 'cosine', warmupSteps: 0, minLearningRate: 0 });
});

LearningRateAt.run();

const ScaledLearningRate = suite('scaledLearningRate');

ScaledLearningRate("SimCLR's settings: 0.3 x N/256 (linear) and 0.075 x sqrt(N) (sqrt) both give 4.8 at N = 4096", () => {
  assertClose(scaledLearningRate(0.3, 4096, 'linear'), 4.8, { rtol: 1e-15 });
  assertClose(scaledLearningRate(0.075, 4096, 'sqrt'), 4.8, { rtol: 1e-15 });
});

ScaledLearningRate('known values: linear is 1x at N = 256, sqrt at N = 128 and 256, none is the base', () => {
  assert.is(scaledLearningRate(0.3, 256, 'linear'), 0.3);
  assertClose(scaledLearningRate(0.3, 128, 'linear'), 0.15, { rtol: 1e-15 });
  assertClose(scaledLearningRate(0.075, 128, 'sqrt'), 0.075 * Math.SQRT2 * 8, { rtol: 1e-15 });
  assert.is(scaledLearningRate(0.075, 256, 'sqrt'), 1.2);
  assert.is(scaledLearningRate(1e-3, 128, 'none'), 1e-3);
});

ScaledLearningRate('validation errors', () => {
  assert.throws(() => scaledLearningRate(0, 128, 'linear'), /baseLearningRate must be a finite number > 0, got 0/);
  assert.throws(() => scaledLearningRate(0.1, 0, 'linear'), /batchSize must be an integer >= 1 \(images per step\), got 0/);
  assert.throws(() => scaledLearningRate(0.1, 12.5, 'sqrt'), /batchSize must be an integer >= 1.*got 12.5/);
  assert.throws(() => scaledLearningRate(0.1, 128, 'square' as never), /rule must be one of none, linear, sqrt, got "square"/);
});

ScaledLearningRate.run();
