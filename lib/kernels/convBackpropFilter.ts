/** Filter gradient of conv2d as im2col + matrix products, composed from a backend's own kernels. */
import * as tf from '@tensorflow/tfjs';
import { KernelComposer } from './compose';
import { ConvGeometry } from './geometry';
import { canMakeViews, makeView, releaseView } from './wasmViews';

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
  // Few rows in all (first layers: Cin·KH·KW ≤ 64): stack the taps into one (KH·KW·Cin, M) matrix and multiply
  // once, so dy is streamed once instead of once per tap.
  const stackFirst = inChannels * g.filterHeight * g.filterWidth <= 64;
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
      if (tap !== xPadded) composer.free(tap);
      if (stackFirst) {
        parts.push(tapMatrix);
      } else {
        parts.push(composer.matMul(tapMatrix, dyMatrix)); // (1, Cin, Cout)
        composer.free(tapMatrix);
      }
    }
  }
  if (xPadded !== x) composer.free(xPadded);
  const stacked = stackFirst ? composer.matMul(composer.concat(parts, 1), dyMatrix) : composer.concat(parts, 1); // (1, KH·KW·Cin, Cout), rows (a, b, ci)
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
 * two transposes, of x and of dy. On wasm the batch is split into chunks summed afterwards.
 *
 * Shapes: x (N, H, W, Cin), dy (N, Ho, Wo, Cout) → dW (KH, KW, Cin, Cout), float32.
 */
export function conv2dBackpropFilterByConv(composer: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  // With few input channels the conv's output (Cin·KH·KW pixels) is too small for XNNPACK to be efficient:
  // first layers (Cin = 1 or 3) go tap by tap, stride 1 only (dense slices are block copies, strided ones are not).
  if (g.inChannels <= FEW_INPUT_CHANNELS && g.strideHeight === 1 && g.strideWidth === 1) return conv2dBackpropFilterByTaps(composer, x, dy, g);
  if (g.filterHeight === 1 && g.filterWidth === 1) return conv2dBackpropFilterPointwise(composer, x, dy, g);
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = g;
  // Split the batch (the reduction axis) into chunks of about CHUNK_POSITIONS positions each: one conv per
  // chunk keeps its packed filter in cache (~15% faster on wasm than one conv over the whole batch).
  // Chunks are zero-copy views, so this needs the wasm backend's internals; elsewhere one chunk.
  const views = canMakeViews(composer.backend);
  const chunkBatch = views ? largestDivisorAtMost(batch, Math.max(1, Math.floor(CHUNK_POSITIONS / (outHeight * outWidth)))) : batch;
  const chunks = batch / chunkBatch;
  // (chunks, Cin, H·W, Nc) and (chunks, Ho·Wo, Nc, Cout): each chunk's input and filter are contiguous.
  const xRows = composer.reshape(x, [chunks, chunkBatch, inHeight * inWidth, inChannels]);
  const xT = composer.transpose(xRows, [0, 3, 2, 1]);
  const dyRows = composer.reshape(dy, [chunks, chunkBatch, outHeight * outWidth, outChannels]);
  const dyT = composer.transpose(dyRows, [0, 2, 1, 3]);
  const convAttrs = {
    strides: [1, 1],
    pad: [[0, 0], [g.padTop, g.padBottom], [g.padLeft, g.padRight], [0, 0]],
    dilations: [g.strideHeight, g.strideWidth],
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  };
  let product: tf.TensorInfo | null = null; // (Cin, KH', KW', Cout), summed over chunks
  for (let c = 0; c < chunks; c++) {
    const xShape = [inChannels, inHeight, inWidth, chunkBatch];
    const dyShape = [outHeight, outWidth, chunkBatch, outChannels];
    const xChunk = chunks === 1 ? composer.reshape(xT, xShape) : makeView(composer.backend, xT, xShape, c * xT.shape.reduce((a, b) => a * b, 1) / chunks);
    const dyChunk = chunks === 1 ? composer.reshape(dyT, dyShape) : makeView(composer.backend, dyT, dyShape, c * dyT.shape.reduce((a, b) => a * b, 1) / chunks);
    const part = composer.run('Conv2D', { x: xChunk, filter: dyChunk }, convAttrs);
    if (chunks === 1) {
      composer.free(xChunk);
      composer.free(dyChunk);
    } else {
      releaseView(composer.backend, xChunk);
      releaseView(composer.backend, dyChunk);
    }
    if (product) {
      const sum = composer.run('Add', { a: product, b: part });
      composer.free(product);
      composer.free(part);
      product = sum;
    } else {
      product = part;
    }
  }
  composer.free(xT);
  composer.free(dyT);
  const full = product as tf.TensorInfo;
  const cut = composer.stridedSlice(full, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels], [1, 1, 1, 1]);
  if (cut !== full) composer.free(full);
  if (inChannels === 1) return composer.reshape(cut, [filterHeight, filterWidth, 1, outChannels]);
  return composer.transpose(cut, [1, 2, 0, 3]); // (KH, KW, Cin, Cout)
}

