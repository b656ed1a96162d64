import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { idxBytes, makeTempDir, removeTempDir } from './fixtures';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, readIdxFile } from '../../lib/data/idx';

const pixels = Uint8Array.from({ length: 5 * 3 * 4 }, (_, j) => (j * 37) % 256);
let dir = '';
const file = (name: string) => path.join(dir, name);

const Parse = suite('parseIdx');

Parse('reads magic, dims and data from a known header (images 2051, labels 2049)', () => {
  const images = parseIdx(idxBytes([5, 3, 4], pixels), 'x');
  assert.is(images.magic, IDX_IMAGES_MAGIC);
  assert.equal(images.dims, [5, 3, 4]);
  assert.equal(Array.from(images.data), Array.from(pixels));
  const labels = parseIdx(idxBytes([3], Uint8Array.from([9, 0, 4])), 'y', { expectedMagic: IDX_LABELS_MAGIC });
  assert.is(labels.magic, 2049);
  assert.equal(Array.from(labels.data), [9, 0, 4]);
  // header bytes are exactly 00 00 08 03 | 00 00 00 05 | 00 00 00 03 | 00 00 00 04
  assert.equal(Array.from(idxBytes([5, 3, 4], new Uint8Array(0))), [0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 3, 0, 0, 0, 4]);
});

Parse('maxItems returns a prefix; bad inputs raise errors naming the file', () => {
  const two = parseIdx(idxBytes([5, 3, 4], pixels), 'x', { maxItems: 2 });
  assert.is(two.itemsRead, 2);
  assert.equal(Array.from(two.data), Array.from(pixels.subarray(0, 24)));
  const cases: [Uint8Array, object, RegExp][] = [
    [idxBytes([3], new Uint8Array(3)), { expectedMagic: IDX_IMAGES_MAGIC }, /^f\.idx: wrong magic number 2049 \(0x00000801\), expected 2051/],
    [idxBytes([5, 3, 4], pixels.subarray(0, 50)), {}, /^f\.idx: truncated: header says 5 items of 3x4 bytes \(76 bytes in all\), only 66 bytes/],
    [Uint8Array.from([0, 0, 8]), {}, /^f\.idx: truncated: 3 bytes/],
    [Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 5]), {}, /^f\.idx: truncated header: 3 dimensions need 16 header bytes, file has 8/],
    [Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 0]), {}, /^f\.idx: unsupported IDX element type 0xd/],
    [Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), {}, /^f\.idx: wrong magic number .*first two bytes/],
  ];
  for (const [bytes, options, pattern] of cases) assert.throws(() => parseIdx(bytes, 'f.idx', options), pattern);
});

Parse.run();

const Read = suite('readIdxFile');
Read.before(() => {
  dir = makeTempDir('idx');
});
Read.after(() => removeTempDir(dir));

Read('plain and gzipped files give identical results, with and without maxItems', () => {
  const bytes = idxBytes([5, 3, 4], pixels);
  fs.writeFileSync(file('raw-idx3-ubyte'), bytes);
  fs.writeFileSync(file('gz-idx3-ubyte.gz'), zlib.gzipSync(bytes));
  // detection is by content, not name: a gzipped file without .gz still reads
  fs.writeFileSync(file('gz-no-suffix'), zlib.gzipSync(bytes));
  for (const name of ['raw-idx3-ubyte', 'gz-idx3-ubyte.gz', 'gz-no-suffix']) {
    const all = readIdxFile(file(name), { expectedMagic: IDX_IMAGES_MAGIC });
    assert.equal(all.dims, [5, 3, 4], name);
    assert.equal(Array.from(all.data), Array.from(pixels), name);
    for (const maxItems of [0, 1, 4, 5, 99]) {
      const part = readIdxFile(file(name), { maxItems });
      assert.is(part.itemsRead, Math.min(5, maxItems));
      assert.equal(Array.from(part.data), Array.from(pixels.subarray(0, 12 * Math.min(5, maxItems))), `${name} maxItems ${maxItems}`);
      assert.equal(part.dims, [5, 3, 4], 'header count is the whole file');
    }
  }
});

