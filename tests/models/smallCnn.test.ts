import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { assertClose, useCpu, values } from '../helpers';
import { smallCnnEncoder } from '../../lib/models/smallCnn';
import { formulaImages, setFormulaWeights } from './formulaWeights';
import golden from './fixtures/golden.json';

/** Trainable parameters: per stage a 3×3 conv (bias only without BN) and BN's γ, β. */
function expectedTrainable(channels: number, widths: number[], batchNorm: boolean): number {
  let total = 0, inChannels = channels;
  for (const width of widths) {
    total += 9 * inChannels * width + (batchNorm ? 2 * width : width);
    inChannels = width;
  }
  return total;
}

const outputShape = (model: tf.LayersModel, name: string) => model.getLayer(name).outputShape;

const SmallCnn = suite('smallCnnEncoder');
SmallCnn.before(useCpu);

SmallCnn('defaults: (N, 28, 28, 1) → 28×28×32 → 14×14×64 → 7×7×128 → h (N, 128); 92,896 trainable + 448 moving statistics', () => {
  const encoder = smallCnnEncoder();
  assert.equal(outputShape(encoder, 'small_cnn_stage1_relu'), [null, 28, 28, 32]);
  assert.equal(outputShape(encoder, 'small_cnn_stage2_relu'), [null, 14, 14, 64]);
  assert.equal(outputShape(encoder, 'small_cnn_stage3_relu'), [null, 7, 7, 128]);
  assert.equal(encoder.outputs[0].shape, [null, 128]);
  const trainable = expectedTrainable(1, [32, 64, 128], true);
  assert.is(trainable, 92896);
  assert.is(encoder.countParams(), trainable + 2 * (32 + 64 + 128));
  const convs = encoder.layers.filter((l) => l.getClassName() === 'Conv2D');
  assert.ok(convs.every((l) => l.weights.length === 1), 'convs followed by BN carry no bias');
  encoder.dispose();
});

SmallCnn("downsample 'stride': stride-2 convs instead of max-pool, same shapes; batchNorm false: biased convs, no BN", () => {
  const strided = smallCnnEncoder({ downsample: 'stride', batchNorm: false });
  assert.is(strided.layers.filter((l) => l.getClassName() === 'MaxPooling2D').length, 0);
  assert.is(strided.layers.filter((l) => l.getClassName() === 'BatchNormalization').length, 0);
  assert.equal(outputShape(strided, 'small_cnn_stage2_conv'), [null, 14, 14, 64]);
  assert.equal(outputShape(strided, 'small_cnn_stage3_conv'), [null, 7, 7, 128]);
  assert.is(strided.countParams(), expectedTrainable(1, [32, 64, 128], false));
  const x = tf.randomUniform([2, 12, 12, 1], 0, 1, 'float32', 2);
  const small = smallCnnEncoder({ inputShape: [12, 12, 1], widths: [4, 8], downsample: 'stride' });
  const h = small.predict(x) as tf.Tensor;
  assert.equal(h.shape, [2, 8]);
  tf.dispose([x, h]);
  strided.dispose();
  small.dispose();
});

SmallCnn('matches its PyTorch twin (conv-BN-ReLU, max-pool 2) in inference and training mode on shared weights', () => {
  const { input_shape: shape, widths, h_eval: expectedEval, h_train: expectedTrain } = golden.small_cnn;
  const encoder = smallCnnEncoder({ inputShape: shape.slice(1) as [number, number, number], widths });
  assert.is(setFormulaWeights(encoder), widths.length * 5);
  const x = formulaImages(shape as [number, number, number, number]);
  const inference = encoder.apply(x, { training: false }) as tf.Tensor;
  assertClose(values(inference), expectedEval, { rtol: 1e-4, atol: 1e-5 }, 'inference');
  const training = encoder.apply(x, { training: true }) as tf.Tensor;
  assertClose(values(training), expectedTrain, { rtol: 1e-4, atol: 1e-5 }, 'training');
  tf.dispose([x, inference, training]);
  encoder.dispose();
});

SmallCnn('rejects empty widths, a bad width and an unknown downsample', () => {
  assert.throws(() => smallCnnEncoder({ widths: [] }), /widths must be a non-empty array/);
  assert.throws(() => smallCnnEncoder({ widths: [8, 2.5] }), /widths\[1\] must be a positive integer, got 2.5/);
  assert.throws(() => smallCnnEncoder({ downsample: 'average' as any }), /downsample must be 'maxPool' or 'stride', got "average"/);
});

SmallCnn.run();
