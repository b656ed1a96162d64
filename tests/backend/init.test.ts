import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { BackendUnavailableError, formatBackendReport, initBackend, loadNativeTensorflow, parseBackendName, probeWebGpu } from '../../lib/backend';
import { loadNativeConv } from '../../lib/kernels/native';
import { probeWebGpuIsolated } from '../../lib/backend/webgpu';
import { assertThrowsAsync } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');

/** Run a snippet in a fresh Node process (backend choice is process-global) and parse its JSON output. */
function inChild(code: string, env: Record<string, string> = {}): any {
  const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60_000,
  });
  const line = out.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  return JSON.parse(line ?? 'null');
}

const Explicit = suite('initBackend explicit requests');
Explicit.after(async () => {
  await tf.setBackend('cpu');
});

Explicit('cpu and wasm are always available and become active', async () => {
  for (const name of ['cpu', 'wasm'] as const) {
    const report = await initBackend({ backend: name, fastKernels: false });
    assert.is(report.backend, name);
    assert.is(tf.getBackend(), name);
    assert.is(report.requestedBy, 'caller');
    assert.is(report.onGpu, false);
    const sum = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync());
    assert.equal(Array.from(sum), [4, 6], `arithmetic on ${name}`);
    assert.match(formatBackendReport(report), new RegExp(`backend: ${name}`));
    const brief = formatBackendReport(report, { brief: true });
    assert.not.match(brief, /\n/, 'brief is one line');
    assert.ok(brief.startsWith(`backend: ${name} (requested by caller) — ${report.device}`), brief);
  }
  const skipping = { backend: 'wasm', device: 'WebAssembly on X', onGpu: false, skipped: [{ backend: 'tensorflow', status: 'not installed', reason: 'r' }, { backend: 'webgpu', status: 'no adapter', reason: 'r' }], fastKernels: ['Conv2D'], requestedBy: 'auto' } as never;
  assert.is(formatBackendReport(skipping, { brief: true }), 'backend: wasm — WebAssembly on X; 2 other options skipped (details: formatBackendReport(report))');
});

Explicit('asking for TensorFlow when it is not installed names the package and CUDA/cuDNN versions', async () => {
  if (loadNativeTensorflow().ok) {
    console.log('  (skipped: tfjs-node is installed on this machine)');
    return;
  }
  try {
    await initBackend({ backend: 'tensorflow' });
    assert.unreachable('should have thrown');
  } catch (err) {
    assert.instance(err, BackendUnavailableError);
    const message = (err as Error).message;
    assert.match(message, /@tensorflow\/tfjs-node-gpu not installed/);
    assert.match(message, /bash \.ci\/setup-tensorflow\.sh/, 'names the script that builds it');
    assert.match(message, /CUDA 11\.2 and cuDNN 8\.1/);
  }
});

Explicit('unknown names are rejected from the caller and from SIMCLR_BACKEND', async () => {
  await assertThrowsAsync(() => initBackend({ backend: 'tpu' as any }), /unknown backend 'tpu'/);
  assert.throws(() => parseBackendName('gpu', 'SIMCLR_BACKEND'), /SIMCLR_BACKEND: unknown backend 'gpu'/);
  assert.is(parseBackendName('auto', 'x'), undefined);
  assert.is(parseBackendName(' WASM ', 'x'), 'wasm');
});

Explicit.run();

const Native = suite('loadNativeTensorflow');

