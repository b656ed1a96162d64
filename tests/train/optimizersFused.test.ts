/**
 * The fused optimiser step (one native call per step on wasm, lib/kernels/nativeOptimizer.ts) against the op-by-op
 * rules of lib/train/optimizerRules.ts: the same weights and slots after several steps, bit for bit for SGD and
 * AdamW; LARS within 1e-5 of each array's largest value (its norms are summed in float64 natively, in float32 by
 * tfjs, so its per-variable rate differs in the last bits). Then the same with forward passes between the steps
 * (SimCLR steps of a small model): the case that the variables-only comparison did not reach (2026-12-06: weights
 * written in place went unseen by the wasm matMul, which caches its weights under the tensor's id).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createOptimizer, OptimizerOptions, StatefulOptimizer } from '../../lib/train/optimizers';
import { fusedOptimizerAvailable } from '../../lib/kernels/nativeOptimizer';
import { loadNativeAddon } from '../../lib/kernels/native';
import { registerFastKernels, restoreStockKernels } from '../../lib/kernels/register';
import { Rng } from '../../lib/rng';
import { buildModel, SimclrModel } from '../../lib/models';
import { ntXent } from '../../lib/losses';

const native = loadNativeAddon();

// Shapes of a small network: a conv kernel, a dense kernel larger than the addon's 16,384-value pieces, a bias and
// batch-norm γ/β (rank 1: excluded from decay and from LARS's adaptation by default), and a 0-weights kernel
// (LARS's r = 1 case).
const SHAPES: Record<string, number[]> = {
  'conv/kernel': [3, 3, 4, 8],
  'dense/kernel': [150, 130],
  'dense/bias': [130],
  'batch_normalization/gamma': [8],
  'batch_normalization/beta': [8],
  'zero/kernel': [4, 4],
};

let problems = 0;
function seeded(size: number, rng: Rng, scale: number): Float32Array {
  return Float32Array.from({ length: size }, () => (rng.next() * 2 - 1) * scale);
}

/** Two identical sets of variables, one optimiser each (fused on / off), stepped with the same gradients. */
function runPair(options: OptimizerOptions, steps: number) {
  const rng = new Rng(7);
  const initial = Object.fromEntries(Object.entries(SHAPES).map(([name, shape]) => [name, name.startsWith('zero') ? new Float32Array(shape.reduce((a, b) => a * b, 1)) : seeded(shape.reduce((a, b) => a * b, 1), rng, 0.5)]));
  const make = (tag: string) => {
    const prefix = `fused${problems++}${tag}`;
    const variables = Object.fromEntries(Object.entries(SHAPES).map(([name, shape]) => [name, tf.tidy(() => tf.variable(tf.tensor(initial[name], shape), true, `${prefix}/${name}`))]));
    return { prefix, variables };
  };
  const fused = make('on');
  const plain = make('off');
  const fusedOptimizer = createOptimizer({ ...options, fusedUpdate: true });
  const plainOptimizer = createOptimizer({ ...options, fusedUpdate: false });
  const kernelsPerStep: number[] = [];
  for (let step = 0; step < steps; step++) {
    const learningRate = options.learningRate * (1 - step / (2 * steps));
    fusedOptimizer.setLearningRate(learningRate);
    plainOptimizer.setLearningRate(learningRate);
    const gradients = Object.fromEntries(Object.entries(SHAPES).map(([name, shape]) => [name, seeded(shape.reduce((a, b) => a * b, 1), rng, 0.1)]));
    const apply = (optimizer: StatefulOptimizer, set: typeof fused) => {
      const named = Object.entries(gradients).map(([name, values]) => ({ name: `${set.prefix}/${name}`, tensor: tf.tensor(values, SHAPES[name]) }));
      const profile = () => optimizer.applyGradients(named);
      if (set === fused) {
        const before = tf.memory().numTensors;
        const counted = { kernels: 0 };
        // Count kernel launches of the fused step (tfjs's public profiler is async; this is the same count).
        type Launcher = { runKernelFunc: (...args: unknown[]) => unknown };
        const engine = tf.engine() as unknown as Launcher;
        const original = engine.runKernelFunc;
        engine.runKernelFunc = function (this: unknown, ...args: unknown[]) {
          counted.kernels++;
          return original.apply(this, args);
        };
        try {
          profile();
        } finally {
          engine.runKernelFunc = original;
        }
        kernelsPerStep.push(counted.kernels);
        assert.ok(tf.memory().numTensors - before <= (step === 0 ? Object.keys(SHAPES).length * 2 : 0), 'the fused step leaks no tensors');
      } else {
        profile();
      }
      named.forEach(({ tensor }) => tensor.dispose());
    };
    apply(fusedOptimizer, fused);
    apply(plainOptimizer, plain);
  }
  return { fused, plain, fusedOptimizer, plainOptimizer, kernelsPerStep };
}

