import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { display } from '../../lib/display/show';
import { DisplayDataWriter, kernelDisplayWriter } from '../../lib/display/kernel';
import { useCpu } from '../helpers';

const KernelWriter = suite('kernelDisplayWriter');

KernelWriter("outside a kernel: none; inside: tslab's current lastWriteDisplayData, found without loading tslab", () => {
  assert.is(kernelDisplayWriter(), undefined);
  // what a kernel leaves in the module cache: tslab's jupyter module with the running cell's writer
  const file = path.join('/virtual', 'node_modules', 'tslab', 'dist', 'jupyter.js');
  const writer: DisplayDataWriter = () => {};
  require.cache[file] = { exports: { lastWriteDisplayData: writer } } as unknown as NodeJS.Module;
  try {
    assert.is(kernelDisplayWriter(), writer);
  } finally {
    delete require.cache[file];
  }
});

KernelWriter.run();

const Display = suite('display');
Display.before(useCpu);

Display('sends one display_data content (data, metadata, transient) to the writer and returns the bundle', async () => {
  const sent: [unknown, boolean][] = [];
  const t = tf.tensor2d([[1]]);
  const bundle = await display(t, { writer: (content, update) => sent.push([content, update]) });
  assert.equal(sent, [[{ data: bundle, metadata: {}, transient: {} }, false]]);
  assert.ok('text/html' in bundle);
  t.dispose();
});

Display('without a kernel, prints the text/plain', async () => {
  const printed: string[] = [];
  await display({ a: 1 }, { print: (text) => printed.push(text) });
  assert.equal(printed, ['{ a: 1 }']);
});

Display('chooses the writer when called, so a later cell does not receive the output', async () => {
  const file = path.join('/virtual', 'node_modules', 'tslab', 'dist', 'jupyter.js');
  const first: unknown[] = [];
  const second: unknown[] = [];
  const jupyter = { lastWriteDisplayData: (content: unknown) => first.push(content) };
  require.cache[file] = { exports: jupyter } as unknown as NodeJS.Module;
  try {
    const pending = display('cell one');
    jupyter.lastWriteDisplayData = (content: unknown) => second.push(content); // the next cell starts
    await pending;
    assert.is(first.length, 1);
    assert.is(second.length, 0);
  } finally {
    delete require.cache[file];
  }
});

Display.run();
