import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import * as kernels from '../../lib/kernels';
import { fastKernelsRegistered, registerFastKernels, restoreStockKernels } from '../../lib/kernels';

const exportsSuite = suite('exports');
exportsSuite('lib/kernels exports the entry points', () => {
  assert.type(kernels.registerFastKernels, 'function');
  assert.type(kernels.restoreStockKernels, 'function');
  assert.type(kernels.fastKernelsRegistered, 'function');
});
exportsSuite.run();

const register = suite('registerFastKernels');
register.before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  restoreStockKernels();
});
register.after(() => {
  restoreStockKernels();
});
register('backends without replacements get none: cpu, tensorflow, unknown names', () => {
  assert.equal(registerFastKernels('cpu'), []);
  assert.equal(registerFastKernels('tensorflow'), []);
  assert.equal(registerFastKernels('no-such-backend'), []);
});
register('wasm: returns the replaced kernels, which are then the registered ones', () => {
  assert.is(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined, 'stock wasm has no filter gradient (tfjs #8474)');
  const names = registerFastKernels('wasm');
  for (const name of ['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Tile', 'Slice']) assert.ok(names.includes(name), name);
  assert.ok(tf.getKernel('Conv2DBackpropFilter', 'wasm'));
  assert.equal(fastKernelsRegistered('wasm'), names);
});
register('idempotent: a second call returns the same names and keeps the same kernel objects', () => {
  const first = registerFastKernels('wasm');
  const configs = first.map((name) => tf.getKernel(name, 'wasm'));
  assert.equal(registerFastKernels('wasm'), first);
  first.forEach((name, i) => assert.is(tf.getKernel(name, 'wasm'), configs[i], name));
});
register('defaults to the current backend', () => {
  restoreStockKernels('wasm');
  assert.is(tf.getBackend(), 'wasm');
  assert.ok(registerFastKernels().includes('Conv2DBackpropFilter'));
});
register.run();

const restore = suite('restoreStockKernels');
restore.before(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  restoreStockKernels();
});
restore('puts back the stock kernel objects and unregisters kernels the backend never had', () => {
  const stockInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const stockTile = tf.getKernel('Tile', 'wasm');
  registerFastKernels('wasm');
  assert.is.not(tf.getKernel('Conv2DBackpropInput', 'wasm'), stockInput);
  const restored = restoreStockKernels('wasm');
  assert.ok(restored.includes('Conv2DBackpropInput') && restored.includes('Conv2DBackpropFilter'));
  assert.is(tf.getKernel('Conv2DBackpropInput', 'wasm'), stockInput);
  assert.is(tf.getKernel('Tile', 'wasm'), stockTile);
  assert.is(tf.getKernel('Conv2DBackpropFilter', 'wasm'), undefined);
  assert.equal(fastKernelsRegistered('wasm'), []);
});
restore('restoring twice, or a backend never touched, is a no-op', () => {
  assert.equal(restoreStockKernels('wasm'), []);
  assert.equal(restoreStockKernels('cpu'), []);
});
restore('the stock wasm input gradient still computes after a register/restore round trip', () => {
  registerFastKernels('wasm');
  restoreStockKernels('wasm');
  const dx = tf.tidy(() => tf.grad((x: tf.Tensor) => tf.sum(tf.conv2d(x as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same')))(tf.ones([1, 3, 3, 1])).dataSync());
  assert.equal(Array.from(dx), [4, 6, 4, 6, 9, 6, 4, 6, 4]);
});
restore.run();
