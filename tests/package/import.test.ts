import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.resolve(__dirname, '../..');

const Package = suite('the package as users import it');

Package('resolves by name to the built library, and exports the API from every module', () => {
  const resolved = require.resolve('simclr-workbench');
  assert.is(resolved, path.join(ROOT, 'lib', 'dist', 'index.js'));
  const api = require('simclr-workbench');
  for (const name of ['initBackend', 'Rng', 'loadFashionMnist', 'loadDefaultDataset', 'fakeData', 'shapesDataset', 'batches', 'twoViews', 'seedViews', 'infoNCE', 'ntXent', 'alignment', 'uniformity', 'resnet18Model', 'seedModel', 'SimclrTrainer', 'seedPreset']) {
    assert.type(api[name], 'function', `export ${name}`);
  }
});

Package('a plain Node script outside the repository imports it by name', () => {
  // A user's script lives elsewhere: resolve through the project's node_modules via NODE_PATH-free require.resolve paths.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-user-'));
  const script = path.join(dir, 'user.js');
  fs.writeFileSync(script, `const sw = require(require.resolve('simclr-workbench', { paths: [${JSON.stringify(ROOT)}] }));\nconst r = new sw.Rng(1);\nconsole.log(JSON.stringify({ ok: typeof sw.initBackend === 'function', draw: r.next() }));\n`);
  const out = JSON.parse(execFileSync(process.execPath, [script], { encoding: 'utf8' }).trim());
  assert.is(out.ok, true);
  assert.ok(out.draw >= 0 && out.draw < 1);
});

Package("the README's example runs and prints an NT-Xent loss near log(2N-1) for a fresh model", () => {
  const out = execFileSync(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, 'readme-example.ts')], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, SIMCLR_BACKEND: 'wasm' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
  const match = out.match(/NT-Xent on wasm = ([0-9.]+) \(log\(2N-1\) = ([0-9.]+)\)/);
  assert.ok(match, `unexpected output: ${out}`);
  const [loss, bound] = [Number(match![1]), Number(match![2])];
  assert.ok(Math.abs(loss - bound) < 0.5, `a fresh network's loss ${loss} should be near log(63) = ${bound}`);
});

Package('the README quotes the example verbatim', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const example = fs.readFileSync(path.join(__dirname, 'readme-example.ts'), 'utf8').split('\n').slice(2).join('\n').trim();
  assert.ok(readme.includes(example), 'README.md must contain tests/package/readme-example.ts (from its import line on)');
});

Package.run();

const Bin = suite('the simclr command');

Bin('is linked into node_modules/.bin and answers --help', () => {
  const bin = path.join(ROOT, 'node_modules', '.bin', 'simclr');
  assert.ok(fs.existsSync(bin), 'node_modules/.bin/simclr exists (setup links it)');
  const out = execFileSync(bin, ['train', '--help'], { encoding: 'utf8' });
  assert.match(out, /Usage: simclr train/);
});

Bin.run();
