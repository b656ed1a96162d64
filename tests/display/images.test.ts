import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'child_process';
import sharp from 'sharp';
import { assertNoLeak, assertThrowsAsync, useCpu } from '../helpers';
import { composeImageGrid, imageGridPng, tensorGridPng, tensorToPng } from '../../lib/display/images';

/** Decode PNG bytes to raw pixels. */
async function decode(png: Buffer) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}
const pixel = (image: { data: Uint8Array; width: number; channels: number }, x: number, y: number) =>
  Array.from(image.data.subarray((y * image.width + x) * image.channels, (y * image.width + x + 1) * image.channels));

/** Whether fontconfig lists any font (captions are drawn with system fonts). */
function fontsAvailable(): boolean {
  try {
    return execFileSync('fc-list', { encoding: 'utf8' }).trim().length > 0;
  } catch {
    return false;
  }
}

const ComposeImageGrid = suite('composeImageGrid');

ComposeImageGrid('size and cell positions: padding around and between cells, rows filled left to right', () => {
  const { image, layout } = composeImageGrid(new Uint8Array(5 * 2 * 3), [5, 2, 3, 1], { cols: 3, scale: 2, padding: 1 });
  assert.equal([image.width, image.height], [3 * 6 + 4, 2 * (4 + 1) + 1]);
  assert.equal(layout.cells, [{ x: 1, y: 1 }, { x: 8, y: 1 }, { x: 15, y: 1 }, { x: 1, y: 6 }, { x: 8, y: 6 }]);
  assert.is(image.pixels.length, image.width * image.height * 3);
});

