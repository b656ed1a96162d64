import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readCheckpoint, writeCheckpoint, CHECKPOINT_VERSION } from '../../lib/train/checkpoint';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-ckpt-'));
const sample = () => ({
  header: { step: 7, note: 'héllo' },
  arrays: [
    { name: 'a', shape: [2, 3], values: new Float32Array([1, 2, 3, 4, 5, 6]) },
    { name: 'b', shape: [1], values: new Float32Array([-0.5]) },
    { name: 'empty', shape: [0], values: new Float32Array(0) },
  ],
});

const Format = suite('checkpoint files');

Format('round trip keeps the header and every array bit for bit', () => {
  const file = path.join(dir, 'a.ckpt');
  writeCheckpoint(file, sample());
  const back = readCheckpoint(file);
  assert.equal(back.header, sample().header);
  assert.equal(back.arrays.map((a) => [a.name, a.shape, Array.from(a.values)]), sample().arrays.map((a) => [a.name, a.shape, Array.from(a.values)]));
  assert.equal(fs.readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary file is left behind');
});

Format('an interrupted write leaves the previous checkpoint intact', () => {
  const file = path.join(dir, 'keep.ckpt');
  writeCheckpoint(file, sample());
  const before = fs.readFileSync(file);
  const bad = { header: {}, arrays: [{ name: 'x', shape: [4], values: new Float32Array(3) }] };
  assert.throws(() => writeCheckpoint(file, bad), /has 3 values but shape \[4\] needs 4/);
  // Simulate a crash mid-write: a partial temporary file exists, the rename never happened.
  fs.writeFileSync(`${file}.tmp-99999`, before.subarray(0, 10));
  assert.ok(fs.readFileSync(file).equals(before));
  assert.equal(readCheckpoint(file).header, sample().header);
});

Format('missing, foreign, truncated, padded and future-version files give errors naming the file', () => {
  const file = path.join(dir, 'b.ckpt');
  writeCheckpoint(file, sample());
  const bytes = fs.readFileSync(file);
  assert.throws(() => readCheckpoint(path.join(dir, 'none.ckpt')), /no checkpoint at .*none\.ckpt/);
  fs.writeFileSync(path.join(dir, 'foreign.ckpt'), 'PK\x03\x04 a zip file');
  assert.throws(() => readCheckpoint(path.join(dir, 'foreign.ckpt')), /foreign\.ckpt is not a simclr-workbench checkpoint/);
  fs.writeFileSync(path.join(dir, 'cut.ckpt'), bytes.subarray(0, bytes.length - 4));
  assert.throws(() => readCheckpoint(path.join(dir, 'cut.ckpt')), /cut\.ckpt is truncated/);
  fs.writeFileSync(path.join(dir, 'long.ckpt'), Buffer.concat([bytes, Buffer.alloc(4)]));
  assert.throws(() => readCheckpoint(path.join(dir, 'long.ckpt')), /trailing bytes/);
  const future = Buffer.from(bytes);
  future.writeUInt32LE(CHECKPOINT_VERSION + 1, 8);
  fs.writeFileSync(path.join(dir, 'future.ckpt'), future);
  assert.throws(() => readCheckpoint(path.join(dir, 'future.ckpt')), /format version 2/);
  const corrupt = Buffer.from(bytes);
  corrupt[16] = 0x7b + 1; // break the JSON's opening brace
  fs.writeFileSync(path.join(dir, 'corrupt.ckpt'), corrupt);
  assert.throws(() => readCheckpoint(path.join(dir, 'corrupt.ckpt')), /corrupt\.ckpt has a corrupt header/);
});

Format.run();
