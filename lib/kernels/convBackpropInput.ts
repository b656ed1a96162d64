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
  if (g.filterHeight === 1 && g.filterWidth === 1 && (sh > 1 || sw > 1)) return conv2dBackpropInputPointwise(composer, dy, filter, g);
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

/** One phase of one spatial dimension: which filter taps reach output rows s·u + p, and the padding of dy. */
interface PhaseAxis {
  /** Taps in the phase (0: the phase receives no gradient). */
  taps: number;
  /** Start of the taps in the flipped filter (stride s between them). */
  flippedBegin: number;
  /** Zero rows before / after dy for a stride-1 correlation giving `rows` outputs (negative: crop dy). */
  padBefore: number;
  padAfter: number;
}

/**
 * Geometry of phase p along one axis: rows h = s·u + p receive dy[i]·w[a] for a ≡ p + pad (mod s), i.e. taps
 * a = a0 + s·t, t < T, and dx_p[u] = Σ_t dy[u + c − t]·w[a0 + s·t] with c = (p + pad − a0)/s. As a correlation
 * with the flipped taps this pads dy by T − 1 − c before and rows + T − 1 − (before) − Ho after.
 */
function phaseAxis(p: number, kernel: number, stride: number, padBefore: number, dyLength: number, rows: number): PhaseAxis {
  const a0 = (((p + padBefore) % stride) + stride) % stride;
  const taps = a0 >= kernel ? 0 : Math.ceil((kernel - a0) / stride);
  const c = (p + padBefore - a0) / stride;
  const before = taps - 1 - c;
  return { taps, flippedBegin: kernel - 1 - a0 - stride * (taps - 1), padBefore: before, padAfter: rows + taps - 1 - before - dyLength };
}

/**
 * dx for strided convolutions without multiplying inserted zeros: the s_h·s_w output phases (rows ≡ p mod s_h,
 * columns ≡ q mod s_w) are each a stride-1 conv2d of dy with the filter taps that reach them (2×2, 2×1, 1×2
 * and 1×1 for a 3×3 filter at stride 2), then interleaved:
 *
 *   dx[n, s_h·u + p, s_w·v + q, ci] = conv2d(dy, flip(W)[taps of (p, q)]ᵀ)[n, u, v, ci]
 *
 * Same result as `conv2dBackpropInputByConv`, with 1/(s_h·s_w) of its multiply-adds, plus one pass to stack the
 * phases and two transposes to interleave them. Stride 1, and kernels smaller than the stride, go to
 * `conv2dBackpropInputByConv`.
 * Shapes: dy (N, Ho, Wo, Cout), filter (KH, KW, Cin, Cout) → dx (N, H, W, Cin), float32.
 */
export function conv2dBackpropInputByPhases(composer: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = g;
  // Stride 1 has one phase; a kernel smaller than the stride leaves phases empty (zeros to fill and interleave),
  // where dilation measured faster (1×1 stride-2 shortcut: 8.9 ms dilated vs 11.3 ms by phases on wasm).
  if ((sh === 1 && sw === 1) || g.filterHeight < sh || g.filterWidth < sw) return conv2dBackpropInputByConv(composer, dy, filter, g);
  const rows = Math.ceil(inHeight / sh); // U, rows per phase (the last phases may compute a few extra, cut at the end)
  const columns = Math.ceil(inWidth / sw); // V
  const flipped = composer.run('Reverse', { x: filter }, { dims: [0, 1] });
  const flippedSwapped = composer.transpose(flipped, [0, 1, 3, 2]); // (KH, KW, Cout, Cin)
  composer.free(flipped);

  const phases: tf.TensorInfo[] = []; // ordered (q, p): column phase outer, row phase inner
  for (let q = 0; q < sw; q++) {
    const across = phaseAxis(q, g.filterWidth, sw, g.padLeft, outWidth, columns);
    for (let p = 0; p < sh; p++) {
      const down = phaseAxis(p, g.filterHeight, sh, g.padTop, outHeight, rows);
      if (down.taps === 0 || across.taps === 0) {
        phases.push(composer.run('Fill', {}, { shape: [batch, rows, columns, inChannels], value: 0, dtype: 'float32' }));
        continue;
      }
      const taps = composer.stridedSlice(
        flippedSwapped,
        [down.flippedBegin, across.flippedBegin, 0, 0],
        [down.flippedBegin + sh * (down.taps - 1) + 1, across.flippedBegin + sw * (across.taps - 1) + 1, outChannels, inChannels],
        [sh, sw, 1, 1],
      ); // (T_h, T_w, Cout, Cin)
      // Negative padding means dy rows that no output of this phase reads: crop them.
      const cropTop = Math.max(0, -down.padBefore);
      const cropBottom = Math.max(0, -down.padAfter);
      const cropLeft = Math.max(0, -across.padBefore);
      const cropRight = Math.max(0, -across.padAfter);
      const source = composer.stridedSlice(dy, [0, cropTop, cropLeft, 0], [batch, outHeight - cropBottom, outWidth - cropRight, outChannels], [1, 1, 1, 1]);
      const pad = [[0, 0], [Math.max(0, down.padBefore), Math.max(0, down.padAfter)], [Math.max(0, across.padBefore), Math.max(0, across.padAfter)], [0, 0]];
      phases.push(composer.run('Conv2D', { x: source, filter: taps }, { strides: [1, 1], pad, dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined }));
      if (source !== dy) composer.free(source);
      composer.free(taps);
    }
  }
  composer.free(flippedSwapped);
  // Interleave: (s_w, s_h, N·U, V·Cin) → (s_w, N·U, s_h, V·Cin) → (N·U·s_h·V, s_w, Cin) = (N, U·s_h, V·s_w, Cin).
  const flat = phases.map((t) => composer.reshape(t, [1, batch * rows * columns * inChannels]));
  const stacked = composer.concat(flat, 0);
  for (const t of [...flat, ...phases]) composer.free(t);
  const byPhase = composer.reshape(stacked, [sw, sh, batch * rows, columns * inChannels]);
  const rowsInterleaved = composer.transpose(byPhase, [0, 2, 1, 3]);
  composer.free(byPhase);
  composer.free(stacked);
  const byColumnPhase = composer.reshape(rowsInterleaved, [sw, batch * rows * sh * columns, inChannels]);
  const interleaved = composer.transpose(byColumnPhase, [1, 0, 2]);
  composer.free(byColumnPhase);
  composer.free(rowsInterleaved);
  const full = composer.reshape(interleaved, [batch, rows * sh, columns * sw, inChannels]);
  return composer.stridedSlice(full, [0, 0, 0, 0], [batch, inHeight, inWidth, inChannels], [1, 1, 1, 1]);
}

