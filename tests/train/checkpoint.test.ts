import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { readCheckpoint, writeCheckpoint, CheckpointError, CHECKPOINT_VERSION } from '../../lib/train/checkpoint';

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
  assert.throws(() => readCheckpoint(path.join(dir, 'future.ckpt')), /has format version 3; this library reads versions 1 and 2/);
  const corrupt = Buffer.from(bytes);
  corrupt[16] = 0x7b + 1; // break the JSON's opening brace
  fs.writeFileSync(path.join(dir, 'corrupt.ckpt'), corrupt);
  assert.throws(() => readCheckpoint(path.join(dir, 'corrupt.ckpt')), /corrupt\.ckpt has a corrupt header/);
});

/** A format-1 file (before the checksum): the same bytes without the trailer, version 1. */
function asVersion1(bytes: Buffer): Buffer {
  const v1 = Buffer.from(bytes.subarray(0, bytes.length - 32));
  v1.writeUInt32LE(1, 8);
  return v1;
}

Format('the file ends with the SHA-256 of everything before it', () => {
  const file = path.join(dir, 'sum.ckpt');
  writeCheckpoint(file, sample());
  const bytes = fs.readFileSync(file);
  assert.is(bytes.readUInt32LE(8), 2);
  const body = bytes.subarray(0, bytes.length - 32);
  assert.ok(createHash('sha256').update(body).digest().equals(bytes.subarray(bytes.length - 32)));
});

Format('a damaged file is refused with a CheckpointError, wherever the damage is', () => {
  const file = path.join(dir, 'damage.ckpt');
  const big = { header: { step: 1 }, arrays: [{ name: 'w', shape: [4096], values: Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i)) }] };
  writeCheckpoint(file, big);
  const good = fs.readFileSync(file);
  const cases: [string, (b: Buffer) => void][] = [
    ['one bit of a weight', (b) => { b[200] ^= 0x01; }],
    ['4 KB of random bytes over the weights', (b) => { const noise = Buffer.from(Float32Array.from({ length: 1024 }, (_, i) => Math.cos(7 * i) * 1e30).buffer); noise.copy(b, 1000); }],
    ['a header value', (b) => { const at = b.indexOf('"step":1'); b[at + 7] = '2'.charCodeAt(0); }],
    ['the checksum itself', (b) => { b[b.length - 1] ^= 0xff; }],
  ];
  for (const [what, damage] of cases) {
    const bad = Buffer.from(good);
    damage(bad);
    fs.writeFileSync(file, bad);
    let error: unknown;
    try { readCheckpoint(file); } catch (err) { error = err; }
    assert.instance(error, CheckpointError, what);
    assert.match((error as Error).message, /damage\.ckpt is damaged: its SHA-256 checksum does not match its contents/, what);
  }
});

Format('format-1 checkpoints (written before the checksum) still load', () => {
  const file = path.join(dir, 'old.ckpt');
  writeCheckpoint(file, sample());
  fs.writeFileSync(file, asVersion1(fs.readFileSync(file)));
  const back = readCheckpoint(file);
  assert.equal(back.header, sample().header);
  assert.equal(Array.from(back.arrays[0].values), [1, 2, 3, 4, 5, 6]);
});

Format('a failed rename leaves no temporary file and the target untouched', () => {
  const target = path.join(dir, 'occupied.ckpt');
  fs.mkdirSync(path.join(target, 'inside'), { recursive: true }); // a non-empty folder where the file should go
  assert.throws(() => writeCheckpoint(target, sample()), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.equal(fs.readdirSync(dir).filter((f) => f.startsWith('occupied.ckpt.tmp-')), []);
  assert.ok(fs.statSync(target).isDirectory());
});

Format('temporary files of a killed writer are removed by the next write; a live writer\'s are kept', () => {
  const file = path.join(dir, 'stale.ckpt');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout);
  fs.writeFileSync(`${file}.tmp-${deadPid}`, Buffer.alloc(1 << 16)); // full-size debris of a kill -9 mid-write
  fs.writeFileSync(`${file}.tmp-${process.ppid}`, 'a live process'); // the test runner's parent: alive
  writeCheckpoint(file, sample());
  assert.not.ok(fs.existsSync(`${file}.tmp-${deadPid}`), 'debris of the dead writer is gone');
  assert.ok(fs.existsSync(`${file}.tmp-${process.ppid}`), 'a live writer\'s file is left alone');
  fs.rmSync(`${file}.tmp-${process.ppid}`);
  assert.equal(readCheckpoint(file).header, sample().header);
});

Format.run();