Native('distinguishes not installed from failed to load, and tries the GPU package first', () => {
  const tried: string[] = [];
  const missing = (name: string) => {
    tried.push(name);
    const e = new Error(`Cannot find module '${name}'`) as Error & { code: string };
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  };
  const r1 = loadNativeTensorflow(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'], missing);
  assert.equal(tried, ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']);
  assert.is(r1.ok, false);
  assert.is(r1.status, 'not installed');
  const broken = (name: string) => {
    if (name.endsWith('gpu')) throw new Error('libcudnn.so.8: cannot open shared object file');
    return missing(name);
  };
  const r2 = loadNativeTensorflow(['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'], broken);
  assert.is(r2.status, 'failed to load');
  assert.match(r2.reason, /libcudnn\.so\.8/);
});

Native.run();

const Auto = suite('initBackend automatic order (fresh processes)');

const REPORT = `require('./lib/backend').initBackend({fastKernels: false}).then(r => console.log(JSON.stringify(r)), e => console.log(JSON.stringify({error: e.message})))`;

Auto('auto skips TensorFlow (not installed, or on the CPU next to the oneDNN addon) and a software WebGPU adapter, and lands on wasm', () => {
  const r = inChild(REPORT, { SIMCLR_BACKEND: '' });
  const tensorflow = loadNativeTensorflow();
  if (tensorflow.ok && (tensorflow.onGpu || !loadNativeConv().available)) {
    assert.is(r.backend, 'tensorflow');
    return;
  }
  assert.is(r.skipped[0].backend, 'tensorflow');
  assert.is(r.skipped[0].status, tensorflow.ok ? 'slower on CPU' : 'not installed');
  const webgpu = r.skipped.find((s: any) => s.backend === 'webgpu');
  if (r.backend === 'webgpu') {
    assert.is(r.onGpu, true, 'auto only takes a hardware adapter');
    return;
  }
  assert.ok(webgpu, 'webgpu appears among the skipped with a reason');
  assert.ok(['software adapter', 'no adapter', 'not installed', 'failed to load'].includes(webgpu.status), webgpu.status);
  assert.is(r.backend, 'wasm');
  assert.is(r.requestedBy, 'auto');
});

Auto("auto choosing on a machine without a hardware GPU starts no Dawn in its own process: Dawn's start-up warnings never reach its stderr", () => {
  const child = spawnSync(process.execPath, ['-r', 'tsx/cjs', '-e', REPORT], { cwd: ROOT, env: { ...process.env, SIMCLR_BACKEND: '' }, encoding: 'utf8', timeout: 60_000 });
  const report = JSON.parse(child.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop() ?? 'null');
  if (report.backend === 'webgpu') return; // a hardware adapter: Dawn runs in the process by design
  assert.not.match(child.stderr, /artificially reduced|maxDynamic/, `stderr: ${child.stderr.slice(0, 500)}`);
  assert.not.match(child.stderr, /Warning/, `stderr: ${child.stderr.slice(0, 500)}`);
});

Auto('the child-process look at the adapter agrees with the in-process probe', async () => {
  const [look, probe] = [await probeWebGpuIsolated(), await probeWebGpu()];
  assert.is(look.ok, probe.ok);
  assert.is(look.status, probe.status);
  assert.equal(look.adapter, probe.adapter);
});

Auto('SIMCLR_BACKEND chooses, and an unavailable choice is an error, not a fallback', () => {
  const r = inChild(REPORT, { SIMCLR_BACKEND: 'cpu' });
  assert.is(r.backend, 'cpu');
  assert.is(r.requestedBy, 'environment');
  assert.equal(r.skipped, []);
  const bad = inChild(REPORT, { SIMCLR_BACKEND: 'tensorflow' });
  if (!loadNativeTensorflow().ok) assert.match(bad.error, /Backend 'tensorflow' is not available.*SIMCLR_BACKEND/);
});

Auto('with no Vulkan driver, WebGPU reports no adapter and an explicit request explains what to install', () => {
  // VK_ICD_FILENAMES pointing nowhere hides every Vulkan driver from Dawn, as on a machine without one.
  const env = { SIMCLR_BACKEND: '', VK_ICD_FILENAMES: '/nonexistent.json', VK_DRIVER_FILES: '/nonexistent.json' };
  const r = inChild(REPORT, env);
  const webgpu = r.skipped.find((s: any) => s.backend === 'webgpu');
  assert.is(webgpu.status, 'no adapter');
  const explicit = inChild(REPORT.replace('{fastKernels: false}', "{backend: 'webgpu', fastKernels: false}"), env);
  assert.match(explicit.error, /Backend 'webgpu' is not available: Dawn found no GPU adapter/);
  assert.match(explicit.error, /Vulkan \(Linux\), Metal \(macOS\) or D3D12/);
});

Auto.run();

const WebGpu = suite('initBackend webgpu on this machine');

WebGpu('explicit webgpu runs tensors on the adapter (lavapipe in CI), or is skipped with a reason', async () => {
  const probe = await probeWebGpu();
  if (!probe.ok) {
    console.log(`  (skipped webgpu: ${probe.reason})`);
    return;
  }
  const r = inChild(`require('./lib/backend').initBackend({backend: 'webgpu', fastKernels: false}).then(async r => {
    const tf = require('@tensorflow/tfjs');
    const y = tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]]));
    console.log(JSON.stringify({ ...r, product: Array.from(await y.data()) }));
  }, e => console.log(JSON.stringify({error: e.message})))`);
  assert.is(r.error, undefined, r.error);
  assert.is(r.backend, 'webgpu');
  assert.is(r.tfBackend, 'webgpu');
  assert.is(r.softwareAdapter, probe.adapter!.software);
  assert.equal(r.product, [17, 39]);
});

WebGpu.run();
