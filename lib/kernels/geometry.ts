/** Geometry of a 2-D convolution (sizes, strides, explicit padding), as the backprop kernels need it. */
import * as tf from '@tensorflow/tfjs';

/** Sizes of `y = conv2d(x, w)` with x (N, H, W, Cin), w (KH, KW, Cin, Cout), y (N, Ho, Wo, Cout). */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  /** Zero rows/columns added before/after the input (tfjs's rule for 'same': the extra one goes after). */
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

export type PadAttribute = 'valid' | 'same' | number | number[][];

/**
 * Resolve a convolution's attributes to explicit numbers with tfjs's own rules
 * (`backend_util.computeConv2DInfo`), so a replacement kernel pads exactly as the stock one does.
 * Only NHWC ('NHWC' / 'channelsLast') data and dilation 1 (all that conv gradients support in tfjs).
 */
export function convGeometry(
  xShape: number[],
  filterShape: number[],
  strides: number | number[],
  pad: PadAttribute,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): ConvGeometry {
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`convGeometry: expected rank-4 input and filter, got shapes [${xShape}] and [${filterShape}]`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides as number | [number, number],
    1,
    pad as 'valid' | 'same' | number,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

/** Multiply-adds ×2 of one conv2d (or of either of its gradients): 2·N·Ho·Wo·KH·KW·Cin·Cout. */
export function convFlops(g: ConvGeometry): number {
  return 2 * g.batch * g.outHeight * g.outWidth * g.filterHeight * g.filterWidth * g.inChannels * g.outChannels;
}

/** True for the data formats these kernels handle (channels last). */
export function isChannelsLast(dataFormat: unknown): boolean {
  return dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}
