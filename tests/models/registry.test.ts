import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { architecture, buildModel } from '../../lib/models/registry';
import { resnet18Model, seedModel, smallCnnModel } from '../../lib/models/presets';
import { PRESETS } from '../../lib/train/config';
import { useCpu, values } from '../helpers';

const Architecture = suite('architecture');

Architecture('a fresh copy each call; overrides replace fields, head fields merge, undefined keeps the value', () => {
  const a = architecture('smallCnn');
  a.inputShape[0] = 5;
  assert.equal(architecture('smallCnn').inputShape, [28, 28, 1]);
  const b = architecture('resnet18', { width: 16, inputShape: undefined, head: { outputDim: 32 } });
  assert.equal(b, { encoder: 'resnet18', inputShape: [32, 32, 3], width: 16, head: { kind: 'mlp', outputDim: 32, layers: 2 } });
  assert.throws(() => architecture('vgg' as never), /unknown name 'vgg'; expected one of seed, smallCnn, resnet18/);
});

Architecture('the trainer presets take their model from the registry', () => {
  assert.equal(PRESETS.seed().model, architecture('seed'));
  assert.equal(PRESETS.fashionMnistCpu().model, architecture('smallCnn'));
  assert.equal(PRESETS.resnet18Gpu().model, architecture('resnet18'));
});

Architecture.run();

const Build = suite('buildModel');
Build.before(useCpu);

Build("the head's input and default hidden size are the encoder's output size (h), read from the encoder", () => {
  const model = buildModel(architecture('resnet18', { width: 4, inputShape: [8, 8, 3] }), 1);
  assert.equal([model.representationDim, model.projectionDim], [32, 128]);
  const dense = model.head.layers.filter((l) => l.getClassName() === 'Dense').map((l) => l.getWeights()[0].shape);
  assert.equal(dense, [[32, 32], [32, 128]]);
  model.dispose();
  const none = buildModel({ encoder: 'smallCnn', inputShape: [8, 8, 1], width: 4, head: { kind: 'none' } }, 1);
  assert.equal([none.representationDim, none.projectionDim], [16, 16]);
  none.dispose();
  assert.throws(() => buildModel({ ...architecture('seed'), encoder: 'vgg' as never }, 1), /unknown encoder 'vgg'/);
  assert.throws(() => buildModel(architecture('seed'), 0.5), /seed must be an integer, got 0.5/);
});

Build('the model presets are buildModel on the registry, weight for weight', () => {
  const pairs = [
    [seedModel({ seed: 3 }), buildModel(architecture('seed'), 3)],
    [smallCnnModel({ inputShape: [8, 8, 1] }), buildModel(architecture('smallCnn', { inputShape: [8, 8, 1] }), 42)],
    [resnet18Model({ width: 4, outputDim: 16 }), buildModel(architecture('resnet18', { width: 4, head: { outputDim: 16 } }), 42)],
  ];
  for (const [a, b] of pairs) {
    assert.is(a.weights.length, b.weights.length);
    a.weights.forEach((w, i) => assert.equal(values(w.read()), values(b.weights[i].read())));
    a.dispose();
    b.dispose();
  }
});

Build.run();
