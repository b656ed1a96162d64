/** Switching a backend between its stock kernels and this library's fast training kernels. */
import * as tf from '@tensorflow/tfjs';
import { GRADIENT_CONFIGS } from './gradients';
import { wasmKernelConfigs } from './wasm';
import { webgpuKernelConfigs } from './webgpu';
import { BATCH_NORM_TRAIN } from './kernelNames';
import { registerBatchNormTrainGradient } from './nativeBatchNorm';

type ConfigFactory = (stock: (kernelName: string) => tf.KernelConfig | undefined, options: FastKernelOptions) => tf.KernelConfig[];

/** Options of `registerFastKernels`. */
export interface FastKernelOptions {
  /**
   * Use the oneDNN addon for convolutions on wasm when it is built (lib/kernels/native*.ts). Default true;
   * env SIMCLR_NATIVE=0 also turns it off. Without it, the wasm-only kernels are used.
   */
  native?: boolean;
}

/** Backends with replacements. Others ('cpu', 'tensorflow', ...) have none: their stock kernels stay. */
const FACTORIES: Record<string, ConfigFactory> = {
  wasm: wasmKernelConfigs,
  webgpu: webgpuKernelConfigs,
};

interface Installed {
  /** The stock config each replaced kernel had (undefined: the backend had none). */
  stock: Map<string, tf.KernelConfig | undefined>;
  /** Our configs, to tell whether they are still the registered ones. */
  ours: tf.KernelConfig[];
  /** The `native` option they were built with. */
  native: boolean;
}

const installed = new Map<string, Installed>();

/** tfjs's own gradient configs, saved while ours are registered (gradients are global, not per backend). */
let stockGradients: Map<string, tf.GradConfig | undefined> | null = null;

/** Names reported for the gradient replacements, e.g. 'grad:FusedBatchNorm'. */
const gradientNames = () => GRADIENT_CONFIGS.map((g) => `grad:${g.kernelName}`);

function installGradients(): void {
  if (stockGradients) return;
  stockGradients = new Map(GRADIENT_CONFIGS.map((g) => [g.kernelName, tf.getGradient(g.kernelName)]));
  for (const config of GRADIENT_CONFIGS) tf.registerGradient(config);
}

function removeGradients(): void {
  if (!stockGradients) return;
  for (const [, config] of stockGradients) if (config) tf.registerGradient(config);
  stockGradients = null;
}

function replaceRegistration(kernelName: string, backendName: string, config: tf.KernelConfig | undefined): void {
  // Unregister first so tfjs does not warn "already registered".
  if (tf.getKernel(kernelName, backendName)) tf.unregisterKernel(kernelName, backendName);
  if (config) tf.registerKernel(config);
}

/**
 * Register the fast training kernels for `backendName` (default: the current backend, `tf.getBackend()`).
 * Also replaces two gradients with cheaper equivalents ('grad:FusedBatchNorm', 'grad:Mean'; see
 * gradients.ts): gradients are global in tfjs, so these hold for every backend until `restoreStockKernels`
 * has restored all backends. On wasm, `options.native` (default true) picks the oneDNN convolutions when the
 * addon is built (see native.ts), and
 * registers the fused batch norm's gradient with its kernels. Idempotent: a second call with the same options changes nothing. Returns the names of the kernels
 * that are replaced on that backend after the call (empty when the backend has no replacements, e.g. 'cpu' or 'tensorflow', or when
 * its package, e.g. `@tensorflow/tfjs-backend-wasm`, has not been imported yet).
 * The stock kernel's setupFunc is kept on the replacement, so a backend initialised later still sets
 * up the stock kernel that the replacement falls back to.
 */
export function registerFastKernels(backendName: string = tf.getBackend(), options: FastKernelOptions = {}): string[] {
  const factory = FACTORIES[backendName];
  // No replacements for this backend, or its package is not loaded yet (no kernels registered for it).
  if (!factory || tf.getKernelsForBackend(backendName).length === 0) return [];
  const native = options.native !== false;
  const current = installed.get(backendName);
  if (current && current.native === native && current.ours.every((c) => tf.getKernel(c.kernelName, backendName) === c)) {
    return [...current.ours.map((c) => c.kernelName), ...gradientNames()];
  }
  const stock = new Map<string, tf.KernelConfig | undefined>();
  const lookup = (kernelName: string) => {
    if (!stock.has(kernelName)) {
      // When re-registering after someone else replaced ours, the stock config is still the one we saved.
      // (A saved `undefined` means the backend had no such kernel: keep it, do not look up ours.)
      stock.set(kernelName, current?.stock.has(kernelName) ? current.stock.get(kernelName) : tf.getKernel(kernelName, backendName));
    }
    return stock.get(kernelName);
  };
  const ours = factory(lookup, { native }).map((config) => {
    const original = lookup(config.kernelName);
    return { ...config, setupFunc: original?.setupFunc, disposeFunc: original?.disposeFunc };
  });
  // Kernels replaced before but not now (e.g. Conv2D when switching native off) get their stock config back.
  for (const config of current?.ours ?? []) {
    if (!ours.some((c) => c.kernelName === config.kernelName)) replaceRegistration(config.kernelName, backendName, lookup(config.kernelName));
  }
  for (const config of ours) replaceRegistration(config.kernelName, backendName, config);
  // The fused batch norm's gradient goes with its kernels (nothing registers at import).
  if (ours.some((c) => c.kernelName === BATCH_NORM_TRAIN)) registerBatchNormTrainGradient();
  installed.set(backendName, { stock, ours, native });
  installGradients();
  return [...ours.map((c) => c.kernelName), ...gradientNames()];
}

/**
 * Put back the stock kernels replaced by `registerFastKernels` (for `backendName`, default all backends);
 * a kernel the backend never had is unregistered again. tfjs's own gradients come back once no backend
 * has fast kernels left. Returns the names restored.
 */
export function restoreStockKernels(backendName?: string): string[] {
  const restored: string[] = [];
  for (const [name, entry] of installed) {
    if (backendName !== undefined && name !== backendName) continue;
    for (const config of entry.ours) {
      replaceRegistration(config.kernelName, name, entry.stock.get(config.kernelName));
      restored.push(config.kernelName);
    }
    installed.delete(name);
  }
  if (installed.size === 0 && stockGradients) {
    removeGradients();
    restored.push(...gradientNames());
  }
  return restored;
}

/** Names of the kernels currently replaced on `backendName` (empty when none). */
export function fastKernelsRegistered(backendName: string = tf.getBackend()): string[] {
  const entry = installed.get(backendName);
  if (!entry) return [];
  const kernels = entry.ours.filter((c) => tf.getKernel(c.kernelName, backendName) === c).map((c) => c.kernelName);
  return [...kernels, ...(stockGradients ? gradientNames() : [])];
}
