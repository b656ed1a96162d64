import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { idxBytes, makeTempDir, removeTempDir } from './fixtures';
import { labelCounts } from '../../lib/data/dataset';
import {
  FASHION_MNIST_CLASS_NAMES,
  FASHION_MNIST_SYSTEM_DIR,
  loadFashionMnist,
  locateFashionMnist,
} from '../../lib/data/fashionMnist';

let root = '';
const savedEnvironment = process.env.FASHION_MNIST_DIR;

/** Write a small Fashion-MNIST-format folder: train gzipped (6 images 2x3), test plain (4 images). */
function writeSmall(dir: string, options: { trainLabels?: number[]; skip?: string } = {}) {
  fs.mkdirSync(dir, { recursive: true });
  const trainPixels = Uint8Array.from({ length: 6 * 6 }, (_, j) => j * 7);
  const testPixels = Uint8Array.from({ length: 4 * 6 }, (_, j) => 255 - j);
  const files: Record<string, Buffer> = {
    'train-images-idx3-ubyte.gz': zlib.gzipSync(idxBytes([6, 2, 3], trainPixels)),
    'train-labels-idx1-ubyte.gz': zlib.gzipSync(idxBytes([6], Uint8Array.from(options.trainLabels ?? [9, 0, 0, 3, 1, 8]))),
    't10k-images-idx3-ubyte': idxBytes([4, 2, 3], testPixels),
    't10k-labels-idx1-ubyte': idxBytes([4], Uint8Array.from([2, 2, 7, 5])),
  };
  for (const [name, bytes] of Object.entries(files)) if (name !== options.skip) fs.writeFileSync(path.join(dir, name), bytes);
  return { trainPixels, testPixels };
}

const Load = suite('loadFashionMnist (small files in IDX format)');
Load.before(() => {
  root = makeTempDir('fashion');
  delete process.env.FASHION_MNIST_DIR;
});
Load.after(() => {
  removeTempDir(root);
  if (savedEnvironment === undefined) delete process.env.FASHION_MNIST_DIR;
  else process.env.FASHION_MNIST_DIR = savedEnvironment;
});

Load('reads gzipped and plain splits into (n, rows, cols, 1) with labels and class names', () => {
  const dir = path.join(root, 'ok');
  const { trainPixels, testPixels } = writeSmall(dir);
  const train = loadFashionMnist({ dir, split: 'train' });
  assert.is(train.name, 'fashion-mnist/train');
  assert.equal(train.shape, [6, 2, 3, 1]);
  assert.equal(Array.from(train.images), Array.from(trainPixels));
  assert.equal(Array.from(train.labels), [9, 0, 0, 3, 1, 8]);
  assert.equal(train.classNames, FASHION_MNIST_CLASS_NAMES);
  assert.is(train.classNames[9], 'Ankle boot');
  const test = loadFashionMnist({ dir, split: 'test', limit: 3 });
  assert.equal(test.shape, [3, 2, 3, 1]);
  assert.equal(Array.from(test.images), Array.from(testPixels.subarray(0, 18)));
  assert.equal(Array.from(test.labels), [2, 2, 7]);
  assert.equal(loadFashionMnist({ dir, split: 'train', limit: 100 }).shape, [6, 2, 3, 1]);
});

Load('location: options.dir, else FASHION_MNIST_DIR, else the system folder; only that one place', () => {
  const a = path.join(root, 'a');
  const b = path.join(root, 'b');
  writeSmall(a);
  writeSmall(b);
  try {
    process.env.FASHION_MNIST_DIR = b;
    assert.equal(locateFashionMnist(a), { dir: a, source: 'options.dir', problem: '' });
    assert.equal(locateFashionMnist(), { dir: b, source: 'FASHION_MNIST_DIR', problem: '' });
    process.env.FASHION_MNIST_DIR = path.join(root, 'nowhere');
    const missing = locateFashionMnist();
    assert.is(missing.dir, null);
    assert.match(missing.problem, /nowhere \(from FASHION_MNIST_DIR\) is not a folder/);
    delete process.env.FASHION_MNIST_DIR;
    const system = locateFashionMnist();
    assert.is(system.source, 'system');
    assert.ok(system.dir === FASHION_MNIST_SYSTEM_DIR || (system.dir === null && system.problem.startsWith(FASHION_MNIST_SYSTEM_DIR)));
  } finally {
    delete process.env.FASHION_MNIST_DIR;
  }
});

