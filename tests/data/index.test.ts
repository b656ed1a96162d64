import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as data from '../../lib/data';

const Exports = suite('lib/data index');

Exports('re-exports the public API of every data module', () => {
  const functions = [
    'validateDataset', 'subset', 'limit', 'shuffled', 'describe', 'labelCounts', 'trainTestSplit', 'imagesToTensor',
    'batches', 'numBatches', 'parseIdx', 'readIdxFile', 'loadFashionMnist', 'locateFashionMnist', 'loadCifar10',
    'loadImageFolder', 'fakeData', 'floatToByteLikeTorch', 'shapesDataset', 'loadDefaultDataset',
  ];
  for (const name of functions) assert.type((data as any)[name], 'function', name);
  assert.is(data.FASHION_MNIST_CLASS_NAMES.length, 10);
  assert.is(data.CIFAR10_CLASS_NAMES.length, 10);
  assert.is(data.SHAPE_CLASS_NAMES.length, 10);
  assert.is(data.IDX_IMAGES_MAGIC, 2051);
  assert.is(data.IDX_LABELS_MAGIC, 2049);
});

Exports.run();
