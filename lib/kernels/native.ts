/**
 * Loading the native addon (lib/native: oneDNN convolutions and batch norm, element-wise arithmetic, max-pool
 * gradient and fused optimiser updates on all cores, for the wasm backend; and the linear probe's float64 objective,
 * for any backend). Only the loader: the code over it is nativeConv.ts, nativeElementwise.ts, nativeBatchNorm.ts,
 * nativePooling.ts, nativeOptimizer.ts and nativeProbe.ts.
 *
 * tfjs-wasm runs its kernels on XNNPACK with one thread and 128-bit SIMD, and has no filter gradient at
 * all. oneDNN (Debian's libdnnl, the library PyTorch's CPU convolutions run on) uses every core and the CPU's
 * widest vectors. The addon reads and writes the wasm heap in place through Float32Array views, so a tensor
 * never leaves the wasm backend: only kernels change, the model code does not.
 *
 * Built at install (`bash lib/native/build.sh`, run by setup and by the package's install script). When it is
 * missing or fails to load, `loadNativeAddon` says why and the wasm kernels are used instead.
 * Environment: SIMCLR_NATIVE=0 turns it off; SIMCLR_NATIVE_ADDON=path loads another build;
 * OMP_NUM_THREADS sets oneDNN's thread count (default: all cores).
 */
import * as path from 'path';
import * as fs from 'fs';

/** The addon's functions (see lib/native/addon.h). Arrays are float32 NHWC / (KH, KW, Cin, Cout); outputs are written in place. */
export interface NativeAddon {
  conv2d(x: Float32Array, filter: Float32Array, bias: Float32Array | null, y: Float32Array, geometry: Int32Array, relu: boolean): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dw: Float32Array, geometry: Int32Array): void;
  /** out = a ∘ b, ∘ = [+, −, ×, ÷][op]; mode 0 same length, 1/2 b/a repeats with period `inner`, 3/4 b/a one value. */
  elementwise(op: number, a: Float32Array, b: Float32Array, out: Float32Array, mode: number, inner: number): void;
  /** Batch norm in training over (rows, channels) data: y, and the batch mean and biased variance per channel. */
  batchNormForward(rows: number, channels: number, epsilon: number, x: Float32Array, scale: Float32Array, shift: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array): void;
  /** Its gradient: dx, dscale = Σ dy·x̂, dshift = Σ dy. */
  batchNormBackward(rows: number, channels: number, epsilon: number, x: Float32Array, dy: Float32Array, scale: Float32Array, mean: Float32Array, variance: Float32Array, dx: Float32Array, dscale: Float32Array, dshift: Float32Array): void;
  /** Gradient of 2-D max pooling, NHWC; geometry [N, H, W, C, Ho, Wo, KH, KW, strideH, strideW, padTop, padLeft]. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /**
   * One optimiser update of every variable in place (optimizer.cc): rule 0 SGD, 1 AdamW, 2 LARS, with the rule's
   * float64 scalars, per-variable flags (bit 0 decay, bit 1 LARS adaptation) and slot lists (empty when unused).
   */
  optimizerStep(rule: number, scalars: Float64Array, flags: Uint8Array, weights: Float32Array[], gradients: Float32Array[], slots1: Float32Array[], slots2: Float32Array[]): void;
  /**
   * Softmax regression's loss and gradient in float64 (softmax_regression.cc; see nativeProbe.ts). Optional: a build
   * older than this function lacks it, and the probe then uses its JavaScript path.
   */
  softmaxRegressionObjective?(features: Float32Array, labels: Int32Array, dim: number, numClasses: number, l2: number, parameters: Float64Array, gradient: Float64Array, threads: number): number;
  info(): { onednn: string; cpuIsa: string; threads: number };
}

/** Whether the addon can be used, and a one-line description or the reason it cannot. */
export interface NativeAddonStatus {
  available: boolean;
  /** e.g. 'oneDNN 2.6.3 (avx512_core, 2 threads)', or why it is not used. */
  detail: string;
  /** The addon's OpenMP threads (when available). */
  threads?: number;
  addon?: NativeAddon;
}

let cached: NativeAddonStatus | undefined;

/** Where a build may be: next to the sources (lib/kernels → lib/native) or next to the compiled library (lib/dist/kernels). */
function candidatePaths(): string[] {
  const fromEnv = process.env.SIMCLR_NATIVE_ADDON;
  if (fromEnv) return [path.resolve(fromEnv)];
  return [path.join(__dirname, '..', 'native', 'build', 'dnnl_conv.node'), path.join(__dirname, '..', '..', 'native', 'build', 'dnnl_conv.node')];
}

/**
 * Load the oneDNN addon once per process. Never throws: a missing or broken build gives `available: false`
 * with the reason (and the command that builds it).
 */
export function loadNativeAddon(): NativeAddonStatus {
  if (cached) return cached;
  if (['0', 'false', 'no', 'off'].includes((process.env.SIMCLR_NATIVE ?? '').toLowerCase())) {
    return (cached = { available: false, detail: 'turned off by SIMCLR_NATIVE' });
  }
  const found = candidatePaths().find((p) => fs.existsSync(p));
  if (!found) {
    return (cached = { available: false, detail: 'not built (needs g++ and libdnnl-dev; run `bash lib/native/build.sh`)' });
  }
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(found) as NativeAddon;
    const missing = ['conv2d', 'conv2dBackpropInput', 'conv2dBackpropFilter', 'elementwise', 'batchNormForward', 'batchNormBackward', 'maxPoolGrad', 'optimizerStep', 'info'].filter((name) => typeof (addon as unknown as Record<string, unknown>)[name] !== 'function');
    if (missing.length) {
      return (cached = { available: false, detail: `${found} is an outdated build (no ${missing.join(', ')}); rebuild with \`bash lib/native/build.sh\`` });
    }
    const info = addon.info();
    return (cached = { available: true, detail: `oneDNN ${info.onednn} (${info.cpuIsa}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`, threads: info.threads, addon });
  } catch (err) {
    return (cached = { available: false, detail: `failed to load ${found}: ${(err as Error).message.split('\n')[0]}` });
  }
}

/** Former names, kept for the modules outside lib/kernels that still import them (lib/backend, bench, tests/backend). */
export const loadNativeConv = loadNativeAddon;
export type NativeConvStatus = NativeAddonStatus;
export type NativeConvAddon = NativeAddon;
