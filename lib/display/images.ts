/** Image grids as PNG (views grids, retrieval rows): NHWC pixels → one upscaled, padded, optionally labelled picture. */
import sharp from 'sharp';
import type { Tensor } from '@tensorflow/tfjs';
import { checkNonNegativeInteger, describeValue } from './internal';
import { checkPositiveInteger, withDefaults } from '../options';
import { GridLayout, drawLabels } from './imageLabels';

/** Pixels: bytes 0–255 (Uint8Array, Uint8ClampedArray) or floats in [0, 1] (Float32Array, Float64Array; clipped). */
export type ImagePixels = Uint8Array | Uint8ClampedArray | Float32Array | Float64Array;

export interface ImageGridOptions {
  /** Grid rows (default: ⌈N / cols⌉). */
  rows?: number;
  /** Grid columns (default: ⌈N / rows⌉ when rows is given, else min(N, 8)). Images fill row by row. */
  cols?: number;
  /** Integer nearest-neighbour upscaling factor (each pixel becomes scale × scale). */
  scale?: number;
  /** Gap between cells and around the grid, in output pixels. */
  padding?: number;
  /** Whether the padding also frames the grid (default true); false: gaps between cells only. */
  frame?: boolean;
  /** Background and padding colour: grey level 0–255 or [r, g, b]. */
  background?: number | [number, number, number];
  /** A caption under each image (length ≤ N; missing ones left blank). */
  labels?: string[];
  /** A caption left of each grid row (e.g. 'original', 'view 1', 'view 2'). */
  rowLabels?: string[];
  /** Caption font size in pixels. */
  fontSize?: number;
}

export const IMAGE_GRID_DEFAULTS = {
  scale: 3, // 28- and 32-pixel images become ~90 px: visible without zooming
  padding: 2, // separates cells without wasting space
  background: 255 as number | [number, number, number], // white separates dark Fashion-MNIST backgrounds
  fontSize: 11, // readable under a 28 × 3 = 84 px cell
};

/** An RGB picture in memory: (height, width, 3) bytes, row-major. */
export interface RgbImage {
  pixels: Uint8Array;
  width: number;
  height: number;
}

/**
 * Lay N images (N, H, W, C), C ∈ {1, 3}, out on a rows × cols grid, each upscaled by nearest neighbour: output
 * pixel (y, x) of a cell takes input pixel (⌊y / scale⌋, ⌊x / scale⌋). Grey inputs are replicated to RGB; float
 * inputs are clipped to [0, 1] and mapped to round(255 v). Captions are not drawn here (see imageGridPng).
 * @returns the RGB picture and the layout of its cells.
 */
export function composeImageGrid(images: ImagePixels, shape: readonly number[], options?: ImageGridOptions): { image: RgbImage; layout: GridLayout } {
  const caller = 'imageGrid';
  const settings = withDefaults(IMAGE_GRID_DEFAULTS, options);
  if (!Array.isArray(shape) || shape.length !== 4) throw new Error(`${caller}: shape must be [N, H, W, C], got ${describeValue(shape)}`);
  const [n, h, w, c] = shape.map((v, i) => checkPositiveInteger(`${caller}: shape[${i}]`, v));
  if (c !== 1 && c !== 3) throw new Error(`${caller}: channels (shape[3]) must be 1 (grey) or 3 (RGB), got ${c}`);
  const isBytes = images instanceof Uint8Array || images instanceof Uint8ClampedArray;
  if (!isBytes && !(images instanceof Float32Array || images instanceof Float64Array)) {
    throw new Error(`${caller}: images must be a Uint8Array (0–255) or Float32Array/Float64Array (0–1), got ${describeValue(images)}`);
  }
  if (images.length !== n * h * w * c) throw new Error(`${caller}: shape [${shape.join(', ')}] needs ${n * h * w * c} values, got ${images.length}`);
  const scale = checkPositiveInteger(`${caller}: scale`, settings.scale);
  const padding = checkNonNegativeInteger(settings.padding, 'padding', caller);
  const cols = options?.cols ?? (options?.rows !== undefined ? Math.ceil(n / options.rows) : Math.min(n, 8));
  checkPositiveInteger(`${caller}: cols`, cols);
  const rows = options?.rows ?? Math.ceil(n / cols);
  checkPositiveInteger(`${caller}: rows`, rows);
  if (rows * cols < n) throw new Error(`${caller}: a ${rows} × ${cols} grid has ${rows * cols} cells for ${n} images`);
  const background = typeof settings.background === 'number' ? [settings.background, settings.background, settings.background] : settings.background;
  if (!Array.isArray(background) || background.length !== 3 || background.some((v) => !(v >= 0 && v <= 255))) {
    throw new Error(`${caller}: background must be a grey level 0–255 or [r, g, b], got ${describeValue(settings.background)}`);
  }
  const margin = options?.frame === false ? 0 : padding;
  const layout = gridLayout(n, h * scale, w * scale, rows, cols, padding, margin, options?.labels, options?.rowLabels, settings.fontSize);
  const { width, height } = layout;
  if (width * height > 50_000_000) throw new Error(`${caller}: the grid would be ${width} × ${height} pixels; lower scale or show fewer images`);
  const pixels = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set(background, 3 * i);
  const toByte = isBytes ? (v: number) => v : (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)) || 0); // NaN → 0
  for (let k = 0; k < n; k++) {
    const { x: left, y: top } = layout.cells[k];
    for (let y = 0; y < h * scale; y++) {
      const source = ((k * h + Math.floor(y / scale)) * w) * c;
      const target = ((top + y) * width + left) * 3;
      for (let x = 0; x < w * scale; x++) {
        const s = source + Math.floor(x / scale) * c;
        const t = target + 3 * x;
        pixels[t] = toByte(images[s]);
        pixels[t + 1] = toByte(images[s + (c === 3 ? 1 : 0)]);
        pixels[t + 2] = toByte(images[s + (c === 3 ? 2 : 0)]);
      }
    }
  }
  return { image: { pixels, width, height }, layout };
}