/** Largest difference in ulps between two float32 arrays of the same length (NaN when one is NaN and the other not). */
function maxUlps(a: Float32Array, b: Float32Array): number {
  const ordered = (x: Int32Array, i: number) => (x[i] < 0 ? -2147483648 - x[i] : x[i]);
  const ia = new Int32Array(a.buffer, a.byteOffset, a.length);
  const ib = new Int32Array(b.buffer, b.byteOffset, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return NaN;
    worst = Math.max(worst, Math.abs(ordered(ia, i) - ordered(ib, i)));
  }
  return worst;
}

/** Largest |a − b| over the largest |b|: LARS's measure (its per-variable rate differs in the last bits). */
function relativeToLargest(a: Float32Array, b: Float32Array): number {
  let difference = 0, largest = 0;
  for (let i = 0; i < a.length; i++) {
    difference = Math.max(difference, Math.abs(a[i] - b[i]));
    largest = Math.max(largest, Math.abs(b[i]));
  }
  return largest === 0 ? difference : difference / largest;
}

/** Fused and op-by-op weights and slots equal bit for bit (tolerance 0), or within `tolerance` (relativeToLargest). */
async function compare(pair: ReturnType<typeof runPair>, tolerance: number): Promise<void> {
  const check = (what: string, a: Float32Array, b: Float32Array) => {
    if (tolerance === 0) {
      assert.is(maxUlps(a, b), 0, `${what}: differs by ${maxUlps(a, b)} ulps`);
    } else {
      assert.ok(relativeToLargest(a, b) <= tolerance, `${what}: differs by ${relativeToLargest(a, b)} of its largest value (allowed ${tolerance})`);
    }
  };
  for (const name of Object.keys(SHAPES)) {
    check(name, pair.fused.variables[name].dataSync() as Float32Array, pair.plain.variables[name].dataSync() as Float32Array);
  }
  const [fusedState, plainState] = [await pair.fusedOptimizer.getState(), await pair.plainOptimizer.getState()];
  assert.is(fusedState.iterations, plainState.iterations);
  assert.equal(fusedState.slots.map((s) => s.name.replace(pair.fused.prefix, '')), plainState.slots.map((s) => s.name.replace(pair.plain.prefix, '')), 'same slots in the same order');
  fusedState.slots.forEach((slot, i) => check(`slot ${slot.name}`, slot.values, plainState.slots[i].values));
  for (const set of [pair.fused, pair.plain]) Object.values(set.variables).forEach((v) => v.dispose());
  pair.fusedOptimizer.dispose();
  pair.plainOptimizer.dispose();
}

const Options = suite('createOptimizer fusedUpdate');
Options('fusedUpdate must be a boolean when given', () => {
  assert.throws(() => createOptimizer({ kind: 'adam', learningRate: 1e-3, fusedUpdate: 'yes' as unknown as boolean }), /createOptimizer: fusedUpdate must be true or false, got "yes"/);
  createOptimizer({ kind: 'adam', learningRate: 1e-3, fusedUpdate: false }).dispose();
});
Options.run();

const Fused = suite('fused optimiser step (wasm + native addon) against the op-by-op rules');

Fused.before(async () => {
  await tf.setBackend('wasm');
  registerFastKernels('wasm'); // as initBackend does (and its Identity shares buffers, which the sharing case needs)
});
Fused.after(() => {
  restoreStockKernels();
});

