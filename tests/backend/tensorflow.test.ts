/**
 * The TensorFlow engine (lib/backend/tensorflow.ts): tfjs-node on the C library of a current TensorFlow wheel
 * (.ci/setup-tensorflow.sh). Skipped with a note when it is not built, failed under SIMCLR_REQUIRE_TENSORFLOW=1.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { formatBackendReport, initBackend, loadNativeTensorflow } from '../../lib/backend';
import { describeNativeDevice } from '../../lib/backend/tensorflow';
import { loadNativeConv } from '../../lib/kernels/native';
import { Rng } from '../../lib/rng';
import { assertClose } from '../helpers';
import { EXPECTED_TENSORFLOW_VERSION, tensorflowOrSkip } from '../tensorflow/availability';

const ROOT = path.resolve(__dirname, '../..');

/** Run a snippet in a fresh Node process (backend choice is process-global); its last JSON line and its stderr. */
function inChild(code: string, env: Record<string, string> = {}): { json: any; stderr: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`child exited ${r.status}: ${r.stderr}`);
  const line = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return { json: JSON.parse(line ?? 'null'), stderr: r.stderr };
}

const REPORT = `require('./lib/backend').initBackend({fastKernels: false}).then(r => console.log(JSON.stringify(r)), e => console.log(JSON.stringify({error: e.message})))`;

const Load = suite('loadNativeTensorflow with the built engine');
Load.after(async () => {
  await tf.setBackend('cpu');
});

Load('loads tfjs-node, reports TensorFlow\'s version and CPU placement, and leaves the active backend alone', async () => {
  if (!tensorflowOrSkip('the TensorFlow engine tests')) return;
  await tf.setBackend('cpu');
  const loaded = loadNativeTensorflow();
  assert.ok(loaded.ok, loaded.reason);
  assert.is(loaded.packageName, '@tensorflow/tfjs-node');
  assert.is(loaded.tensorflowVersion, EXPECTED_TENSORFLOW_VERSION, 'TF_Version() of the C library the binding runs on');
  assert.is(loaded.onGpu, false, 'this machine has no GPU');
  assert.is(tf.getBackend(), 'cpu', 'tfjs-node makes itself active when required; loading must undo that');
  const { device, onGpu } = describeNativeDevice(loaded);
  assert.is(onGpu, false);
  assert.match(device, new RegExp(`^TensorFlow ${EXPECTED_TENSORFLOW_VERSION.replace(/\./g, '\\.')} on the CPU, .* \\(\\d+ cores\\) via @tensorflow/tfjs-node$`));
});

Load('an explicit request activates it and the report names TensorFlow\'s version', async () => {
  if (!tensorflowOrSkip('the TensorFlow engine tests')) return;
  const report = await initBackend({ backend: 'tensorflow' });
  assert.is(report.backend, 'tensorflow');
  assert.is(tf.getBackend(), 'tensorflow');
  assert.is(report.tensorflowVersion, EXPECTED_TENSORFLOW_VERSION);
  assert.is(report.onGpu, false);
  assert.equal(report.fastKernels, [], 'TensorFlow keeps its own kernels');
  assert.match(formatBackendReport(report), new RegExp(`device:  TensorFlow ${EXPECTED_TENSORFLOW_VERSION.replace(/\./g, '\\.')} on the CPU`));
  const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
  assert.equal(Array.from(sum), [4, 6]);
});

