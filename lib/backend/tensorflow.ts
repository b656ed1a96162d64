/**
 * Loading TensorFlow's native backend (`@tensorflow/tfjs-node-gpu`, then `@tensorflow/tfjs-node`).
 *
 * Neither package's own installer works for us (it downloads libtensorflow 2.9.1 for CUDA 11.2 from Google's
 * storage); `.ci/setup-tensorflow.sh` builds them against the C library of a current TensorFlow wheel instead.
 */
import * as os from 'os';
import * as tf from '@tensorflow/tfjs';

export interface NativeLoadResult {
  ok: boolean;
  /** Which package loaded, when ok. */
  packageName?: string;
  /** 'not installed' or 'failed to load' when not ok. */
  status?: 'not installed' | 'failed to load';
  reason: string;
  /** TensorFlow's own version (TF_Version() of the C library the binding was built against), when ok. */
  tensorflowVersion?: string;
  /** Whether TensorFlow placed its default device on a CUDA GPU, when ok. */
  onGpu?: boolean;
}

/** Tried in this order: the GPU build first. */
export const NATIVE_PACKAGES: readonly string[] = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];

/** What tfjs-node's backend object exposes beyond tfjs' KernelBackend (its `binding` is the native addon). */
interface NodeBackendLike {
  isUsingGpuDevice?: boolean;
  binding?: { TF_Version?: string };
}

function isModuleMissing(err: unknown, name: string): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === 'MODULE_NOT_FOUND' && typeof e.message === 'string' && e.message.includes(`'${name}'`);
}

/**
 * TensorFlow's C++ start-up messages (CPU feature list, oneDNN notice) go straight to file descriptor 2: in a
 * notebook they land in the server's log, in a script between its own lines. TF_CPP_MIN_LOG_LEVEL=2 keeps errors
 * only; it must be set before the library loads, and a value the user set wins. (TensorFlow 2.21 still prints one
 * "oneDNN custom operations are on" line on the CPU whatever the level: it ignores this variable.)
 */
function quietTensorflowLogs(): void {
  if (process.env.TF_CPP_MIN_LOG_LEVEL === undefined) process.env.TF_CPP_MIN_LOG_LEVEL = '2';
}

/**
 * Require the first loadable TensorFlow native package (`packages`, loaded with `load`: both injectable for tests).
 * Loading it registers the 'tensorflow' backend with tfjs; the package also makes itself the active backend, which
 * is undone here (the backend active before stays active): choosing is `initBackend`'s job.
 */
export function loadNativeTensorflow(
  packages: readonly string[] = NATIVE_PACKAGES,
  load: (name: string) => unknown = require,
): NativeLoadResult {
  const reasons: string[] = [];
  let anyInstalled = false;
  quietTensorflowLogs();
  for (const name of packages) {
    const previous = tf.engine().backendName; // null until some backend has been used
    try {
      load(name);
      if (tf.findBackendFactory('tensorflow') === null) {
        reasons.push(`${name} loaded but registered no 'tensorflow' backend (two copies of @tensorflow/tfjs-core?)`);
        anyInstalled = true;
        continue;
      }
      // Switching back to an initialised backend is synchronous (no await before the engine's switch).
      if (previous && previous !== 'tensorflow' && tf.engine().backendName !== previous) void tf.setBackend(previous);
      const instance = tf.findBackend('tensorflow') as unknown as NodeBackendLike | null;
      return {
        ok: true,
        packageName: name,
        reason: `${name} loaded`,
        tensorflowVersion: instance?.binding?.TF_Version,
        onGpu: instance?.isUsingGpuDevice === true,
      };
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

/** Whether `name` is in node_modules (resolvable), without loading it. */
export function isPackageInstalled(name: string, resolve: (id: string) => string = require.resolve): boolean {
  try {
    resolve(`${name}/package.json`);
    return true;
  } catch {
    return false;
  }
}

/** Device description of the 'tensorflow' backend: TensorFlow's version, and GPU or CPU per `isUsingGpuDevice`. */
export function describeNativeDevice(loaded: Pick<NativeLoadResult, 'packageName' | 'tensorflowVersion' | 'onGpu'> = {}): { device: string; onGpu: boolean } {
  const instance = tf.findBackend('tensorflow') as unknown as NodeBackendLike | null;
  const onGpu = loaded.onGpu ?? instance?.isUsingGpuDevice === true;
  const version = loaded.tensorflowVersion ?? instance?.binding?.TF_Version;
  const tensorflow = `TensorFlow ${version ?? '(unknown version)'}`;
  const from = loaded.packageName ? ` via ${loaded.packageName}` : '';
  if (onGpu) return { device: `${tensorflow} on a CUDA GPU${from}`, onGpu };
  const cpus = os.cpus();
  const gpuHint = loaded.packageName === '@tensorflow/tfjs-node-gpu' ? ' (the GPU build found no usable CUDA GPU)' : '';
  return { device: `${tensorflow} on the CPU, ${cpus[0]?.model?.trim() || 'CPU'} (${cpus.length} cores)${from}${gpuHint}`, onGpu };
}