if (!native.available) {
  Fused('(skipped: the native addon is not built here)', () => {
    console.log(`  (skipped: ${native.detail})`);
  });
} else {
  const cases: Array<[string, OptimizerOptions, number]> = [
    ['AdamW with decay (γ, β, bias excluded): bit for bit', { kind: 'adam', learningRate: 1e-2, weightDecay: 0.05 }, 0],
    ['Adam without decay, tfjs-like ε: bit for bit', { kind: 'adam', learningRate: 3e-3, epsilon: 1e-7, beta1: 0.8, beta2: 0.99 }, 0],
    ['SGD with momentum and coupled decay: bit for bit', { kind: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3 }, 0],
    ['plain SGD (no slot), decay on everything: bit for bit', { kind: 'sgd', learningRate: 0.05, momentum: 0, weightDecay: 1e-2, excludeFromWeightDecay: () => false }, 0],
    // LARS's norms: float64 sums natively vs tfjs's float32 reduction, so each variable's rate η·r differs in its
    // last bits, and with it every value of the update: compared relative to the largest value instead.
    ['LARS with decay and adaptation exclusions: within 1e-5 of the largest value', { kind: 'lars', learningRate: 0.3, momentum: 0.9, weightDecay: 1e-4, trustCoefficient: 1e-3 }, 1e-5],
  ];
  for (const [title, options, tolerance] of cases) {
    Fused(title, async () => {
      assert.ok(fusedOptimizerAvailable());
      const pair = runPair(options, 6);
      assert.equal(pair.kernelsPerStep.slice(1), [0, 0, 0, 0, 0], 'after the first step (slot zeros), a fused step launches no tfjs kernel');
      await compare(pair, tolerance);
    });
  }

  Fused('by default (no fusedUpdate given) the step runs fused: after the first step it launches no tfjs kernel', async () => {
    const variable = tf.tidy(() => tf.variable(tf.tensor([1, 2, 3, 4], [2, 2]), true, `fusedDefault${problems++}/kernel`));
    const optimizer = createOptimizer({ kind: 'adam', learningRate: 0.1 });
    const gradient = tf.tensor([1, -1, 1, -1], [2, 2]);
    optimizer.applyGradients([{ name: variable.name, tensor: gradient }]); // creates the slots (zeros: kernels)
    type Launcher = { runKernelFunc: (...args: unknown[]) => unknown };
    const engine = tf.engine() as unknown as Launcher;
    const original = engine.runKernelFunc;
    let kernels = 0;
    engine.runKernelFunc = function (this: unknown, ...args: unknown[]) {
      kernels++;
      return original.apply(this, args);
    };
    try {
      optimizer.applyGradients([{ name: variable.name, tensor: gradient }]);
    } finally {
      engine.runKernelFunc = original;
    }
    assert.is(kernels, 0);
    [variable, gradient].forEach((t) => t.dispose());
    optimizer.dispose();
  });

  Fused('a tensor that shares a variable\'s buffer keeps its values: the step assigns the variable a new tensor', async () => {
    const variable = tf.tidy(() => tf.variable(tf.tensor([1, 2, 3, 4], [2, 2]), true, `fusedShared${problems++}/kernel`));
    const alias = tf.engine().runKernel('Identity', { x: variable }) as tf.Tensor; // shares the buffer (this library's wasm Identity)
    assert.is((tf.backend() as unknown as { refCount(id: tf.DataId): number }).refCount(variable.dataId), 2);
    const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.5, momentum: 0, fusedUpdate: true });
    const gradient = tf.tensor([1, 1, 1, 1], [2, 2]);
    const before = tf.memory().numTensors;
    optimizer.applyGradients([{ name: variable.name, tensor: gradient }]);
    assert.is(tf.memory().numTensors, before, 'no tensor leaked');
    assert.equal(Array.from(variable.dataSync()), [0.5, 1.5, 2.5, 3.5]);
    assert.equal(Array.from(alias.dataSync()), [1, 2, 3, 4]);
    [variable, alias, gradient].forEach((t) => t.dispose());
    optimizer.dispose();
  });

  Fused('a Dense layer computes with the new weights after a fused step (the wasm matMul caches its weights by tensor id)', async () => {
    const rng = new Rng(11);
    const layer = tf.layers.dense({ units: 16, inputShape: [24], name: `fusedDense${problems++}` });
    const x = tf.tensor(seeded(4 * 24, rng, 1), [4, 24]);
    tf.tidy(() => layer.apply(x) as tf.Tensor); // builds the layer; the matMul now holds an operator packed from these weights
    const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.5, momentum: 0, fusedUpdate: true });
    const gradients = layer.trainableWeights.map((w) => ({ name: (w.read() as tf.Variable).name, tensor: tf.onesLike(w.read()) }));
    optimizer.applyGradients(gradients);
    const [kernel, bias] = layer.getWeights().map((w) => Float32Array.from(w.dataSync()));
    assert.ok(Math.abs(bias[0] + 0.5) < 1e-6, 'the step moved the bias (zeros → −0.5)');
    const actual = tf.tidy(() => (layer.apply(x) as tf.Tensor).dataSync());
    // From copies of the new values (new tensor ids), in float64.
    const input = x.dataSync();
    let worst = 0;
    for (let row = 0; row < 4; row++) {
      for (let unit = 0; unit < 16; unit++) {
        let sum = bias[unit];
        for (let k = 0; k < 24; k++) sum += input[row * 24 + k] * kernel[k * 16 + unit];
        worst = Math.max(worst, Math.abs(actual[row * 16 + unit] - sum));
      }
    }
    assert.ok(worst < 1e-4, `Dense output differs from x·W + b of its new weights by ${worst}`);
    gradients.forEach(({ tensor }) => tensor.dispose());
    [x, ...layer.weights.map((w) => w.read())].forEach((t) => t.dispose());
    optimizer.dispose();
  });

  // SimclrTrainer.trainStep's pieces (a registry model, NT-Xent on two views, optimizer.minimize over the trainable
  // variables, batch norm in training mode), small enough to take a second: fused and op-by-op runs from the same
  // weights on the same batches must stay equal bit for bit, losses included.
  const simclrCases: Array<[string, OptimizerOptions]> = [
    ['AdamW with decay', { kind: 'adam', learningRate: 1e-2, weightDecay: 0.05 }],
    ['momentum SGD', { kind: 'sgd', learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3 }],
  ];
  for (const [title, options] of simclrCases) {
    Fused(`SimCLR steps (small CNN + MLP head, NT-Xent), ${title}: fused equals op by op after every step, bit for bit`, async () => {
      const modelConfig = { encoder: 'smallCnn' as const, inputShape: [16, 16, 1] as [number, number, number], width: 4, head: { kind: 'mlp' as const, hiddenDim: 16, outputDim: 8 } };
      const runs = [true, false].map((fusedUpdate) => ({ model: buildModel(modelConfig, 5), optimizer: createOptimizer({ ...options, fusedUpdate }), losses: [] as number[] }));
      const rng = new Rng(3);
      const weightsOf = (model: SimclrModel) => [...model.encoder.weights, ...model.head.weights].map((w) => w.read() as tf.Variable);
      for (let step = 0; step < 4; step++) {
        const views = [0, 1].map(() => tf.tensor(seeded(8 * 16 * 16, rng, 0.5).map((v) => v + 0.5), [8, 16, 16, 1]) as tf.Tensor4D);
        for (const run of runs) {
          const loss = tf.tidy(() => run.optimizer.minimize(() => {
            const { z } = run.model.embed(tf.concat(views, 0) as tf.Tensor4D, { training: true }); // (2N, D)
            return ntXent(tf.slice(z, [0, 0], [8, -1]) as tf.Tensor2D, tf.slice(z, [8, 0], [8, -1]) as tf.Tensor2D, { temperature: 0.5 });
          }, true, run.model.trainableVariables()) as tf.Scalar);
          run.losses.push(loss.dataSync()[0]);
          loss.dispose();
        }
        views.forEach((v) => v.dispose());
        assert.is(runs[0].losses[step], runs[1].losses[step], `step ${step}: loss fused ${runs[0].losses[step]}, op by op ${runs[1].losses[step]}`);
        const [fused, plain] = runs.map((run) => weightsOf(run.model));
        fused.forEach((w, i) => assert.is(maxUlps(w.dataSync() as Float32Array, plain[i].dataSync() as Float32Array), 0, `step ${step}: ${plain[i].name} differs`));
      }
      assert.ok(runs[0].losses[3] < runs[0].losses[0], `the fused run learns: loss ${runs[0].losses[0]} → ${runs[0].losses[3]}`);
      for (const run of runs) {
        run.optimizer.dispose();
        run.model.dispose();
      }
    });
  }

  Fused('on the cpu backend the fused step is not available and the rules run op by op', async () => {
    await tf.setBackend('cpu');
    try {
      assert.is(fusedOptimizerAvailable(), false);
      const variable = tf.variable(tf.tensor([1, 2], [2]), true, `fusedCpu${problems++}/kernel`);
      const optimizer = createOptimizer({ kind: 'sgd', learningRate: 0.5, momentum: 0 });
      optimizer.applyGradients([{ name: variable.name, tensor: tf.tensor([2, 2], [2]) }]);
      assert.equal(Array.from(variable.dataSync()), [0, 1]);
      variable.dispose();
      optimizer.dispose();
    } finally {
      await tf.setBackend('wasm');
    }
  });
}

Fused.run();