/** Cell positions and picture size: row label band on the left, a caption band under each cell when labels exist. */
function gridLayout(n: number, cellHeight: number, cellWidth: number, rows: number, cols: number, padding: number, margin: number,
  labels: string[] | undefined, rowLabels: string[] | undefined, fontSize: number): GridLayout {
  const caller = 'imageGrid';
  checkPositiveInteger(`${caller}: fontSize`, fontSize);
  for (const [name, list, most] of [['labels', labels, n], ['rowLabels', rowLabels, rows]] as const) {
    if (list === undefined) continue;
    if (!Array.isArray(list) || list.some((label) => typeof label !== 'string')) throw new Error(`${caller}: ${name} must be an array of strings, got ${describeValue(list)}`);
    if (list.length > most) throw new Error(`${caller}: ${name} has ${list.length} entries for ${most} ${name === 'labels' ? 'images' : 'rows'}`);
  }
  const captionBand = labels?.length ? Math.ceil(fontSize * 1.5) : 0;
  const rowLabelBand = rowLabels?.length ? Math.ceil(Math.max(...rowLabels.map((label) => label.length)) * fontSize * 0.62) + padding + 4 : 0;
  const width = rowLabelBand + cols * cellWidth + (cols - 1) * padding + 2 * margin;
  const height = rows * (cellHeight + captionBand) + (rows - 1) * padding + 2 * margin;
  const cells = Array.from({ length: n }, (_, k) => ({
    x: rowLabelBand + margin + (k % cols) * (cellWidth + padding),
    y: margin + Math.floor(k / cols) * (cellHeight + captionBand + padding),
  }));
  return { width, height, cellWidth, cellHeight, captionBand, rowLabelBand, rows, padding, cells, labels: labels ?? [], rowLabels: rowLabels ?? [], fontSize };
}

/**
 * A grid of images as PNG bytes (8-bit RGB), for notebooks (`show(await imageGridPng(...))`) and reports. See
 * composeImageGrid for the layout and pixel conversion; captions are drawn with the system's sans-serif font.
 * @param images (N, H, W, C) row-major pixels. @param shape [N, H, W, C].
 */
export async function imageGridPng(images: ImagePixels, shape: readonly number[], options?: ImageGridOptions): Promise<Buffer> {
  const { image, layout } = composeImageGrid(images, shape, options);
  const background = options?.background ?? IMAGE_GRID_DEFAULTS.background;
  const grey = typeof background === 'number' ? background : (background[0] + background[1] + background[2]) / 3;
  await drawLabels(image, layout, grey < 128 ? '#ffffff' : '#000000');
  return sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } }).png().toBuffer();
}

/** Pixels and shape of an image tensor: float32 read as [0, 1], int32 as 0–255 bytes (clipped). */
async function tensorPixels(tensor: Tensor, rank: 3 | 4, caller: string): Promise<{ pixels: ImagePixels; shape: number[] }> {
  if (tensor == null || typeof (tensor as Tensor).data !== 'function') throw new Error(`${caller}: expected a tf.Tensor, got ${describeValue(tensor)}`);
  const shape = rank === 3 && tensor.rank === 4 && tensor.shape[0] === 1 ? tensor.shape.slice(1) : tensor.shape;
  if (shape.length !== rank) throw new Error(`${caller}: expected a rank-${rank} ${rank === 3 ? '(H, W, C)' : '(N, H, W, C)'} tensor, got shape [${tensor.shape.join(', ')}]`);
  const values = await tensor.data();
  if (tensor.dtype === 'float32') return { pixels: values as Float32Array, shape: rank === 3 ? [1, ...shape] : shape };
  if (tensor.dtype === 'int32') return { pixels: Uint8Array.from(values as Int32Array, (v) => Math.min(255, Math.max(0, v))), shape: rank === 3 ? [1, ...shape] : shape };
  throw new Error(`${caller}: expected a float32 ([0, 1]) or int32 (0–255) tensor, got ${tensor.dtype}`);
}

/** One (H, W, C) image tensor (or (1, H, W, C)) as PNG bytes, upscaled by `scale` (default 3), no padding. */
export async function tensorToPng(image: Tensor, options: { scale?: number } = {}): Promise<Buffer> {
  const { pixels, shape } = await tensorPixels(image, 3, 'tensorToPng');
  return imageGridPng(pixels, shape, { scale: options.scale, padding: 0, rows: 1, cols: 1 });
}

/** A batch tensor (N, H, W, C), float32 in [0, 1], as a PNG grid (see imageGridPng). Does not dispose the tensor. */
export async function tensorGridPng(images: Tensor, options?: ImageGridOptions): Promise<Buffer> {
  const { pixels, shape } = await tensorPixels(images, 4, 'tensorGridPng');
  return imageGridPng(pixels, shape, options);
}
