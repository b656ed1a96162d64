/** Filter gradient of conv2d as im2col + matrix products, composed from a backend's own kernels. */
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from './compose';
import { ConvGeometry } from './geometry';

/**
 * dW = im2col(x)ᵀ · dy, one filter tap at a time.
 *
 *   dW[a, b, ci, co] = Σ_{n, i, j} xPadded[n, i·sh + a, j·sw + b, ci] · dy[n, i, j, co]
 *
 * x is moved to channel-major layout once, xT (Cin, N, H, W), and zero padded. For each tap (a, b) a strided
 * slice of it is a (Cin, M) matrix with M = N·Ho·Wo, multiplied by dy viewed as (M, Cout). Using the same
 * right-hand matrix for every tap lets wasm's XNNPACK pack dy once (its operator cache is keyed on b),
 * and the (Cin, M) left operand is non-transposed, the only layout wasm sends to XNNPACK.
 *
 * Shapes: x (N, H, W, Cin), dy (N, Ho, Wo, Cout) → dW (KH, KW, Cin, Cout), float32.
 */
export function conv2dBackpropFilterByTaps(composer: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth } = g;
  const positions = batch * outHeight * outWidth; // M
  const xChannelMajor = composer.transpose(x, [3, 0, 1, 2]); // (Cin, N, H, W)
  const xPadded = composer.pad(xChannelMajor, [[0, 0], [0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight]]);
  if (xPadded !== xChannelMajor) composer.free(xChannelMajor);
  const dyMatrix = composer.reshape(dy, [1, positions, outChannels]); // (1, M, Cout)
  const parts: tf.TensorInfo[] = [];
  for (let a = 0; a < g.filterHeight; a++) {
    for (let b = 0; b < g.filterWidth; b++) {
      const tap = composer.stridedSlice(
        xPadded,
        [0, 0, a, b],
        [inChannels, batch, a + (outHeight - 1) * strideHeight + 1, b + (outWidth - 1) * strideWidth + 1],
        [1, 1, strideHeight, strideWidth],
      ); // (Cin, N, Ho, Wo)
      const tapMatrix = composer.reshape(tap, [1, inChannels, positions]); // (1, Cin, M)
      parts.push(composer.matMul(tapMatrix, dyMatrix)); // (1, Cin, Cout)
      composer.free(tapMatrix);
      if (tap !== xPadded) composer.free(tap);
    }
  }
  const stacked = composer.concat(parts, 1); // (1, KH·KW·Cin, Cout), rows ordered (a, b, ci)
  return composer.reshape(stacked, [g.filterHeight, g.filterWidth, inChannels, outChannels]);
}

/**
 * dW as one forward conv2d: the batch becomes the reduction ("channel") axis and dy becomes the filter.
 *
 *   dW[a, b, ci, co] = Σ_{i, j, n} xT[ci, a + i·sh, b + j·sw, n] · dyT[i, j, n, co]
 *
 * with xT = x laid out (Cin, H, W, N) (zero padded as the forward pass was) and dyT = dy laid out
 * (Ho, Wo, N, Cout): a conv2d with Cin as batch, filter dyT, dilation (sh, sw) and stride 1, whose output
 * (Cin, KH', KW', Cout) has KH' ≥ KH (a 'valid' conv whose stride skipped trailing rows gives extra rows,
 * which are cut). The multiply-adds run in the backend's forward Conv2D (XNNPACK on wasm); the price is
 * two transposes, of x and of dy.
 *
 * Shapes: x (N, H, W, Cin), dy (N, Ho, Wo, Cout) → dW (KH, KW, Cin, Cout), float32.
 */
export function conv2dBackpropFilterByConv(composer: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  // A 3-D transpose view of each is faster on wasm than the equivalent 4-D one.
  const xRows = composer.reshape(x, [batch, inHeight * inWidth, inChannels]);
  const xSwapped = composer.transpose(xRows, [2, 1, 0]); // (Cin, H·W, N)
  const xT = composer.reshape(xSwapped, [inChannels, inHeight, inWidth, batch]);
  composer.free(xSwapped);
  const dyRows = composer.reshape(dy, [batch, outHeight * outWidth, outChannels]);
  const dySwapped = composer.transpose(dyRows, [1, 0, 2]); // (Ho·Wo, N, Cout)
  const dyT = composer.reshape(dySwapped, [outHeight, outWidth, batch, outChannels]);
  composer.free(dySwapped);
  const product = composer.run('Conv2D', { x: xT, filter: dyT }, {
    strides: [1, 1],
    pad: [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]],
    dilations: [g.strideHeight, g.strideWidth],
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  }); // (Cin, KH', KW', Cout)
  composer.free(xT);
  composer.free(dyT);
  const cut = composer.stridedSlice(product, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels], [1, 1, 1, 1]);
  if (cut !== product) composer.free(product);
  if (inChannels === 1) return composer.reshape(cut, [filterHeight, filterWidth, 1, outChannels]);
  return composer.transpose(cut, [1, 2, 0, 3]); // (KH, KW, Cin, Cout)
}

/**
 * dW tap by tap from NHWC slices, for GPUs: for each tap (a, b) the strided slice of the padded input
 * (N, Ho, Wo, Cin) is a (M, Cin) matrix and dW[a, b] = sliceᵀ · dy, a (Cin × M)·(M × Cout) product with a
 * long inner dimension M = N·Ho·Wo, which tfjs-webgpu's BatchMatMul runs split-K. No transpose of x and
 * no KH·KW-times-larger im2col buffer: one x-sized slice lives at a time.
 *
 *   dW[a, b, ci, co] = Σ_{n, i, j} xPadded[n, i·sh + a, j·sw + b, ci] · dy[n, i, j, co]
 *
 * Shapes: x (N, H, W, Cin), dy (N, Ho, Wo, Cout) → dW (KH, KW, Cin, Cout), float32.
 */
export function conv2dBackpropFilterBySlices(composer: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inChannels, outChannels, outHeight, outWidth, strideHeight, strideWidth } = g;
  const positions = batch * outHeight * outWidth; // M
  const xPadded = composer.pad(x, [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]]); // (N, Hp, Wp, Cin)
  const dyMatrix = composer.reshape(dy, [1, positions, outChannels]); // (1, M, Cout)
  const parts: tf.TensorInfo[] = [];
  for (let a = 0; a < g.filterHeight; a++) {
    for (let b = 0; b < g.filterWidth; b++) {
      const tap = composer.stridedSlice(
        xPadded,
        [0, a, b, 0],
        [batch, a + (outHeight - 1) * strideHeight + 1, b + (outWidth - 1) * strideWidth + 1, inChannels],
        [1, strideHeight, strideWidth, 1],
      ); // (N, Ho, Wo, Cin)
      const tapMatrix = composer.reshape(tap, [1, positions, inChannels]); // (1, M, Cin)
      parts.push(composer.matMul(tapMatrix, dyMatrix, true, false)); // (1, Cin, Cout)
      composer.free(tapMatrix);
      if (tap !== xPadded) composer.free(tap);
    }
  }
  const stacked = composer.concat(parts, 1); // (1, KH·KW·Cin, Cout), rows ordered (a, b, ci)
  return composer.reshape(stacked, [g.filterHeight, g.filterWidth, inChannels, outChannels]);
}
