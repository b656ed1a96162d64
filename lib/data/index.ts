/** Data layer: the ImageDataset form, loaders (Fashion-MNIST, CIFAR-10, image folders), synthetic sets, batching. */
export * from './dataset';
export * from './split';
export * from './batches';
export * from './idx';
export * from './fashionMnist';
export * from './cifar10';
export * from './imageFolder';
export * from './fakeData';
export * from './shapes';
export * from './defaultData';
export * from './sources';
export * from './npy';