Load('errors name the file and the problem', () => {
  const cases: [string, Parameters<typeof writeSmall>[1], 'train' | 'test', RegExp][] = [
    ['missing', { skip: 't10k-labels-idx1-ubyte' }, 'test', /Fashion-MNIST not found: .*missing t10k-labels-idx1-ubyte\(\.gz\).*apt install dataset-fashion-mnist.*FASHION_MNIST_DIR/],
    ['badlabel', { trainLabels: [9, 0, 10, 3, 1, 8] }, 'train', /train-labels-idx1-ubyte\.gz: label 10 of item 2 is outside 0\.\.9/],
  ];
  for (const [name, options, split, pattern] of cases) {
    const dir = path.join(root, name);
    writeSmall(dir, options);
    assert.throws(() => loadFashionMnist({ dir, split }), pattern, name);
  }
  // the missing split does not stop the other one
  assert.is(loadFashionMnist({ dir: path.join(root, 'missing'), split: 'train' }).shape[0], 6);

  const mismatch = path.join(root, 'mismatch');
  writeSmall(mismatch);
  fs.writeFileSync(path.join(mismatch, 't10k-labels-idx1-ubyte'), idxBytes([5], new Uint8Array(5)));
  assert.throws(() => loadFashionMnist({ dir: mismatch, split: 'test', limit: 2 }), /count mismatch: .*t10k-images-idx3-ubyte holds 4 images but .*t10k-labels-idx1-ubyte holds 5 labels/);

  const swapped = path.join(root, 'swapped');
  writeSmall(swapped);
  fs.copyFileSync(path.join(swapped, 't10k-labels-idx1-ubyte'), path.join(swapped, 't10k-images-idx3-ubyte'));
  assert.throws(() => loadFashionMnist({ dir: swapped, split: 'test' }), /t10k-images-idx3-ubyte: wrong magic number 2049.*expected 2051/);

  const truncated = path.join(root, 'truncated');
  writeSmall(truncated);
  const gz = fs.readFileSync(path.join(truncated, 'train-images-idx3-ubyte.gz'));
  fs.writeFileSync(path.join(truncated, 'train-images-idx3-ubyte.gz'), gz.subarray(0, gz.length - 10));
  assert.throws(() => loadFashionMnist({ dir: truncated, split: 'train' }), /train-images-idx3-ubyte\.gz: corrupt or truncated gzip data/);

  assert.throws(() => loadFashionMnist({ dir: path.join(root, 'none'), split: 'train' }), /Fashion-MNIST not found: .*none \(from options\.dir\) is not a folder/);
  assert.throws(() => loadFashionMnist({ dir: root, split: 'valid' as any }), /split must be 'train' or 'test', got "valid"/);
  assert.throws(() => loadFashionMnist({ dir: root, split: 'train', limit: -2 }), /limit must be a non-negative integer, got -2/);
});

Load.run();

// ---- The real dataset from Debian's dataset-fashion-mnist, when installed. ----
const realDir = FASHION_MNIST_SYSTEM_DIR;
const real = locateFashionMnist(realDir);
const Real = suite('loadFashionMnist (real Debian files)');

if (real.dir === null) {
  console.log(`[skip] real Fashion-MNIST tests: ${real.problem} (apt install dataset-fashion-mnist to run them)`);
} else {
  // Reference values below were read with Python's gzip module from the same files (an independent reader).
  Real('limited loads: shapes, first labels and pixel sums match an independent reader', () => {
    const train = loadFashionMnist({ dir: realDir, split: 'train', limit: 100 });
    assert.equal(train.shape, [100, 28, 28, 1]);
    assert.equal(Array.from(train.labels.subarray(0, 10)), [9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    const sum = (i: number) => train.images.subarray(i * 784, (i + 1) * 784).reduce((a, b) => a + b, 0);
    assert.is(sum(0), 76247);
    assert.is(sum(99), 73088);
    assert.is(Buffer.from(train.images.subarray(14 * 28, 15 * 28)).toString('hex'), '000001040607020000000000ede2d9dfdedbdeddd8dfe5d7daff4d00');
    const test = loadFashionMnist({ dir: realDir, split: 'test', limit: 100 });
    assert.equal(Array.from(test.labels.subarray(0, 10)), [9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    assert.is(test.images.subarray(0, 784).reduce((a, b) => a + b, 0), 33456);
  });

  Real('full test split: 10000 x 28 x 28 x 1, 1000 per class', () => {
    const test = loadFashionMnist({ dir: realDir, split: 'test' });
    assert.equal(test.shape, [10000, 28, 28, 1]);
    assert.equal(labelCounts(test), { counts: new Array(10).fill(1000), unlabeled: 0 });
  });

  Real('full train split: 60000 x 28 x 28 x 1, 6000 per class, memory growth under 2x the 47 MB of pixels', () => {
    const rawBytes = 60000 * 784;
    const before = process.memoryUsage();
    const train = loadFashionMnist({ dir: realDir, split: 'train' });
    const after = process.memoryUsage();
    assert.equal(train.shape, [60000, 28, 28, 1]);
    assert.is(train.images.length, rawBytes);
    assert.equal(labelCounts(train), { counts: new Array(10).fill(6000), unlabeled: 0 });
    let total = 0;
    for (let j = 0; j < train.images.length; j++) total += train.images[j];
    assert.ok(Math.abs(total / rawBytes - 72.94035223214286) < 1e-9, 'mean pixel matches the independent reader');
    const growth = { arrayBuffers: after.arrayBuffers - before.arrayBuffers, rss: after.rss - before.rss };
    console.log(`  full train load: arrayBuffers +${(growth.arrayBuffers / 1e6).toFixed(1)} MB, rss +${(growth.rss / 1e6).toFixed(1)} MB (pixels ${(rawBytes / 1e6).toFixed(1)} MB)`);
    assert.ok(growth.arrayBuffers < 2 * rawBytes, `arrayBuffers grew ${growth.arrayBuffers} bytes`);
    assert.ok(growth.rss < 2 * rawBytes, `rss grew ${growth.rss} bytes`);
  });
}

Real.run();