Read('a gzip of several members (cat a.gz b.gz) and a trailer that overstates the size still read exactly', () => {
  const bytes = idxBytes([5, 3, 4], pixels);
  fs.writeFileSync(file('multi.gz'), Buffer.concat([zlib.gzipSync(bytes.subarray(0, 30)), zlib.gzipSync(bytes.subarray(30))]));
  assert.equal(Array.from(readIdxFile(file('multi.gz')).data), Array.from(pixels));
  // ISIZE (last 4 bytes) claims 1 MB: zlib rejects the length check, and the error names the file
  const lying = Buffer.from(zlib.gzipSync(bytes));
  lying.writeUInt32LE(1 << 20, lying.length - 4);
  fs.writeFileSync(file('lying.gz'), lying);
  assert.throws(() => readIdxFile(file('lying.gz')), /lying\.gz: corrupt or truncated gzip data \(incorrect length check\)/);
});

Read('a large gzipped file is only partly decompressed for a small maxItems, and still exact', () => {
  // 2000 images of 28x28 of incompressible-ish bytes: 1.5 MB raw
  const count = 2000;
  const big = new Uint8Array(count * 784);
  let state = 12345;
  for (let j = 0; j < big.length; j++) big[j] = (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24;
  fs.writeFileSync(file('big.gz'), zlib.gzipSync(idxBytes([count, 28, 28], big)));
  const part = readIdxFile(file('big.gz'), { maxItems: 3 });
  assert.equal(Array.from(part.data), Array.from(big.subarray(0, 3 * 784)));
  assert.ok(part.data.buffer.byteLength < big.length / 4, `decoded ${part.data.buffer.byteLength} bytes for 3 images`);
  // a corrupted tail goes unnoticed with maxItems (documented), but not when reading everything
  const gz = zlib.gzipSync(idxBytes([count, 28, 28], big));
  fs.writeFileSync(file('big-cut.gz'), gz.subarray(0, gz.length - 5000));
  assert.equal(Array.from(readIdxFile(file('big-cut.gz'), { maxItems: 3 }).data), Array.from(big.subarray(0, 3 * 784)));
  assert.throws(() => readIdxFile(file('big-cut.gz')), /big-cut\.gz: corrupt or truncated gzip data \(unexpected end of file\)/);
});

Read('every bad input names the file: missing, wrong magic, truncated, corrupt gzip', () => {
  const good = idxBytes([5, 3, 4], pixels);
  fs.writeFileSync(file('labels-as-images'), idxBytes([3], new Uint8Array(3)));
  fs.writeFileSync(file('short'), good.subarray(0, 40));
  fs.writeFileSync(file('short.gz'), zlib.gzipSync(good.subarray(0, 40)));
  const gz = zlib.gzipSync(good);
  fs.writeFileSync(file('cut.gz'), gz.subarray(0, gz.length - 6));
  const badCrc = Buffer.from(gz);
  badCrc[badCrc.length - 6] ^= 0xff; // CRC32 field of the gzip trailer
  fs.writeFileSync(file('crc.gz'), badCrc);
  fs.writeFileSync(file('garbage.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
  const cases: [string, object, RegExp][] = [
    ['nope.gz', {}, /nope\.gz: missing \(no such file\)/],
    ['labels-as-images', { expectedMagic: IDX_IMAGES_MAGIC }, /labels-as-images: wrong magic number 2049.*expected 2051/],
    ['short', {}, /short: truncated: header says 5 items/],
    ['short', { maxItems: 4 }, /short: truncated: .*\(64 needed for the first 4\)/],
    ['short.gz', {}, /short\.gz: truncated: header says 5 items/],
    ['cut.gz', {}, /cut\.gz: corrupt or truncated gzip data/],
    ['crc.gz', {}, /crc\.gz: corrupt or truncated gzip data \(incorrect data check\)/],
    ['garbage.gz', {}, /garbage\.gz: corrupt/],
    ['garbage.gz', { maxItems: 1 }, /garbage\.gz: corrupt/],
  ];
  for (const [name, options, pattern] of cases) assert.throws(() => readIdxFile(file(name), options), pattern, name);
  assert.throws(() => readIdxFile(file('short'), { maxItems: -1 }), /maxItems must be a non-negative integer/);
});

Read.run();