ComposeImageGrid('every output pixel is the nearest-neighbour input pixel or the background (reference loop)', () => {
  const [n, h, w, scale, padding] = [3, 3, 2, 3, 2];
  const images = Uint8Array.from({ length: n * h * w * 3 }, (_, i) => (i * 37) % 256);
  const { image, layout } = composeImageGrid(images, [n, h, w, 3], { cols: 2, scale, padding, background: [1, 2, 3] });
  const expected = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.width * image.height; i++) expected.set([1, 2, 3], 3 * i);
  for (let k = 0; k < n; k++) {
    for (let y = 0; y < h * scale; y++) for (let x = 0; x < w * scale; x++) for (let c = 0; c < 3; c++) {
      const source = ((k * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * 3 + c;
      expected[((layout.cells[k].y + y) * image.width + layout.cells[k].x + x) * 3 + c] = images[source];
    }
  }
  assert.equal(Array.from(image.pixels), Array.from(expected));
});

ComposeImageGrid('floats: clipped to [0, 1] and mapped to round(255 v), NaN to 0; grey replicated to RGB', () => {
  const values = Float32Array.from([-0.5, 0, 0.5, 1, 1.5, NaN]);
  const { image } = composeImageGrid(values, [1, 1, 6, 1], { scale: 1, padding: 0 });
  assert.equal(Array.from(image.pixels), [0, 0, 0, 0, 0, 0, 128, 128, 128, 255, 255, 255, 255, 255, 255, 0, 0, 0]);
  const rgb = composeImageGrid(Float64Array.from([1, 0, 0.5]), [1, 1, 1, 3], { scale: 1, padding: 0 }).image;
  assert.equal(Array.from(rgb.pixels), [255, 0, 128]);
});

ComposeImageGrid('grid defaults: min(N, 8) columns; given rows, ⌈N / rows⌉ columns', () => {
  const size = (n: number, options: object) => { const { image } = composeImageGrid(new Uint8Array(n), [n, 1, 1, 1], { scale: 1, padding: 0, ...options }); return [image.width, image.height]; };
  assert.equal(size(5, {}), [5, 1]);
  assert.equal(size(20, {}), [8, 3]);
  assert.equal(size(9, { rows: 3 }), [3, 3]);
  assert.equal(size(6, { cols: 4 }), [4, 2]);
});

ComposeImageGrid('caption band under each row and a row-label band on the left', () => {
  const plainGrid = composeImageGrid(new Uint8Array(4 * 4 * 4), [4, 4, 4, 1], { cols: 2, scale: 2, padding: 2 }).image;
  const labelled = composeImageGrid(new Uint8Array(4 * 4 * 4), [4, 4, 4, 1], { cols: 2, scale: 2, padding: 2, labels: ['a'], rowLabels: ['original', 'view'], fontSize: 10 });
  assert.is(labelled.layout.captionBand, 15);
  assert.is(labelled.image.height, plainGrid.height + 2 * 15);
  assert.ok(labelled.layout.rowLabelBand >= 8 * 10 * 0.6, 'room for "original"');
  assert.is(labelled.image.width, plainGrid.width + labelled.layout.rowLabelBand);
  assert.equal(labelled.layout.cells[0], { x: labelled.layout.rowLabelBand + 2, y: 2 });
});

ComposeImageGrid('validation: shape, channels, value count, array type, grid too small, labels, background', () => {
  const pixels = new Uint8Array(12);
  assert.throws(() => composeImageGrid(pixels, [12, 1, 1] as never), /shape must be \[N, H, W, C\]/);
  assert.throws(() => composeImageGrid(pixels, [3, 1, 1, 4]), /channels \(shape\[3\]\) must be 1 \(grey\) or 3 \(RGB\), got 4/);
  assert.throws(() => composeImageGrid(pixels, [2, 2, 2, 1]), /shape \[2, 2, 2, 1\] needs 8 values, got 12/);
  assert.throws(() => composeImageGrid(new Int32Array(12) as never, [12, 1, 1, 1]), /Uint8Array \(0–255\) or Float32Array\/Float64Array \(0–1\), got a Int32Array/);
  assert.throws(() => composeImageGrid(pixels, [12, 1, 1, 1], { rows: 2, cols: 5 }), /a 2 × 5 grid has 10 cells for 12 images/);
  assert.throws(() => composeImageGrid(pixels, [12, 1, 1, 1], { labels: new Array(13).fill('x') }), /labels has 13 entries for 12 images/);
  assert.throws(() => composeImageGrid(pixels, [12, 1, 1, 1], { cols: 6, rowLabels: ['a', 'b', 'c'] }), /rowLabels has 3 entries for 2 rows/);
  assert.throws(() => composeImageGrid(pixels, [12, 1, 1, 1], { scale: 1.5 }), /scale must be a positive integer/);
  assert.throws(() => composeImageGrid(pixels, [12, 1, 1, 1], { background: 300 }), /background must be a grey level 0–255 or \[r, g, b\]/);
});

ComposeImageGrid.run();

const ImageGridPng = suite('imageGridPng');

ImageGridPng('a white image in cell (0, 1) lands there after 3× scaling; the PNG decodes to the composed pixels', async () => {
  const [n, h, w] = [4, 4, 4];
  const images = new Float32Array(n * h * w);
  images.fill(1, h * w, 2 * h * w); // image 1 white, the others black
  const png = await imageGridPng(images, [n, h, w, 1], { cols: 2, padding: 2, background: 128 });
  const decoded = await decode(png);
  const cell = 3 * 4;
  assert.equal([decoded.width, decoded.height, decoded.channels], [2 * cell + 3 * 2, 2 * cell + 3 * 2, 3]);
  const cell01 = { x: 2 + cell + 2, y: 2 };
  for (const [dx, dy] of [[0, 0], [cell - 1, 0], [0, cell - 1], [cell - 1, cell - 1], [5, 6]]) {
    assert.equal(pixel(decoded, cell01.x + dx, cell01.y + dy), [255, 255, 255], `inside cell (0, 1) at +${dx},+${dy}`);
  }
  assert.equal(pixel(decoded, 2, 2), [0, 0, 0]); // cell (0, 0)
  assert.equal(pixel(decoded, cell01.x, 2 + cell + 2), [0, 0, 0]); // cell (1, 1), just below
  assert.equal(pixel(decoded, cell01.x - 1, cell01.y), [128, 128, 128]); // the gap left of cell (0, 1)
  assert.equal(pixel(decoded, cell01.x + cell, cell01.y), [128, 128, 128]); // the border right of it
  const { image } = composeImageGrid(images, [n, h, w, 1], { cols: 2, padding: 2, background: 128 });
  assert.equal(Array.from(decoded.data), Array.from(image.pixels));
});

ImageGridPng('RGB bytes keep their channel order', async () => {
  const decoded = await decode(await imageGridPng(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]), [3, 1, 1, 3], { scale: 1, padding: 0 }));
  assert.equal([pixel(decoded, 0, 0), pixel(decoded, 1, 0), pixel(decoded, 2, 0)], [[255, 0, 0], [0, 255, 0], [0, 0, 255]]);
});