/**
 * dx of a strided 1×1 convolution: the product at low resolution, dxs = dy·Wᵀ (N, Ho, Wo, Cin), spread to
 * the pixels the conv read, dx[n, i·sh − pt, j·sw − pl] = dxs[n, i, j], zeros elsewhere. The spreading is the
 * zero-insertion of `conv2dBackpropInputByConv` applied to Cin channels after the product instead of Cout
 * before it, so no multiply-add touches an inserted zero.
 * Shapes: dy (N, Ho, Wo, Cout), filter (1, 1, Cin, Cout) → dx (N, H, W, Cin), float32.
 */
export function conv2dBackpropInputPointwise(composer: KernelComposer, dy: tf.TensorInfo, filter: tf.TensorInfo, g: ConvGeometry): tf.TensorInfo {
  const { batch, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, strideHeight: sh, strideWidth: sw } = g;
  const transposed = composer.transpose(composer.reshape(filter, [inChannels, outChannels]), [1, 0]); // (Cout, Cin)
  const weights = composer.reshape(transposed, [1, 1, outChannels, inChannels]);
  const product = composer.run('Conv2D', { x: dy, filter: weights }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined });
  composer.free(weights);
  composer.free(transposed);
  // Insert s − 1 zeros after every row and column: (N, Ho·sh, Wo·sw, Cin) with dxs[i, j] at (i·sh, j·sw).
  let spread = product;
  if (sh > 1) {
    const rows = composer.reshape(spread, [batch * outHeight, 1, outWidth * inChannels]);
    const padded = composer.pad(rows, [[0, 0], [0, sh - 1], [0, 0]]);
    composer.free(rows);
    spread = composer.reshape(padded, [batch, outHeight * sh, outWidth, inChannels]);
    composer.free(padded);
  }
  if (sw > 1) {
    const columns = composer.reshape(spread, [batch * spread.shape[1] * outWidth, 1, inChannels]);
    const padded = composer.pad(columns, [[0, 0], [0, sw - 1], [0, 0]]);
    composer.free(columns);
    if (spread !== product) composer.free(spread);
    spread = composer.reshape(padded, [batch, spread.shape[1], outWidth * sw, inChannels]);
    composer.free(padded);
  }
  composer.free(product);
  // dx[h] = spread[h + pt]: zeros after the end where needed, then the window [pt, pt + H).
  const [, height, width] = spread.shape;
  const extended = composer.pad(spread, [[0, 0], [0, Math.max(0, g.padTop + inHeight - height)], [0, Math.max(0, g.padLeft + inWidth - width)], [0, 0]]);
  return composer.stridedSlice(extended, [0, g.padTop, g.padLeft, 0], [batch, g.padTop + inHeight, g.padLeft + inWidth, inChannels], [1, 1, 1, 1]);
}
