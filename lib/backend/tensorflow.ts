/** Loading TensorFlow's native backend (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`). */
import * as tf from '@tensorflow/tfjs';

export interface NativeLoadResult {
  ok: boolean;
  /** Which package loaded, when ok. */
  packageName?: string;
  /** 'not installed' or 'failed to load' when not ok. */
  status?: 'not installed' | 'failed to load';
  reason: string;
}

/** Tried in this order: the GPU build first. */
export const NATIVE_PACKAGES: readonly string[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

function isModuleMissing(err: unknown, name: string): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

/**
 * Require the first loadable TensorFlow native package (`packages`, loaded with `load`: both injectable for tests). Loading it registers the 'tensorflow' backend
 * with tfjs. Does not switch to it.
 */
export function loadNativeTensorflow(
  packages: readonly string[] = NATIVE_PACKAGES,
  load: (name: string) => unknown = require,
): NativeLoadResult {
  const reasons: string[] = [];
  let anyInstalled = false;
  for (const name of packages) {
    try {
      load(name);
      if (tf.findBackendFactory('tensorflow') === null) {
        reasons.push(`${name} loaded but registered no 'tensorflow' backend (two copies of @tensorflow/tfjs-core?)`);
        anyInstalled = true;
        continue;
      }
      return { ok: true, packageName: name, reason: `${name} loaded` };
    } catch (err) {
      if (isModuleMissing(err, name)) {
        reasons.push(`${name} not installed`);
      } else {
        anyInstalled = true;
        reasons.push(`${name} failed to load: ${(err as Error).message.split('\n')[0]}`);
      }
    }
  }
  return { ok: false, status: anyInstalled ? 'failed to load' : 'not installed', reason: reasons.join('; ') };
}

/** Device description of the active 'tensorflow' backend: GPU or CPU per `isUsingGpuDevice`. */
export function describeNativeDevice(): { device: string; onGpu: boolean } {
  const backend = tf.backend() as unknown as { isUsingGpuDevice?: boolean };
  const onGpu = backend.isUsingGpuDevice === true;
  return { device: onGpu ? 'TensorFlow on a CUDA GPU' : 'TensorFlow on the CPU (no usable CUDA 11.2 / cuDNN 8.1 GPU found)', onGpu };
}
