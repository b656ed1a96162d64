import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDir, removeTempDir } from './fixtures';
import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_BYTES, loadCifar10 } from '../../lib/data/cifar10';

/** The known pixel of image `id` at (y, x, channel): a formula, so the NHWC result can be checked exactly. */
const pixel = (id: number, y: number, x: number, c: number) => (id * 31 + y * 7 + x * 3 + c * 101) % 256;

/** One CIFAR-10 binary record: label, then the R, G, B planes (each 32x32 row-major). */
function record(id: number, label: number): Buffer {
  const bytes = Buffer.alloc(CIFAR10_RECORD_BYTES);
  bytes[0] = label;
  for (let c = 0; c < 3; c++) for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) bytes[1 + c * 1024 + y * 32 + x] = pixel(id, y, x, c);
  return bytes;
}

let root = '';
const savedEnvironment = process.env.CIFAR10_DIR;

/** A cifar-10-batches-bin folder with 3 records per train batch file (ids 0..14) and 2 test records (ids 100, 101). */
function writeFolder(dir: string, options: { meta?: string | null } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  for (let f = 0; f < 5; f++) {
    const ids = [3 * f, 3 * f + 1, 3 * f + 2];
    fs.writeFileSync(path.join(dir, `data_batch_${f + 1}.bin`), Buffer.concat(ids.map((id) => record(id, id % 10))));
  }
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), Buffer.concat([record(100, 4), record(101, 9)]));
  const meta = options.meta === undefined ? CIFAR10_CLASS_NAMES.join('\n') + '\n\n' : options.meta;
  if (meta !== null) fs.writeFileSync(path.join(dir, 'batches.meta.txt'), meta);
}

const Load = suite('loadCifar10');
Load.before(() => {
  root = makeTempDir('cifar');
  delete process.env.CIFAR10_DIR;
});
Load.after(() => {
  removeTempDir(root);
  if (savedEnvironment === undefined) delete process.env.CIFAR10_DIR;
  else process.env.CIFAR10_DIR = savedEnvironment;
});

Load('round trip: channel-first records read back as NHWC exactly, train files in order', () => {
  const dir = path.join(root, 'cifar-10-batches-bin');
  writeFolder(dir);
  const train = loadCifar10({ dir, split: 'train' });
  assert.is(train.name, 'cifar10/train');
  assert.equal(train.shape, [15, 32, 32, 3]);
  assert.equal(Array.from(train.labels), Array.from({ length: 15 }, (_, id) => id % 10));
  assert.equal(train.classNames, CIFAR10_CLASS_NAMES);
  for (let i = 0; i < 15; i++) {
    for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) for (let c = 0; c < 3; c++) {
      if (train.images[((i * 32 + y) * 32 + x) * 3 + c] !== pixel(i, y, x, c)) assert.unreachable(`image ${i} (${y}, ${x}, ${c})`);
    }
  }
  const test = loadCifar10({ dir, split: 'test' });
  assert.equal(test.shape, [2, 32, 32, 3]);
  assert.equal(Array.from(test.labels), [4, 9]);
  assert.is(test.images[((1 * 32 + 5) * 32 + 6) * 3 + 2], pixel(101, 5, 6, 2));
});

Load('limit spans files; the parent folder and CIFAR10_DIR are accepted; class names come from batches.meta.txt', () => {
  const parent = path.join(root, 'parent');
  writeFolder(path.join(parent, 'cifar-10-batches-bin'), { meta: 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n' });
  const limited = loadCifar10({ dir: parent, split: 'train', limit: 7 });
  assert.equal(limited.shape, [7, 32, 32, 3]);
  assert.is(limited.images[6 * 3072 + 100], loadCifar10({ dir: parent, split: 'train' }).images[6 * 3072 + 100]);
  assert.is(limited.classNames[9], 'j');
  process.env.CIFAR10_DIR = parent;
  try {
    assert.equal(loadCifar10({ split: 'test' }).shape, [2, 32, 32, 3]);
  } finally {
    delete process.env.CIFAR10_DIR;
  }
  const noMeta = path.join(root, 'nometa');
  writeFolder(noMeta, { meta: null });
  assert.equal(loadCifar10({ dir: noMeta, split: 'test' }).classNames, CIFAR10_CLASS_NAMES);
});

Load('clear errors: size not a multiple of 3073, label out of range, missing file, missing folder', () => {
  const cut = path.join(root, 'cut');
  writeFolder(cut);
  fs.writeFileSync(path.join(cut, 'test_batch.bin'), record(1, 1).subarray(0, 3000));
  assert.throws(() => loadCifar10({ dir: cut, split: 'test' }), /test_batch\.bin: size 3000 bytes is not a multiple of the record size 3073/);

  const badLabel = path.join(root, 'badlabel');
  writeFolder(badLabel);
  fs.writeFileSync(path.join(badLabel, 'test_batch.bin'), Buffer.concat([record(1, 3), record(2, 10)]));
  assert.throws(() => loadCifar10({ dir: badLabel, split: 'test' }), /test_batch\.bin: record 1 has label 10, outside 0\.\.9/);

  const missing = path.join(root, 'missing');
  writeFolder(missing);
  fs.rmSync(path.join(missing, 'data_batch_4.bin'));
  assert.throws(() => loadCifar10({ dir: missing, split: 'train', limit: 1 }), /missing file .*data_batch_4\.bin/);

  assert.throws(() => loadCifar10({ dir: path.join(root, 'nowhere'), split: 'train' }), /folder .*nowhere \(from options\.dir\) does not exist\. Download cifar-10-binary/);
  assert.throws(() => loadCifar10({ split: 'train' }), /no folder given \(options\.dir\) and CIFAR10_DIR is not set/);
  assert.throws(() => loadCifar10({ dir: cut, split: 'dev' as any }), /split must be 'train' or 'test'/);
});

Load.run();
