// The README's "use the library from a script" example, verbatim. tests/package/import.test.ts runs it.
// It imports the package by its name, as a user's script or a tslab notebook does.
import * as tf from '@tensorflow/tfjs';
import { initBackend, loadDefaultDataset, imagesToTensor, twoViews, fashionMnistViews, resnet18Model, ntXent, Rng } from 'simclr-workbench';

async function main() {
  const backend = await initBackend({ log: true }); // best available: tensorflow → webgpu → wasm → cpu
  const { dataset } = loadDefaultDataset({ split: 'train', limit: 64 }); // Fashion-MNIST, or the built-in shapes
  const [, height, width, channels] = dataset.shape;
  const model = resnet18Model({ width: 16, inputShape: [height, width, channels] }); // ResNet-18 + MLP head
  const rng = new Rng(42);

  const loss = tf.tidy(() => {
    const images = imagesToTensor(dataset, [...Array(32).keys()]); // (32, H, W, C) in [0, 1]
    const [view1, view2] = twoViews(images, fashionMnistViews(height), rng); // two augmentations of each image
    const { z } = model.embed(tf.concat([view1, view2]), { training: true }); // (64, 128)
    return ntXent(z.slice(0, 32), z.slice(32), { temperature: 0.5 }).dataSync()[0];
  });
  console.log(`${dataset.name}: NT-Xent on ${backend.backend} = ${loss.toFixed(4)} (log(2N-1) = ${Math.log(63).toFixed(4)})`);
  model.dispose();
}

main();
