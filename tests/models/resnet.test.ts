import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, useCpu, values } from '../helpers';
import { resnet18Encoder } from '../../lib/models/resnet';
import { formulaImages, setFormulaWeights } from './formulaWeights';
import golden from './fixtures/golden.json';

/**
 * Parameter count of CIFAR ResNet-18 at width w, from the architecture: a k×k conv from a to b channels has
 * k·k·a·b weights (no bias), a BN over c channels has γ, β (trainable) and moving mean, variance (not).
 */
function resnet18Counts(w: number, inChannels = 3): { trainable: number; movingStatistics: number } {
  let trainable = 0, movingStatistics = 0;
  const conv = (k: number, a: number, b: number) => (trainable += k * k * a * b);
  const bn = (c: number) => ((trainable += 2 * c), (movingStatistics += 2 * c));
  conv(3, inChannels, w); // CIFAR stem: 3×3 stride 1 (ImageNet's is 7×7 stride 2 + max-pool)
  bn(w);
  let c = w;
  [1, 2, 2, 2].forEach((stride, stage) => {
    const out = w * 2 ** stage;
    for (let block = 0; block < 2; block++) {
      const s = block === 0 ? stride : 1;
      conv(3, c, out), bn(out), conv(3, out, out), bn(out);
      if (s !== 1 || c !== out) conv(1, c, out), bn(out); // projection shortcut
      c = out;
    }
  });
  return { trainable, movingStatistics };
}

const Resnet = suite('resnet18Encoder');
Resnet.before(useCpu);

Resnet('width 64: 11,168,832 trainable parameters (torchvision resnet18 without fc: 11,176,512, minus 7×7→3×3 stem 7,680) + 9,600 moving statistics', () => {
  const counts = resnet18Counts(64);
  assert.is(counts.trainable, 11_168_832);
  assert.is(11_689_512 - (512 * 1000 + 1000) - (7 * 7 * 3 * 64 - 3 * 3 * 3 * 64), 11_168_832, 'torchvision resnet18 total minus fc minus stem difference');
  // The same figures counted by PyTorch on the twin model in fixtures/make_golden.py.
  assert.is(golden.resnet18_width64_counts.parameters, counts.trainable);
  assert.is(golden.resnet18_width64_counts.bn_running_statistics, counts.movingStatistics);
  const encoder = resnet18Encoder({ width: 64 }); // built, never run
  const trainable = encoder.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
  assert.is(trainable, counts.trainable);
  assert.is(encoder.countParams(), counts.trainable + counts.movingStatistics);
  assert.equal(encoder.outputs[0].shape, [null, 512]);
  encoder.dispose();
});

Resnet('width 4: (N, 32, 32, 3) → 32×32×4 → 16×16×8 → 8×8×16 → 4×4×32 → h (N, 32); shortcuts projected only where the shape changes', () => {
  const encoder = resnet18Encoder({ width: 4 });
  const shape = (name: string) => encoder.getLayer(name).outputShape;
  assert.equal(shape('resnet18_stem_relu'), [null, 32, 32, 4]);
  assert.equal(shape('resnet18_stage1_block2_relu2'), [null, 32, 32, 4]);
  assert.equal(shape('resnet18_stage2_block2_relu2'), [null, 16, 16, 8]);
  assert.equal(shape('resnet18_stage3_block2_relu2'), [null, 8, 8, 16]);
  assert.equal(shape('resnet18_stage4_block2_relu2'), [null, 4, 4, 32]);
  const projections = encoder.layers.filter((l) => l.name.endsWith('_shortcut_conv')).map((l) => l.name);
  assert.equal(projections, ['resnet18_stage2_block1_shortcut_conv', 'resnet18_stage3_block1_shortcut_conv', 'resnet18_stage4_block1_shortcut_conv']);
  assert.is(encoder.layers.filter((l) => l.getClassName() === 'Conv2D').length, 1 + 16 + 3, 'stem + 16 block convs + 3 projections');
  assert.is(encoder.countParams(), resnet18Counts(4).trainable + resnet18Counts(4).movingStatistics);
  const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1);
  const h = encoder.predict(x) as tf.Tensor;
  assert.equal(h.shape, [2, 32]);
  tf.dispose([x, h]);
  encoder.dispose();
});

Resnet('matches the PyTorch CIFAR ResNet-18 (torchvision BasicBlock) in inference and training mode, incl. the moving-statistics update', () => {
  const g = golden.resnet18;
  const encoder = resnet18Encoder({ inputShape: g.input_shape.slice(1) as [number, number, number], width: g.width });
  setFormulaWeights(encoder);
  const x = formulaImages(g.input_shape as [number, number, number, number]);
  const inference = encoder.apply(x, { training: false }) as tf.Tensor;
  assertClose(values(inference), g.h_eval, { rtol: 1e-4, atol: 1e-5 }, 'inference');
  const training = encoder.apply(x, { training: true }) as tf.Tensor;
  assertClose(values(training), g.h_train, { rtol: 1e-4, atol: 1e-5 }, 'training');
  const [, , movingMean, movingVariance] = encoder.getLayer('resnet18_stem_bn').getWeights();
  assertClose(values(movingMean), g.stem_bn_moving_mean, { rtol: 1e-4, atol: 1e-6 }, 'moving mean');
  // tfjs averages the biased batch variance, PyTorch the unbiased one (n/(n−1) larger; here 768/767, a 5e-5
  // relative difference): hence the tight tolerance against the tfjs-convention value computed in PyTorch.
  assertClose(values(movingVariance), g.stem_bn_moving_variance_tfjs, { rtol: 2e-6, atol: 0 }, 'moving variance');
  assert.ok(Math.abs(values(movingVariance)[0] - g.stem_bn_moving_variance_torch[0]) > 1e-5, 'differs from PyTorch running_var');
  tf.dispose([x, inference, training]);
  encoder.dispose();
});

Resnet('saves and reloads through tf.io (all layers are stock tfjs classes) with identical outputs', async () => {
  const encoder = resnet18Encoder({ width: 2, inputShape: [8, 8, 3] });
  let artifacts: tf.io.ModelArtifacts | undefined;
  await encoder.save(tf.io.withSaveHandler(async (saved) => {
    artifacts = saved;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  const loaded = await tf.loadLayersModel(tf.io.fromMemory(artifacts!));
  const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5);
  const [a, b] = [encoder.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  assertClose(values(b), values(a), { rtol: 0, atol: 0 });
  tf.dispose([x, a, b]);
  encoder.dispose();
  loaded.dispose();
});

Resnet('rejects a bad width or inputShape', () => {
  assert.throws(() => resnet18Encoder({ width: 0 }), /width must be a positive integer, got 0/);
  assert.throws(() => resnet18Encoder({ inputShape: [32, 32, -3] }), /inputShape\[2\] must be a positive integer, got -3/);
});

Resnet.run();
