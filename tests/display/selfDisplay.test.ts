import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as tf from '@tensorflow/tfjs';
import { simpleTableHtml, withSelfDisplay } from '../../lib/display/selfDisplay';
import { escapeHtml } from '../../lib/display/internal';
import { toMimeBundle } from '../../lib/display/toMimeBundle';
import { initBackend } from '../../lib/backend';
import { fakeData } from '../../lib/data/fakeData';
import { shapesDataset } from '../../lib/data/shapes';
import { seedViews } from '../../lib/views/presets';
import { makeConfig } from '../../lib/train/config';
import { SimclrTrainer } from '../../lib/train/trainer';
import { probeEncoder } from '../../lib/probe/evaluate';
import { seedModel } from '../../lib/models/presets';
import { useCpu } from '../helpers';

const SelfDisplay = suite('library results show themselves in Jupyter');
SelfDisplay.before(useCpu);

SelfDisplay('withSelfDisplay adds a hidden display method: JSON and keys are unchanged', async () => {
  const value = withSelfDisplay({ a: 1 }, () => 'A', () => '<b>A</b>');
  assert.equal(Object.keys(value), ['a']);
  assert.is(JSON.stringify(value), '{"a":1}');
  const bundle = await toMimeBundle(value);
  assert.is(bundle['text/html'], '<b>A</b>');
  assert.is(bundle['text/plain'], 'A');
  assert.is(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;'); // the one escaper, ' included
  const table = simpleTableHtml(['k', 'v'], [['x<y', 2]], 'cap');
  assert.match(table, /<caption[^>]*>cap<\/caption>/);
  assert.match(table, /<td[^>]*>x&lt;y<\/td><td style="text-align:right[^>]*>2<\/td>/);
});

SelfDisplay('the backend report shows as a table of the choice and the skipped options', async () => {
  const report = await initBackend({ backend: 'cpu', fastKernels: false });
  const bundle = await toMimeBundle(report);
  assert.match(String(bundle['text/html']), /<td[^>]*>cpu<\/td><td[^>]*>chosen<\/td>/);
  assert.match(String(bundle['text/plain']), /^backend: cpu/);
});

SelfDisplay('a training result shows one table row per epoch; a probe report shows accuracies and per-class rows', async () => {
  const data = fakeData({ size: 16, imageSize: 8, numClasses: 2, seed: 1 });
  const config = makeConfig({ epochs: 2, batchSize: 8, logEvery: 1, model: { encoder: 'seed', inputShape: [8, 8, 3], head: { kind: 'mlp', hiddenDim: 8, outputDim: 8 } }, views: seedViews(8) }, 'seed');
  const trainer = new SimclrTrainer({ config, dataset: data });
  const result = await trainer.fit();
  trainer.dispose();
  const html = String((await toMimeBundle(result))['text/html']);
  assert.is((html.match(/<tr>/g) ?? []).length, 3, 'header + 2 epochs');
  assert.match(html, /finished at step 4/);

  const shapes = shapesDataset({ size: 40, imageSize: 16, seed: 2 });
  const model = seedModel({ inputShape: [16, 16, 3] });
  const report = await probeEncoder((x) => model.representation(x), shapes, shapes, { knn: { k: 5 } });
  model.dispose();
  const probeHtml = String((await toMimeBundle(report))['text/html']);
  assert.match(probeHtml, /linear \(L-BFGS logistic regression\)/);
  assert.match(probeHtml, /<td[^>]*>circle<\/td>/, 'per-class rows use the class names');
  assert.match(String((await toMimeBundle(report))['text/plain']), /^linear probe \d+\.\d\d%/);
  assert.is(tf.getBackend(), 'cpu');
});

SelfDisplay.run();
