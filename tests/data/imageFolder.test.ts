import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import sharp from 'sharp';
import { makeTempDir, removeTempDir } from './fixtures';
import { loadImageFolder } from '../../lib/data/imageFolder';
import { assertThrowsAsync } from '../helpers';

let root = '';
const RED = { r: 200, g: 10, b: 30 };
const BLUE = { r: 20, g: 40, b: 220 };

/** A solid-colour image file of the given format. */
async function solid(file: string, colour: { r: number; g: number; b: number }, format: 'png' | 'jpeg' | 'webp', width = 40, height = 20) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const image = sharp({ create: { width, height, channels: 3, background: colour } });
  await (format === 'png' ? image.png() : format === 'jpeg' ? image.jpeg({ quality: 95 }) : image.webp({ lossless: true })).toFile(file);
}

/** Collect warnings instead of printing them. */
function warnings() {
  const messages: string[] = [];
  return { messages, warn: (message: string) => void messages.push(message) };
}

const Load = suite('loadImageFolder');
Load.before(async () => {
  root = makeTempDir('folder');
  // class folders (sorted: bird, cat, dog), mixed formats, one nested file, one non-image file
  await solid(path.join(root, 'classes', 'cat', 'a.png'), RED, 'png');
  await solid(path.join(root, 'classes', 'cat', 'b.webp'), RED, 'webp');
  await solid(path.join(root, 'classes', 'cat', 'c.PNG'), RED, 'png');
  await solid(path.join(root, 'classes', 'dog', 'x.jpg'), BLUE, 'jpeg');
  await solid(path.join(root, 'classes', 'dog', 'deeper', 'y.jpeg'), BLUE, 'jpeg');
  await solid(path.join(root, 'classes', 'bird', 'z.png'), { r: 100, g: 100, b: 100 }, 'png');
  fs.writeFileSync(path.join(root, 'classes', 'bird', 'notes.txt'), 'not an image');
  // flat folder
  await solid(path.join(root, 'flat', '1.png'), RED, 'png');
  await solid(path.join(root, 'flat', '2.png'), BLUE, 'png');
  // a wide image, black in the outer eighths and white between, for the cover/centre crop
  const wide = Buffer.alloc(64 * 32 * 3);
  for (let y = 0; y < 32; y++) for (let x = 8; x < 56; x++) wide.fill(255, (y * 64 + x) * 3, (y * 64 + x) * 3 + 3);
  fs.mkdirSync(path.join(root, 'wide'));
  await sharp(wide, { raw: { width: 64, height: 32, channels: 3 } }).png().toFile(path.join(root, 'wide', 'w.png'));
  // corrupt files and an empty folder
  await solid(path.join(root, 'corrupt', 'good', 'ok.png'), RED, 'png');
  fs.writeFileSync(path.join(root, 'corrupt', 'good', 'broken.png'), Buffer.from('this is not a PNG file at all'));
  const jpeg = await sharp({ create: { width: 30, height: 30, channels: 3, background: RED } }).jpeg().toBuffer();
  fs.writeFileSync(path.join(root, 'corrupt', 'good', 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
  fs.mkdirSync(path.join(root, 'empty'));
  fs.mkdirSync(path.join(root, 'textonly'));
  fs.writeFileSync(path.join(root, 'textonly', 'readme.md'), '# nothing');
});
Load.after(() => removeTempDir(root));

Load('sub-folders are classes (sorted names), files found recursively, all decoded to imageSize x imageSize x 3', async () => {
  const ds = await loadImageFolder(path.join(root, 'classes'), { imageSize: 8, warn: () => assert.unreachable('no warning expected') });
  assert.equal(ds.classNames, ['bird', 'cat', 'dog']);
  assert.equal(ds.shape, [6, 8, 8, 3]);
  assert.equal(Array.from(ds.labels), [0, 1, 1, 1, 2, 2]);
  assert.equal(ds.files.map((f) => path.relative(path.join(root, 'classes'), f)), ['bird/z.png', 'cat/a.png', 'cat/b.webp', 'cat/c.PNG', 'dog/deeper/y.jpeg', 'dog/x.jpg']);
  assert.equal(ds.skipped, []);
  const pixelAt = (i: number) => Array.from(ds.images.subarray(i * 192, i * 192 + 3));
  assert.equal(pixelAt(0), [100, 100, 100]);
  assert.equal(pixelAt(1), [200, 10, 30], 'lossless PNG keeps the colour exactly');
  assert.equal(pixelAt(2), [200, 10, 30], 'lossless WebP keeps the colour exactly');
  for (const value of [...pixelAt(4), ...pixelAt(5)].map((v, k) => v - [20, 40, 220][k % 3])) assert.ok(Math.abs(value) <= 4, 'JPEG close to the colour');
});

Load('flat folder: unlabeled (-1), no classes; channels 1 gives grey; cover/centre crop keeps the middle', async () => {
  const flat = await loadImageFolder(path.join(root, 'flat'), { imageSize: 4, channels: 1 });
  assert.equal(flat.shape, [2, 4, 4, 1]);
  assert.equal(Array.from(flat.labels), [-1, -1]);
  assert.equal(flat.classNames, []);
  assert.ok(flat.images[0] !== flat.images[16], 'red and blue give different greys');
  // 64x32 -> cover 16x16: scale to 32x16 and keep the central 16 columns, all white and 4 columns away from
  // the black (a squash or letterbox would show black)
  const wide = await loadImageFolder(path.join(root, 'wide'), { imageSize: 16 });
  assert.ok(wide.images.every((v) => v >= 250), `centre crop is white, min ${Math.min(...wide.images)}`);
});

Load('unreadable files: skip lists them by name and warns; fail throws naming the file', async () => {
  const dir = path.join(root, 'corrupt');
  const { messages, warn } = warnings();
  const ds = await loadImageFolder(dir, { imageSize: 8, warn });
  assert.equal(ds.shape, [1, 8, 8, 3]);
  assert.equal(ds.files.map((f) => path.basename(f)), ['ok.png']);
  assert.equal(ds.skipped.map((s) => path.basename(s.file)).sort(), ['broken.png', 'cut.jpg']);
  for (const s of ds.skipped) assert.ok(s.reason.length > 0);
  assert.is(messages.length, 1);
  assert.match(messages[0], /skipped 2 file\(s\) in .*corrupt: .*(broken\.png|cut\.jpg)/);
  await assertThrowsAsync(() => loadImageFolder(dir, { imageSize: 8, onError: 'fail', concurrency: 1 }), /cannot read .*corrupt\/good\/broken\.png: /);
});

Load('limit takes files round-robin across classes; stray top-level images are skipped in class mode', async () => {
  const ds = await loadImageFolder(path.join(root, 'classes'), { imageSize: 4, limit: 4 });
  assert.equal(Array.from(ds.labels), [0, 1, 1, 2], 'bird, cat, dog, then cat again');
  await solid(path.join(root, 'classes', 'stray.png'), RED, 'png');
  try {
    const { messages, warn } = warnings();
    const all = await loadImageFolder(path.join(root, 'classes'), { imageSize: 4, warn });
    assert.is(all.shape[0], 6);
    assert.equal(all.skipped.map((s) => [path.basename(s.file), s.reason]), [['stray.png', 'not inside a class sub-folder']]);
    assert.is(messages.length, 1);
  } finally {
    fs.rmSync(path.join(root, 'classes', 'stray.png'));
  }
});

Load('empty folder, folder of non-images, missing folder and bad options are clear errors', async () => {
  await assertThrowsAsync(() => loadImageFolder(path.join(root, 'empty')), /no \.jpg\/\.jpeg\/\.png\/\.webp images in .*empty \(expected images directly in it, or one sub-folder per class\)/);
  await assertThrowsAsync(() => loadImageFolder(path.join(root, 'textonly')), /no .* images in .*textonly/);
  await assertThrowsAsync(() => loadImageFolder(path.join(root, 'absent')), /absent is not a folder/);
  await assertThrowsAsync(() => loadImageFolder(root, { channels: 2 as any }), /channels must be 1 or 3, got 2/);
  await assertThrowsAsync(() => loadImageFolder(root, { imageSize: 0 }), /imageSize must be an integer >= 1, got 0/);
  await assertThrowsAsync(() => loadImageFolder(root, { onError: 'ignore' as any }), /onError must be 'skip' or 'fail'/);
});

Load.run();
