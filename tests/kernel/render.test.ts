import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { KERNEL_DIRECTORY, kernelModule } from './kernelModules';

type Bundle = Record<string, unknown>;
interface Renderer {
  resolveMain(): string | null;
  isLoaded(): boolean;
  load(): ((value: unknown) => Promise<Bundle>) | null;
}
const render = kernelModule<{
  renderValue(value: unknown, context: { renderer: Renderer; warn: (message: string) => void }): Promise<Bundle>;
  inspectBundle(value: unknown): Bundle;
  WorkbenchRenderer: new (fromDirectory: string) => Renderer;
}>('render.js');

const temporaryDirectories: string[] = [];

/** A notebook directory whose node_modules holds a stand-in simclr-workbench with the given index.js. */
function notebookDirectory(indexSource: string | null): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-render-'));
  temporaryDirectories.push(root);
  if (indexSource != null) {
    const pkg = path.join(root, 'node_modules', 'simclr-workbench');
    fs.mkdirSync(pkg, { recursive: true });
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'simclr-workbench', main: 'index.js' }));
    fs.writeFileSync(path.join(pkg, 'index.js'), indexSource);
  }
  return root;
}

const WORKBENCH = `exports.toMimeBundle = async (value) => ({ 'text/plain': 'workbench text', 'text/html': '<b>' + typeof value + '</b>' });`;
const tensorLike = { shape: [2], dtype: 'float32', dataSync: () => new Float32Array(2), dispose: () => {} };
const noWarnings = (message: string) => assert.unreachable(`unexpected warning: ${message}`);

const RenderValue = suite('renderValue');
RenderValue.after(() => {
  for (const directory of temporaryDirectories.splice(0)) fs.rmSync(directory, { recursive: true, force: true });
});

RenderValue('primitives: util.inspect text, without resolving the workbench', async () => {
  const renderer = new render.WorkbenchRenderer(notebookDirectory(null));
  for (const [value, text] of [[3, '3'], ['ab', "'ab'"], [true, 'true'], [10n, '10n']] as const) {
    assert.equal(await render.renderValue(value, { renderer, warn: noWarnings }), { 'text/plain': text });
  }
});

RenderValue('tensors go to the workbench’s toMimeBundle, found from the notebook directory', async () => {
  const renderer = new render.WorkbenchRenderer(notebookDirectory(WORKBENCH));
  const bundle = await render.renderValue(tensorLike, { renderer, warn: noWarnings });
  assert.equal(bundle, { 'text/plain': 'workbench text', 'text/html': '<b>object</b>' });
});

RenderValue('a plain object does not load the workbench; once it is loaded, the workbench renders objects too', async () => {
  const renderer = new render.WorkbenchRenderer(notebookDirectory(WORKBENCH));
  assert.equal(await render.renderValue({ a: 1 }, { renderer, warn: noWarnings }), { 'text/plain': '{ a: 1 }' });
  assert.not.ok(renderer.isLoaded());
  require(renderer.resolveMain()!); // the notebook imports the workbench
  assert.ok(renderer.isLoaded());
  assert.is((await render.renderValue({ a: 1 }, { renderer, warn: noWarnings }))['text/plain'], 'workbench text');
});

RenderValue('without the workbench: Jupyter.display objects still render; other objects are inspected', async () => {
  const renderer = new render.WorkbenchRenderer(notebookDirectory(null));
  assert.is(renderer.resolveMain(), null);
  const html = { [Symbol.for('Jupyter.display')]: () => ({ 'text/html': '<i>hi</i>' }) };
  const bundle = await render.renderValue(html, { renderer, warn: noWarnings });
  assert.is(bundle['text/html'], '<i>hi</i>');
  assert.type(bundle['text/plain'], 'string');
  assert.equal(await render.renderValue(tensorLike, { renderer, warn: noWarnings }), {
    'text/plain': "{\n  shape: [ 2 ],\n  dtype: 'float32',\n  dataSync: [Function: dataSync],\n  dispose: [Function: dispose]\n}",
  });
});

RenderValue('a workbench build without toMimeBundle, or one that throws, falls back to text (with a warning for the throw)', async () => {
  const old = new render.WorkbenchRenderer(notebookDirectory('exports.somethingElse = 1;'));
  assert.is(old.load(), null);
  assert.is((await render.renderValue(tensorLike, { renderer: old, warn: noWarnings }))['text/plain'] as string, render.inspectBundle(tensorLike)['text/plain']);
  const failing = new render.WorkbenchRenderer(notebookDirectory(`exports.toMimeBundle = async () => { throw new Error('no sharp'); };`));
  const warnings: string[] = [];
  const bundle = await render.renderValue(tensorLike, { renderer: failing, warn: (m) => warnings.push(m) });
  assert.equal(warnings, ['rich display failed, showing text instead: no sharp']);
  assert.equal(Object.keys(bundle), ['text/plain']);
});

RenderValue.run();

const WorkbenchMime = suite('the workbench\'s MIME module');

WorkbenchMime('the kernel uses lib/display\'s tfjs-free mime module (no copy of it), and loading it loads no tfjs', () => {
  const mime = kernelModule<{ workbenchMime(): Record<string, unknown> | null }>('render.js').workbenchMime();
  assert.ok(mime, 'lib/dist is built (npm run build)');
  const built = require(require.resolve('simclr-workbench/dist/display/mime'));
  assert.is(mime, built);
  assert.is(mime!.displaySymbol, Symbol.for('Jupyter.display'));
  // in a fresh process (this one may have loaded tfjs for other tests): the module loads, tfjs does not
  const probe = `const m = require(${JSON.stringify(path.join(KERNEL_DIRECTORY, 'render.js'))}).workbenchMime();
    console.log(JSON.stringify({ loaded: !!m, tfjs: Object.keys(require.cache).filter((f) => f.includes('@tensorflow')).length }));`;
  const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(JSON.parse(run.stdout), { loaded: true, tfjs: 0 }, run.stderr);
});

WorkbenchMime.run();
