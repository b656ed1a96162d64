/** Input gradient of conv2d as a forward conv2d of (dilated) dy with the flipped filter. */
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from './compose';
import { ConvGeometry } from './geometry';

/**
 * dx = conv2d(dilate(dy, s), flip(W)ᵀ), stride 1, explicit padding — the transposed convolution.
 *
 *   dx[n, h, w, ci] = Σ_{a, b, co} dyDilated[n, h + pt − a, w + pl − b, co] · W[a, b, ci, co]
 *
 * where dyDilated puts dy[i, j] at (i·sh, j·sw) and zeros elsewhere. With a' = KH−1−a this is a plain
 * correlation with the filter flipped in space and its channel axes swapped, padded by KH−1−pt on top and
 * H − Ho·sh + pt at the bottom (dilation keeps sh−1 trailing zeros, which the bottom padding accounts for;
 * a negative padding becomes a slice). The heavy work is then the backend's forward Conv2D, which is
 * fast on wasm (XNNPACK), unlike its Conv2DBackpropInput. For stride > 1, 1 − 1/(sh·sw) of the
 * multiply-adds hit inserted zeros.
 *
 * Shapes: dy (N, Ho, Wo, Cout), filter (KH, KW, Cin, Cout) → dx (N, H, W, Cin), float32.
 */
export function conv2dBackpropInputByConv(composer: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = g;
  const flipped = composer.run('Reverse', { x: filter }, { dims: [0, 1] });
  const flippedSwapped = composer.transpose(flipped, [0, 1, 3, 2]); // (KH, KW, Cout, Cin)
  composer.free(flipped);

  let source = dy; // (N, Ho·sh, Wo·sw, Cout) after dilation
  if (sh > 1) {
    const rows = composer.reshape(source, [batch * outHeight, 1, outWidth * outChannels]);
    const padded = composer.pad(rows, [[0, 0], [0, sh - 1], [0, 0]]); // (N·Ho, sh, Wo·Cout)
    source = composer.reshape(padded, [batch, outHeight * sh, outWidth, outChannels]);
    composer.free(rows);
    composer.free(padded);
  }
  if (sw > 1) {
    const columns = composer.reshape(source, [batch * source.shape[1] * outWidth, 1, outChannels]);
    const padded = composer.pad(columns, [[0, 0], [0, sw - 1], [0, 0]]); // (·, sw, Cout)
    const dilated = composer.reshape(padded, [batch, source.shape[1], outWidth * sw, outChannels]);
    if (source !== dy) composer.free(source);
    composer.free(columns);
    composer.free(padded);
    source = dilated;
  }

  let top = g.filterHeight - 1 - g.padTop;
  let bottom = g.inHeight - outHeight * sh + g.padTop;
  let left = g.filterWidth - 1 - g.padLeft;
  let right = g.inWidth - outWidth * sw + g.padLeft;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) {
    const [, height, width] = source.shape;
    const cropped = composer.stridedSlice(
      source,
      [0, Math.max(0, -top), Math.max(0, -left), 0],
      [batch, height - Math.max(0, -bottom), width - Math.max(0, -right), outChannels],
      [1, 1, 1, 1],
    );
    if (source !== dy && cropped !== source) composer.free(source);
    source = cropped;
    [top, bottom, left, right] = [top, bottom, left, right].map((p) => Math.max(0, p));
  }
  return composer.run('Conv2D', { x: source, filter: flippedSwapped }, {
    strides: [1, 1],
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]],
    dilations: [1, 1],
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  });
}
