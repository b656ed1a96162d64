/** Switching the benchmark between backends through the library's own `initBackend`. */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../lib/backend';
import { registerFastKernels, restoreStockKernels } from '../lib/kernels';

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

/** Select stock or fast kernels on the active backend; returns the names replaced (empty for stock). */
export function useKernels(fast: boolean): string[] {
  const name = tf.getBackend();
  restoreStockKernels(name);
  return fast ? registerFastKernels(name) : [];
}
