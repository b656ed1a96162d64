/**
 * Data-movement and reduction kernels for the wasm backend written as JavaScript loops over the wasm heap.
 * The stock versions are generic per-element index loops (Tile) or copy one innermost row at a time (Slice);
 * block copies with TypedArray.set/copyWithin are 10-50x faster on the shapes of a training step.
 */
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs's BackendWasm these kernels use. */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/** A float32 tensor's values as a view of the wasm heap (take it after the last makeOutput: allocating can replace the heap). */
export const floatsOnHeap = (backend: WasmHeapBackend, t: tf.TensorInfo): Float32Array => backend.typedArrayFromHeap(t) as Float32Array;

/** Row-major strides of a shape. */
export function stridesOf(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/**
 * Tile x by reps: out[i0, …] = x[i0 mod s0, …], out.shape[k] = x.shape[k]·reps[k].
 * Writes each innermost row of x once, then fills every repetition with contiguous copyWithin of the
 * finished block, innermost axis first (so each output element is written once, mostly by memmove).
 */
export function tileOnHeap(backend: WasmHeapBackend, x: tf.TensorInfo, reps: number[]): tf.TensorInfo {
  const shape = x.shape;
  const rank = shape.length;
  const outShape = shape.map((size, k) => size * reps[k]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (outShape.some((size) => size === 0)) return out;
  if (rank === 0) {
    backend.typedArrayFromHeap(out).set(backend.typedArrayFromHeap(x));
    return out;
  }
  // Views after makeOutput: allocating can grow (and replace) the heap buffer.
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  const sourceStrides = stridesOf(shape);
  const targetStrides = stridesOf(outShape);
  const fill = (axis: number, sourceOffset: number, targetOffset: number): void => {
    if (axis === rank - 1) {
      target.set(source.subarray(sourceOffset, sourceOffset + shape[axis]), targetOffset);
    } else {
      for (let i = 0; i < shape[axis]; i++) {
        fill(axis + 1, sourceOffset + i * sourceStrides[axis], targetOffset + i * targetStrides[axis]);
      }
    }
    const block = shape[axis] * targetStrides[axis];
    for (let r = 1; r < reps[axis]; r++) target.copyWithin(targetOffset + r * block, targetOffset, targetOffset + block);
  };
  fill(0, 0, 0);
  return out;
}

/**
 * out = x[begin : begin + size] (a dense slice). Trailing axes taken whole are merged with the last
 * partially taken one, so each copy is one contiguous run (a slice of padded NHWC activations copies
 * whole W·C rows instead of C-element pixels).
 */
export function sliceOnHeap(backend: WasmHeapBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  const rank = x.shape.length;
  const strides = stridesOf(x.shape);
  // First axis k such that all axes after k are taken whole: copies are runs of size[k]·strides[k].
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === x.shape[k]) k--;
  const run = size[k] * strides[k];
  const source = backend.typedArrayFromHeap(x);
  const target = backend.typedArrayFromHeap(out);
  let targetOffset = 0;
  const copy = (axis: number, sourceOffset: number): void => {
    if (axis === k) {
      const start = sourceOffset + begin[k] * strides[k];
      target.set(source.subarray(start, start + run), targetOffset);
      targetOffset += run;
      return;
    }
    for (let i = 0; i < size[axis]; i++) copy(axis + 1, sourceOffset + (begin[axis] + i) * strides[axis]);
  };
  copy(0, 0);
  return out;
}

/** Window geometry of a 2-D max pool (tfjs's `computePool2DInfo`, dilation 1). */
export interface PoolGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  channels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padLeft: number;
}

/** The attributes of tfjs's MaxPoolGrad kernel. */
export interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The window geometry of MaxPoolGrad on an NHWC input, by tfjs's own `computePool2DInfo`. */
export function maxPoolGradGeometry(inputShape: number[], attrs: MaxPoolGradAttrs): PoolGeometry {
  const info = tf.backend_util.computePool2DInfo(inputShape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  return {
    batch: info.batchSize, inHeight: info.inHeight, inWidth: info.inWidth, channels: info.inChannels, outHeight: info.outHeight, outWidth: info.outWidth,
    filterHeight: info.filterHeight, filterWidth: info.filterWidth, strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/**
 * Gradient of max pooling: dx[p] = Σ over windows whose maximum is at p of dy[window], where a window's
 * maximum is its first strictly largest in-bounds element in row-major window order (tfjs's rule: ties and
 * all-zero windows after a ReLU send the gradient to one element; windows with only NaN or −∞ send none).
 * One pass over the windows with the channel axis innermost, instead of wasm's per-element loop.
 * Shapes: x (N, H, W, C), dy (N, Ho, Wo, C) → dx (N, H, W, C), float32.
 */
export function maxPoolGradOnHeap(backend: WasmHeapBackend, dy: tf.TensorInfo, x: tf.TensorInfo, g: PoolGeometry): tf.TensorInfo {
  const out = backend.makeOutput(x.shape, 'float32');
  const input = backend.typedArrayFromHeap(x);
  const upstream = backend.typedArrayFromHeap(dy);
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  const c = g.channels;
  const best = new Float32Array(c);
  const position = new Int32Array(c);
  for (let b = 0; b < g.batch; b++) {
    for (let yR = 0; yR < g.outHeight; yR++) {
      const rCorner = yR * g.strideHeight - g.padTop;
      const rMin = Math.max(0, rCorner);
      const rMax = Math.min(g.inHeight, rCorner + g.filterHeight);
      for (let yC = 0; yC < g.outWidth; yC++) {
        const cCorner = yC * g.strideWidth - g.padLeft;
        const cMin = Math.max(0, cCorner);
        const cMax = Math.min(g.inWidth, cCorner + g.filterWidth);
        best.fill(-Infinity);
        position.fill(-1);
        for (let r = rMin; r < rMax; r++) {
          for (let col = cMin; col < cMax; col++) {
            const base = ((b * g.inHeight + r) * g.inWidth + col) * c;
            for (let d = 0; d < c; d++) {
              const v = input[base + d];
              if (v > best[d]) {
                best[d] = v;
                position[d] = base + d;
              }
            }
          }
        }
        const dyBase = ((b * g.outHeight + yR) * g.outWidth + yC) * c;
        for (let d = 0; d < c; d++) if (position[d] >= 0) dx[position[d]] += upstream[dyBase + d];
      }
    }
  }
  return out;
}
