/**
 * Zero-copy views into wasm tensors: a second tensor id registered for a sub-range of an existing buffer.
 * Uses BackendWasm internals of tfjs 4.22 (`dataIdMap`, `makeOutput(shape, dtype, memoryOffset)`,
 * `wasm.tfjs.disposeData`); `canMakeViews` says whether they are there.
 */
import * as tf from '@tensorflow/tfjs';

interface WasmTensorData {
  id: number;
  memoryOffset: number;
}

/** The part of BackendWasm that views need. */
interface ViewBackend {
  dataIdMap: { get(dataId: tf.DataId): WasmTensorData | undefined; delete(dataId: tf.DataId): boolean };
  makeOutput(shape: number[], dtype: tf.DataType, memoryOffset?: number): tf.TensorInfo;
  wasm: { tfjs: { disposeData(id: number): void } };
}

/** True when `backend` has the BackendWasm internals views rely on. */
export function canMakeViews(backend: unknown): boolean {
  const b = backend as Partial<ViewBackend> | null;
  return typeof b?.makeOutput === 'function' && typeof b?.dataIdMap?.get === 'function' && typeof b?.wasm?.tfjs?.disposeData === 'function';
}

/**
 * A float32 tensor of `shape` whose data are the elements [offset, offset + size) of `source` (no copy).
 * Must be released with `releaseView`, never with `backend.disposeData` (which would free the source's memory).
 */
export function makeView(backend: unknown, source: tf.TensorInfo, shape: number[], elementOffset: number): tf.TensorInfo {
  const b = backend as ViewBackend;
  const data = b.dataIdMap.get(source.dataId);
  if (!data) throw new Error('makeView: the source tensor is not on this wasm backend');
  const size = shape.reduce((a, c) => a * c, 1);
  const sourceSize = source.shape.reduce((a, c) => a * c, 1);
  if (elementOffset < 0 || elementOffset + size > sourceSize) {
    throw new Error(`makeView: elements [${elementOffset}, ${elementOffset + size}) are outside the source's ${sourceSize}`);
  }
  return b.makeOutput(shape, source.dtype, data.memoryOffset + elementOffset * 4);
}

/** Forget a view: its id (and any XNNPACK operator cached on it) goes; the memory stays with the source. */
export function releaseView(backend: unknown, view: tf.TensorInfo): void {
  const b = backend as ViewBackend;
  const data = b.dataIdMap.get(view.dataId);
  if (!data) return;
  b.wasm.tfjs.disposeData(data.id);
  b.dataIdMap.delete(view.dataId);
}