ImageGridPng('captions draw text under labelled cells only; row labels draw in the left band', async () => {
  if (!fontsAvailable()) {
    console.log('  (caption pixels not checked: fontconfig lists no fonts here)');
    return;
  }
  const options = { cols: 2, padding: 2, scale: 8, labels: ['Sandal', ''], rowLabels: ['view'], fontSize: 12 };
  const png = await imageGridPng(new Uint8Array(2 * 4 * 4).fill(200), [2, 4, 4, 1], options);
  const decoded = await decode(png);
  const { layout } = composeImageGrid(new Uint8Array(2 * 4 * 4), [2, 4, 4, 1], options);
  const darkIn = (x0: number, x1: number, y0: number, y1: number) => {
    let dark = 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) if (pixel(decoded, x, y)[0] < 100) dark++;
    return dark;
  };
  const band = [layout.cells[0].y + layout.cellHeight, layout.cells[0].y + layout.cellHeight + layout.captionBand] as const;
  assert.ok(darkIn(layout.cells[0].x, layout.cells[0].x + layout.cellWidth, ...band) > 10, 'text under cell 0');
  assert.is(darkIn(layout.cells[1].x, layout.cells[1].x + layout.cellWidth, ...band), 0, 'nothing under the unlabelled cell');
  assert.ok(darkIn(0, layout.rowLabelBand, 0, decoded.height) > 10, 'row label');
  assert.is(darkIn(layout.cells[0].x, layout.cells[0].x + layout.cellWidth, layout.cells[0].y, layout.cells[0].y + layout.cellHeight), 0, 'image untouched');
});

ImageGridPng('a dark background gets white captions', async () => {
  if (!fontsAvailable()) return;
  const png = await imageGridPng(new Uint8Array(16), [1, 4, 4, 1], { scale: 10, background: 0, labels: ['Bag'] });
  const decoded = await decode(png);
  let bright = 0;
  for (let y = 42; y < decoded.height; y++) for (let x = 0; x < decoded.width; x++) if (pixel(decoded, x, y)[0] > 150) bright++;
  assert.ok(bright > 10);
});

ImageGridPng.run();

const TensorToPng = suite('tensorToPng');
TensorToPng.before(useCpu);

TensorToPng('an (H, W, C) float tensor becomes an upscaled PNG of the same pixels; (1, H, W, C) accepted; int32 as bytes', async () => {
  const values = [0, 0.25, 0.5, 1, 0.75, 0.1];
  const image = tf.tensor3d(values, [2, 3, 1]);
  const decoded = await decode(await tensorToPng(image, { scale: 2 }));
  assert.equal([decoded.width, decoded.height], [6, 4]);
  assert.equal(pixel(decoded, 2, 0), [64, 64, 64]);
  assert.equal(pixel(decoded, 5, 3), [26, 26, 26]);
  const expanded = image.expandDims(0);
  const batched = await decode(await tensorToPng(expanded));
  assert.equal([batched.width, batched.height], [9, 6]);
  expanded.dispose();
  const integers = tf.tensor3d([300, -5, 7], [1, 1, 3], 'int32');
  const bytes = await decode(await tensorToPng(integers, { scale: 1 }));
  assert.equal(pixel(bytes, 0, 0), [255, 0, 7]);
  tf.dispose([image, integers]);
});

TensorToPng('leaves no tensors behind and leaves its input alive', async () => {
  const image = tf.ones([2, 2, 3]);
  await assertNoLeak(() => tensorToPng(image));
  assert.not.ok(image.isDisposed);
  image.dispose();
});

TensorToPng('validation: rank, dtype, non-tensors', async () => {
  const flat = tf.zeros([4, 4]);
  await assertThrowsAsync(() => tensorToPng(flat as never), /expected a rank-3 \(H, W, C\) tensor, got shape \[4, 4\]/);
  const bool = tf.zeros([1, 1, 1], 'bool');
  await assertThrowsAsync(() => tensorToPng(bool as never), /float32 \(\[0, 1\]\) or int32 \(0–255\) tensor, got bool/);
  await assertThrowsAsync(() => tensorToPng(new Float32Array(3) as never), /expected a tf.Tensor/);
  tf.dispose([flat, bool]);
});

TensorToPng.run();

const TensorGridPng = suite('tensorGridPng');
TensorGridPng.before(useCpu);

TensorGridPng('same bytes as imageGridPng on the tensor\'s data', async () => {
  const batch = tf.tidy(() => tf.linspace(0, 1, 4 * 3 * 3 * 3).reshape([4, 3, 3, 3]));
  const options = { rows: 2, scale: 2, padding: 1 };
  const fromTensor = await tensorGridPng(batch, options);
  const fromData = await imageGridPng(batch.dataSync() as Float32Array, [4, 3, 3, 3], options);
  assert.ok(fromTensor.equals(fromData));
  const single = tf.zeros([3, 3, 3]);
  await assertThrowsAsync(() => tensorGridPng(single as never), /rank-4 \(N, H, W, C\)/);
  tf.dispose([batch, single]);
});

TensorGridPng.run();
