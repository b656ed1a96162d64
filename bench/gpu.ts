/**
 * The GPU benchmark (run on the GPU machine, see /work/shared/gpu/README.md): CIFAR ResNet-18 at width 64,
 * 2N = 512, 32 px, SimCLR step with and without views, WebGPU stock / stock with the matmul input gradient /
 * fast kernels, against PyTorch fp32 (TF32 off) on the same GPU; then the conv kernel microbenchmarks at that size.
 *
 *   bash .device/remote.sh node -r tsx/cjs bench/gpu.ts [--steps 6] [--warmup 2] [--no-kernels] [run.ts options]
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';
import { probeWebGpu } from '../lib/backend';
import { setupBackend } from './backends';
import { formatKernelTable, kernelCases, measureKernels } from './kernels';
import { BenchOptions, formatTable, parseOptions, runBench } from './run';

/** GPU defaults: the H100/H200 comparison of ENVIRONMENT.md (PyTorch 8,843 img/s fp32 vs stock tfjs-webgpu 103 on an H200). */
export const GPU_DEFAULTS: BenchOptions = {
  models: ['resnet18-w64'],
  backends: ['webgpu-stock', 'webgpu-mmtranspose', 'webgpu-fast'],
  views: [false, true],
  warmup: 2, // the first steps compile shaders
  steps: 6, // stock WebGPU takes ~5 s per step at this size: keep the whole run within a 10-minute slot
  maxSeconds: 60,
  reference: true,
  referenceDevice: 'cuda',
  // GPU time is scarce: a missing CUDA PyTorch is named in every row, and the kernel timings below still run.
  allowMissingReference: true,
};

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const options = parseOptions(args, GPU_DEFAULTS);
  const probe = await probeWebGpu();
  console.log(`# ${new Date().toISOString()} ${os.cpus()[0]?.model?.trim()} x${os.cpus().length}, node ${process.version}, tfjs ${tf.version.tfjs}`);
  console.log(`# WebGPU adapter: ${probe.ok ? `${probe.adapter?.description || probe.adapter?.device} (${probe.adapter?.vendor})${probe.adapter?.software ? ' [software]' : ''}` : `none: ${probe.reason}`}`);
  const { rows } = await runBench(options);
  console.log(formatTable(rows));
  if (!args.includes('--no-kernels') && probe.ok) {
    const setup = await setupBackend('webgpu');
    if (setup.ok) {
      const timings = await measureKernels(3, kernelCases(64, 512));
      for (const t of timings) console.log(JSON.stringify(t));
      console.log(formatKernelTable(timings));
    }
  }
}

if (require.main === module) main();
