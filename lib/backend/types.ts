/** The backends the library can run on, best first. */
export type BackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

/** The order `initBackend` tries when nobody asks for a particular backend. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/** Why a better backend was not used. */
export interface SkippedBackend {
  backend: BackendName;
  /** 'not installed' | 'no adapter' | 'software adapter' | 'failed to load' | 'not requested' | 'slower on CPU'
   *  (TensorFlow without a GPU while wasm + oneDNN is available: see `initBackend`) */
  status: 'not installed' | 'no adapter' | 'software adapter' | 'failed to load' | 'not requested' | 'slower on CPU';
  /** The underlying error or a one-line explanation. */
  reason: string;
}

/** What `initBackend` chose, and why. */
export interface BackendReport {
  /** The active backend. */
  backend: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`). */
  tfBackend: string;
  /** Human-readable device: the GPU adapter's name, 'CPU (n cores)', or TensorFlow's device. */
  device: string;
  /** True when computation runs on a GPU (hardware adapter, or TensorFlow using CUDA). */
  onGpu: boolean;
  /** True for a software GPU adapter (lavapipe/llvmpipe, SwiftShader): correct but slow. */
  softwareAdapter: boolean;
  /** Where the choice came from. */
  requestedBy: 'caller' | 'environment' | 'auto';
  /** Better options that were skipped, best first. */
  skipped: SkippedBackend[];
  /** Names of kernels replaced by the library's fast versions on this backend (empty when none). */
  fastKernels: string[];
  /**
   * wasm only: what runs the convolutions, e.g. 'oneDNN 2.6.3 (avx512_core, 2 threads)', or 'not used: <why>'
   * when the native addon is not built or is turned off (then the wasm kernels run them, on one thread).
   */
  native?: string;
  /** tensorflow only: TensorFlow's version (of the C library tfjs-node runs on), e.g. '2.21.0'. */
  tensorflowVersion?: string;
}

/** Thrown when a backend that was asked for explicitly cannot be used; `.hint` says how to get it. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: BackendName,
    override readonly cause: string,
    readonly hint: string,
  ) {
    super(`Backend '${backend}' is not available: ${cause}. ${hint}`);
    this.name = 'BackendUnavailableError';
  }
}

/** What each backend needs, for error messages. */
export const INSTALL_HINTS: Record<BackendName, string> = {
  tensorflow:
    'Build it with `bash .ci/setup-tensorflow.sh` (CPU: @tensorflow/tfjs-node against the tensorflow-cpu wheel) or ' +
    '`bash .ci/setup-tensorflow.sh --gpu` (@tensorflow/tfjs-node-gpu against the CUDA 12 tensorflow wheel; unverified), ' +
    'which need pip, g++ and make. The packages\' own installers (`npm install @tensorflow/tfjs-node-gpu`) download ' +
    'libtensorflow 2.9.1 from storage.googleapis.com, whose GPU build needs CUDA 11.2 and cuDNN 8.1.',
  webgpu:
    'WebGPU runs through Dawn (the `webgpu` npm package) and needs a GPU driver with Vulkan (Linux), Metal (macOS) ' +
    'or D3D12 (Windows). On Linux install the vendor driver plus `libvulkan1`; for a CPU-only machine Mesa >= 24 ' +
    "lavapipe (`mesa-vulkan-drivers`) gives a slow software adapter, used only when asked for (backend: 'webgpu').",
  wasm: 'It ships with `@tensorflow/tfjs-backend-wasm`; run `npm install` in the project.',
  cpu: 'It ships with `@tensorflow/tfjs`; run `npm install` in the project.',
};

/** Parse a backend name from user input (environment variable, CLI flag); undefined for 'auto'/empty. */
export function parseBackendName(value: string | undefined, source: string): BackendName | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'auto') return undefined;
  const aliases: Record<string, BackendName> = { tensorflow: 'tensorflow', tf: 'tensorflow', node: 'tensorflow', 'tfjs-node': 'tensorflow', webgpu: 'webgpu', wasm: 'wasm', cpu: 'cpu' };
  const name = aliases[v];
  if (!name) {
    throw new Error(`${source}: unknown backend '${value}'; expected one of auto, ${BACKEND_ORDER.join(', ')}`);
  }
  return name;
}