Load('convolution forward and both gradients match the cpu backend', async () => {
  if (!tensorflowOrSkip('the TensorFlow engine tests')) return;
  const rng = new Rng(5);
  const random = (shape: number[]) => Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1));
  const cases: Array<{ x: number[]; w: number[]; stride: 1 | 2; pad: 'same' | 'valid' }> = [
    { x: [2, 9, 9, 3], w: [3, 3, 3, 5], stride: 1, pad: 'same' },
    { x: [3, 8, 8, 4], w: [3, 3, 4, 6], stride: 2, pad: 'same' },
    { x: [2, 7, 7, 2], w: [1, 1, 2, 4], stride: 2, pad: 'valid' },
  ];
  for (const c of cases) {
    const x = random(c.x), w = random(c.w);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      return tf.tidy(() => {
        const xs = tf.tensor4d(x, c.x as [number, number, number, number]);
        const ws = tf.tensor4d(w, c.w as [number, number, number, number]);
        const f = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.conv2d(a, b, c.stride, c.pad);
        const y = f(xs, ws);
        // Weight the output so every position's gradient differs: d/dx sum(y * y).
        const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => f(a as tf.Tensor4D, b as tf.Tensor4D).square().sum())([xs, ws]);
        return [y.dataSync(), dx.dataSync(), dw.dataSync()].map((d) => Array.from(d));
      });
    };
    const expected = await run('cpu');
    const actual = await run('tensorflow');
    for (const [i, name] of ['forward', 'input gradient', 'filter gradient'].entries()) {
      assertClose(actual[i], expected[i], { rtol: 1e-5, atol: 1e-5 }, `${name} ${JSON.stringify(c)}`);
    }
  }
  await tf.setBackend('cpu');
});

Load.run();

const Auto = suite('initBackend auto with the TensorFlow engine (fresh processes)');

Auto('on the CPU, auto keeps wasm + oneDNN (measured faster) and says why; without the addon it takes TensorFlow', () => {
  if (!tensorflowOrSkip('the TensorFlow engine tests')) return;
  const auto = inChild(REPORT, { SIMCLR_BACKEND: '' }).json;
  if (loadNativeConv().available) {
    assert.is(auto.backend, 'wasm', JSON.stringify(auto));
    const skipped = auto.skipped.find((s: any) => s.backend === 'tensorflow');
    assert.is(skipped.status, 'slower on CPU');
    assert.match(skipped.reason, /@tensorflow\/tfjs-node is TensorFlow's CPU build: on the CPU, wasm with the oneDNN addon trains the workbook's models faster/);
    assert.match(skipped.reason, /ask for backend 'tensorflow'/);
  } else {
    console.log('  (oneDNN addon not built here: only the no-addon case is checked)');
  }
  const noAddon = inChild(REPORT, { SIMCLR_BACKEND: '', SIMCLR_NATIVE: '0' }).json;
  assert.is(noAddon.backend, 'tensorflow', JSON.stringify(noAddon));
  assert.is(noAddon.tensorflowVersion, EXPECTED_TENSORFLOW_VERSION);
  assert.is(noAddon.onGpu, false);
});

Auto('SIMCLR_BACKEND=tensorflow is honoured and TensorFlow\'s INFO/WARNING start-up lines stay off stderr', () => {
  if (!tensorflowOrSkip('the TensorFlow engine tests')) return;
  const code = `require('./lib/backend').initBackend().then(r => { const tf = require('@tensorflow/tfjs'); tf.conv2d(tf.ones([1, 8, 8, 3]), tf.ones([3, 3, 3, 4]), 1, 'same').dataSync(); console.log(JSON.stringify(r)); })`;
  const env: Record<string, string> = { SIMCLR_BACKEND: 'tensorflow' };
  const { json, stderr } = inChild(code, env);
  assert.is(json.backend, 'tensorflow');
  assert.is(json.requestedBy, 'environment');
  // cpu_feature_guard's "This TensorFlow binary is optimized to use available CPU instructions" is an INFO line that
  // TF_CPP_MIN_LOG_LEVEL=2 (set by the loader unless the user set it) removes. TensorFlow 2.21 still prints its
  // "oneDNN custom operations are on" line whatever the level; that one is documented, not asserted away.
  assert.not.match(stderr, /cpu_feature_guard|This TensorFlow binary is optimized/, stderr);
  if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) {
    const verbose = inChild(code, { ...env, TF_CPP_MIN_LOG_LEVEL: '0' });
    assert.match(verbose.stderr, /cpu_feature_guard/, 'a level the user sets wins (and proves the quiet run was quieted)');
  }
});

Auto.run();
