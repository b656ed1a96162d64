/**
 * The backend-sensitive suites re-run on the TensorFlow engine: each runs in a child `uvu` process with
 * SIMCLR_TEST_BACKEND=tensorflow, which makes tests/helpers' `useCpu` activate 'tensorflow' instead of 'cpu'. The
 * assertions are the suites' own: losses and their gradients against the float64 loop references
 * (tests/losses/reference.ts), the models against the PyTorch goldens (tests/models/fixtures/golden.json), the
 * trainer's checkpoint/resume that must continue the exact loss curve (tests/train/trainer.test.ts).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { tensorflowOrSkip } from './availability';

const ROOT = path.resolve(__dirname, '../..');
const UVU = path.join(ROOT, 'node_modules', 'uvu', 'bin.js');

/** Run `uvu -r tsx/cjs <dir> [pattern]` on tensorflow; its totals and how many suites switched to tensorflow. */
function runOnTensorflow(dir: string, pattern?: string) {
  const args = ['-r', 'tsx/cjs', UVU, '-r', 'tsx/cjs', dir, ...(pattern ? [pattern] : [])];
  const r = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, SIMCLR_TEST_BACKEND: 'tensorflow', FORCE_COLOR: '0', NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 300_000,
  });
  const plain = (r.stdout + r.stderr).replace(/\x1b\[[0-9;]*m/g, '');
  const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? NaN);
  return { code: r.status, total: count('Total'), passed: count('Passed'), switched: (plain.match(/\[test backend: tensorflow\]/g) ?? []).length, output: plain };
}

const Suites = suite('backend-sensitive suites on tensorflow');

const RUNS: Array<[string, string | undefined, string]> = [
  ['tests/losses', undefined, 'losses and gradients vs float64 references'],
  ['tests/models', undefined, 'models vs PyTorch goldens'],
  ['tests/train', 'trainer', 'trainer checkpoints and exact resume'],
];

for (const [dir, pattern, what] of RUNS) {
  Suites(`${dir}${pattern ? ` (${pattern})` : ''}: ${what}`, () => {
    if (!tensorflowOrSkip(`${dir} on tensorflow`)) return;
    const r = runOnTensorflow(dir, pattern);
    const tail = r.output.split('\n').slice(-40).join('\n');
    assert.is(r.code, 0, `${dir} failed on tensorflow:\n${tail}`);
    assert.ok(r.total > 0 && r.passed === r.total, `${r.passed}/${r.total} passed:\n${tail}`);
    assert.ok(r.switched > 0, `no suite of ${dir} ran on tensorflow:\n${tail}`);
    console.log(`  ${dir}${pattern ? ` ${pattern}` : ''}: ${r.passed}/${r.total} tests passed on tensorflow (${r.switched} suites switched to it)`);
  });
}

Suites.run();
