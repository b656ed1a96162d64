import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { toMimeBundle } from '../../lib/display/toMimeBundle';
import { displaySymbol, normalizeBundle } from '../../lib/display/mime';
import { assertNoLeak, useCpu } from '../helpers';

const Symbol_ = suite('displaySymbol');

Symbol_("is the registry symbol Symbol.for('Jupyter.display') shared with Deno's kernel", () => {
  assert.is(displaySymbol, Symbol.for('Jupyter.display'));
});

Symbol_.run();

const ToMimeBundle = suite('toMimeBundle');
ToMimeBundle.before(useCpu);

ToMimeBundle('plain values: only text/plain, util.inspect style (strings quoted)', async () => {
  const cases: [unknown, string][] = [
    [3, '3'],
    ['ab', "'ab'"],
    [null, 'null'],
    [{ a: 1, b: [2, 3] }, '{ a: 1, b: [ 2, 3 ] }'],
    [new Map([['k', 1]]), "Map(1) { 'k' => 1 }"],
  ];
  for (const [value, text] of cases) assert.equal(await toMimeBundle(value), { 'text/plain': text });
});

ToMimeBundle('small 2-D tensor: text/plain summary plus an HTML table with every value', async () => {
  const t = tf.tensor2d([[1, 2], [3, 4]]);
  const bundle = await toMimeBundle(t);
  assert.equal(Object.keys(bundle).sort(), ['text/html', 'text/plain']);
  assert.ok(bundle['text/plain'].startsWith('Tensor float32 [2, 2] (4 values) min 1 · mean 2.5 · max 4'));
  const cells = [...(bundle['text/html'] as string).matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]);
  assert.equal(cells, ['1', '2', '3', '4']);
  t.dispose();
});

ToMimeBundle('big tensor: text only, a handful of lines (no table, no image)', async () => {
  const t = tf.zeros([500, 64]);
  const bundle = await toMimeBundle(t);
  assert.equal(Object.keys(bundle), ['text/plain']);
  assert.ok(bundle['text/plain'].split('\n').length <= 8);
  assert.ok(bundle['text/plain'].startsWith('Tensor float32 [500, 64] (32,000 values) min 0 · mean 0 · max 0'));
  t.dispose();
});

ToMimeBundle('image batch: image/png is base64 of a valid PNG (decoded with sharp) and the text says how it was drawn', async () => {
  const t = tf.fill([4, 16, 16, 3], 0.5);
  const bundle = await toMimeBundle(t);
  const png = Buffer.from(bundle['image/png'] as string, 'base64');
  assert.equal([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  assert.equal([info.width, info.height, info.channels], [2 * 16 * 6 + 2, 2 * 16 * 6 + 2, 3]); // 2×2 grid, 6× larger, a 2-pixel gap
  assert.is(data[0], 128); // round(0.5·255), halves to even
  assert.match(bundle['text/plain'], /\(drawn as an image: 4 of 4 images, values ×255, 6× larger\)$/);
  t.dispose();
});

ToMimeBundle('Jupyter.display objects: their bundle, bytes base64-encoded, text/plain added when missing; async too', async () => {
  const html = { [displaySymbol]: () => ({ 'text/html': '<i>x</i>' }), toString: () => 'x' };
  const bundle = await toMimeBundle(html);
  assert.is(bundle['text/html'], '<i>x</i>');
  assert.type(bundle['text/plain'], 'string');
  const bytes = { [displaySymbol]: async () => ({ 'image/png': new Uint8Array([1, 2, 3]), 'text/plain': 'three bytes' }) };
  assert.equal(await toMimeBundle(bytes), { 'image/png': 'AQID', 'text/plain': 'three bytes' });
  const broken = { [displaySymbol]: () => 42 };
  try {
    await toMimeBundle(broken);
    assert.unreachable('should throw');
  } catch (error) {
    assert.match((error as Error).message, /must return an object of MIME type → data, got 42/);
  }
});

ToMimeBundle('leaks no tensors (text, table and image paths)', async () => {
  const small = tf.randomUniform([3, 3]);
  const images = tf.randomUniform([2, 8, 8, 1]);
  await assertNoLeak(() => toMimeBundle(small));
  await assertNoLeak(() => toMimeBundle(images));
  tf.dispose([small, images]);
});

ToMimeBundle.run();

const Normalize = suite('normalizeBundle');

Normalize('keeps MIME-typed keys only, JSON objects under JSON types, strings elsewhere; adds text/plain', () => {
  const bundle = normalizeBundle(
    { 'application/json': { a: 1 }, 'application/vnd.x+json': [1], 'text/html': 5, notAMime: 'x', 'image/svg+xml': null },
    { v: 1 },
  );
  assert.equal(bundle, { 'application/json': { a: 1 }, 'application/vnd.x+json': [1], 'text/html': '5', 'text/plain': '{ v: 1 }' });
});

Normalize.run();
