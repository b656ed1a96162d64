/** Calling a backend's own kernels from inside a replacement kernel, with every intermediate freed. */
import * as tf from '@tensorflow/tfjs';

type Attributes = Record<string, unknown>;

/**
 * Runs kernels of one backend directly (`tf.getKernel(name, backendName).kernelFunc`), remembering each
 * output so that `finish(result)` can free all intermediates with `backend.disposeData`.
 *
 * Public `tf.*` ops must not be called inside a kernelFunc (the engine is mid-kernel; on webgpu it breaks
 * the data-move bookkeeping), so replacement kernels are written as compositions of these calls.
 */
export class KernelComposer {
  private readonly temporaries: tf.TensorInfo[] = [];

  constructor(readonly backend: tf.KernelBackend, readonly backendName: string) {}

  /** Run kernel `kernelName` of this backend; its output is freed by `finish` unless it is the result. */
  run(kernelName: string, inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[], attrs: Attributes = {}): tf.TensorInfo {
    const config = tf.getKernel(kernelName, this.backendName);
    if (!config) {
      throw new Error(`KernelComposer: backend '${this.backendName}' has no kernel '${kernelName}'`);
    }
    const out = config.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend: this.backend, attrs: attrs as tf.NamedAttrMap });
    if (Array.isArray(out)) {
      throw new Error(`KernelComposer: kernel '${kernelName}' returned ${out.length} outputs; expected one`);
    }
    this.temporaries.push(out);
    return out;
  }

  /** Same data viewed with another shape (no copy on wasm/webgpu/cpu). */
  reshape(x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  /** x with axes permuted: out.shape[i] = x.shape[perm[i]]. */
  transpose(x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }

  /** Zero padding; `paddings[i] = [before, after]` for axis i, both >= 0. Returns x itself when all are 0. */
  pad(x: tf.TensorInfo, paddings: Array<[number, number]>): tf.TensorInfo {
    if (paddings.every(([before, after]) => before === 0 && after === 0)) return x;
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  /**
   * x[begin : end : strides] along every axis. Returns x itself when the slice is the whole tensor; a dense
   * slice (all strides 1) runs the Slice kernel, which backends implement as block copies.
   */
  stridedSlice(x: tf.TensorInfo, begin: number[], end: number[], strides: number[]): tf.TensorInfo {
    const whole = x.shape.every((size, i) => begin[i] === 0 && end[i] === size && strides[i] === 1);
    if (whole) return x;
    if (strides.every((s) => s === 1)) return this.run('Slice', { x }, { begin, size: end.map((e, i) => e - begin[i]) });
    return this.run('StridedSlice', { x }, {
      begin, end, strides, beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
    });
  }

  /** Join tensors along `axis`. Returns the single input itself when there is only one. */
  concat(tensors: tf.TensorInfo[], axis: number): tf.TensorInfo {
    if (tensors.length === 1) return tensors[0];
    // Concat kernels read their inputs as an array (that is how tf.concat passes them).
    return this.run('Concat', tensors, { axis });
  }

  /** Batched a·b with optional transposes; a (B, M, K), b (B, K, N) → (B, M, N). */
  matMul(a: tf.TensorInfo, b: tf.TensorInfo, transposeA = false, transposeB = false): tf.TensorInfo {
    return this.run('BatchMatMul', { a, b }, { transposeA, transposeB });
  }

  /** Free one intermediate now (to keep peak memory low in loops); inputs of the kernel are left alone. */
  free(t: tf.TensorInfo): void {
    const index = this.temporaries.indexOf(t);
    if (index < 0) return;
    this.temporaries.splice(index, 1);
    this.backend.disposeData(t.dataId);
  }

  /** Free every intermediate except `result` (which the engine takes over) and return `result`. */
  finish(result: tf.TensorInfo): tf.TensorInfo {
    for (const t of this.temporaries) {
      if (t !== result) this.backend.disposeData(t.dataId);
    }
    this.temporaries.length = 0;
    return result;
  }

  /** Free every intermediate (after an error). */
  abandon(): void {
    this.finish({ dataId: {}, shape: [], dtype: 'float32' });
  }
}
