/** Switching the benchmark between backends through the library's own `initBackend`. */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { registerFastKernels, restoreStockKernels } from '../lib/kernels';
import { loadNativeConv } from '../lib/kernels/native';

/** Outcome of `setupBackend`. */
export interface BackendSetup {
  ok: boolean;
  /** Why it is unavailable (when not ok). */
  reason: string;
  /** Device description from `initBackend` (adapter name, CPU model). */
  device: string;
  /** True for a software WebGPU adapter (lavapipe): correct but not a speed reference. */
  softwareAdapter: boolean;
}

/**
 * Activate `name` ('cpu' | 'wasm' | 'webgpu') with the stock kernels, a software WebGPU adapter allowed.
 * Never throws for a missing backend: returns ok false and the reason.
 */
export async function setupBackend(name: string): Promise<BackendSetup> {
  try {
    const report = await initBackend({ backend: name as 'cpu' | 'wasm' | 'webgpu', allowSoftwareAdapter: true, fastKernels: false });
    restoreStockKernels(name);
    return { ok: true, reason: '', device: report.device, softwareAdapter: report.softwareAdapter };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0], device: '', softwareAdapter: false };
  }
}

/** Which kernels a benchmark runs: tfjs as shipped, lib/kernels without native code, or with the oneDNN addon. */
export type KernelKind = 'stock' | 'fast' | 'native';

/**
 * Select the kernels on the active backend; returns the names replaced (empty for stock). 'native' throws when
 * the oneDNN addon is not available (so a benchmark never reports wasm-only figures under that name).
 */
export function useKernels(kind: KernelKind | boolean): string[] {
  const name = tf.getBackend();
  restoreStockKernels(name);
  const k: KernelKind = kind === true ? 'fast' : kind === false ? 'stock' : kind;
  if (k === 'stock') return [];
  if (k === 'native') {
    const status = loadNativeConv();
    if (!status.available) throw new Error(`native kernels unavailable: ${status.detail}`);
  }
  return registerFastKernels(name, { native: k === 'native' });
}
