import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as path from 'path';
import { idxBytes, makeTempDir, removeTempDir } from './fixtures';
import { loadDefaultDataset } from '../../lib/data/defaultData';
import { FASHION_MNIST_SYSTEM_DIR, locateFashionMnist } from '../../lib/data/fashionMnist';
import { SHAPE_CLASS_NAMES, shapesDataset } from '../../lib/data/shapes';

let root = '';
const savedEnvironment = process.env.FASHION_MNIST_DIR;

/** A log that records messages. */
function recorder() {
  const messages: string[] = [];
  return { messages, log: (message: string) => void messages.push(message) };
}

const Default = suite('loadDefaultDataset');
Default.before(() => {
  root = makeTempDir('default');
  delete process.env.FASHION_MNIST_DIR;
});
Default.after(() => {
  removeTempDir(root);
  if (savedEnvironment === undefined) delete process.env.FASHION_MNIST_DIR;
  else process.env.FASHION_MNIST_DIR = savedEnvironment;
});

Default('without Fashion-MNIST: the shapes dataset, with a logged note saying why', () => {
  const empty = path.join(root, 'empty');
  fs.mkdirSync(empty);
  const { messages, log } = recorder();
  const result = loadDefaultDataset({ split: 'train', limit: 30, seed: 4, fashionMnistDir: empty, log });
  assert.is(result.source, 'shapes');
  assert.is(result.dataset.name, 'shapes/train');
  assert.equal(result.dataset.shape, [30, 32, 32, 3]);
  assert.equal(result.dataset.classNames, SHAPE_CLASS_NAMES);
  assert.match(result.note, /Fashion-MNIST not found \(.*empty \(from options\.dir\) is missing train-images-idx3-ubyte\(\.gz\)/);
  assert.equal(messages, [`loadDefaultDataset: ${result.note}`]);
  // train uses seed, test seed + 1: the same generator as shapesDataset, different images per split
  assert.equal(Array.from(result.dataset.images), Array.from(shapesDataset({ size: 30, seed: 4 }).images));
  const test = loadDefaultDataset({ split: 'test', limit: 30, seed: 4, fashionMnistDir: empty, log });
  assert.equal(Array.from(test.dataset.images), Array.from(shapesDataset({ size: 30, seed: 5 }).images));
  const small = loadDefaultDataset({ split: 'test', limit: 5, fashionMnistDir: empty, shapes: { imageSize: 28, channels: 1 }, log });
  assert.equal(small.dataset.shape, [5, 28, 28, 1]);
});

Default('without a limit the shapes test split has 2000 images; FASHION_MNIST_DIR pointing nowhere falls back too', () => {
  process.env.FASHION_MNIST_DIR = path.join(root, 'nowhere');
  try {
    const result = loadDefaultDataset({ split: 'test', log: () => {} });
    assert.is(result.source, 'shapes');
    assert.is(result.dataset.shape[0], 2000);
    assert.match(result.note, /nowhere \(from FASHION_MNIST_DIR\) is not a folder/);
  } finally {
    delete process.env.FASHION_MNIST_DIR;
  }
});

Default('Fashion-MNIST files that are found but damaged are an error, not a silent fallback', () => {
  const damaged = path.join(root, 'damaged');
  fs.mkdirSync(damaged);
  fs.writeFileSync(path.join(damaged, 't10k-images-idx3-ubyte'), idxBytes([2, 2, 2], new Uint8Array(8)));
  fs.writeFileSync(path.join(damaged, 't10k-labels-idx1-ubyte'), idxBytes([3], new Uint8Array(3)));
  assert.throws(() => loadDefaultDataset({ split: 'test', fashionMnistDir: damaged, log: () => {} }), /count mismatch/);
  assert.throws(() => loadDefaultDataset({ split: 'val' as any }), /split must be 'train' or 'test'/);
  assert.throws(() => loadDefaultDataset({ split: 'test', limit: 1.5 }), /limit must be a non-negative integer/);
});

if (locateFashionMnist(FASHION_MNIST_SYSTEM_DIR).dir === null) {
  console.log('[skip] loadDefaultDataset with real Fashion-MNIST: not installed (apt install dataset-fashion-mnist)');
} else {
  Default('with Fashion-MNIST installed: Fashion-MNIST, with a note naming the folder', () => {
    const { messages, log } = recorder();
    const result = loadDefaultDataset({ split: 'test', limit: 50, log });
    assert.is(result.source, 'fashion-mnist');
    assert.equal(result.dataset.shape, [50, 28, 28, 1]);
    assert.match(result.note, new RegExp(`found in ${FASHION_MNIST_SYSTEM_DIR} \\(system\\); 50 test images`));
    assert.is(messages.length, 1);
  });
}

Default.run();