/** Input channels up to which conv2dBackpropFilterByConv goes tap by tap (measured on wasm: stem 3→16, small CNN 1→32). */
const FEW_INPUT_CHANNELS = 4;

/** Reduction positions (N·Ho·Wo) per conv call in conv2dBackpropFilterByConv; measured best on wasm for ResNet-18 w16. */
const CHUNK_POSITIONS = 16384;

function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d;
  return 1;
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

/**
 * dW of a 1×1 convolution (any stride): the input pixels the conv reads, xs = xPadded[:, ::sh, ::sw, :]
 * (M, Cin), times dy: dW = xsᵀ·dy, one (Cin × M)·(M × Cout) product. The subsampling is a reshape and a dense
 * slice (block copies), so nothing is computed for the pixels a strided 1×1 conv skips.
 * Shapes: x (N, H, W, Cin), dy (N, Ho, Wo, Cout) → dW (1, 1, Cin, Cout), float32.
 */
export function conv2dBackpropFilterPointwise(composer: KernelComposer, x: tf.TensorInfo, dy: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = g;
  const positions = batch * outHeight * outWidth; // M
  // Rows/columns i·s − pad for i < Ho: pad (with enough zeros at the end for Ho·s rows), crop to exactly Ho·s.
  const padded = composer.pad(x, [[0, 0], [g.padTop, Math.max(0, outHeight * sh - g.padTop - inHeight)], [g.padLeft, Math.max(0, outWidth * sw - g.padLeft - inWidth)], [0, 0]]);
  const cropped = composer.stridedSlice(padded, [0, 0, 0, 0], [batch, outHeight * sh, outWidth * sw, inChannels], [1, 1, 1, 1]);
  if (cropped !== padded && padded !== x) composer.free(padded);
  let sampled = cropped; // (N, Ho, Wo, Cin) after subsampling
  if (sh > 1 || sw > 1) {
    const grouped = composer.reshape(cropped, [batch * outHeight, sh, outWidth, sw * inChannels]);
    sampled = composer.stridedSlice(grouped, [0, 0, 0, 0], [batch * outHeight, 1, outWidth, inChannels], [1, 1, 1, 1]);
    composer.free(grouped);
    if (cropped !== x) composer.free(cropped);
  }
  const rows = composer.reshape(sampled, [positions, inChannels]);
  const columns = composer.transpose(rows, [1, 0]); // (Cin, M)
  composer.free(rows);
  if (sampled !== x) composer.free(sampled);
  const a = composer.reshape(columns, [1, inChannels, positions]);
  const product = composer.matMul(a, composer.reshape(dy, [1, positions, outChannels])); // (1, Cin, Cout)
  composer.free(a);
  composer.free(columns);
  return composer.reshape(product, [1, 1, inChannels, outChannels]);
}
