/**
 * A workbook notebook executed on the TensorFlow engine: `notebooks/run-all.sh` (nbconvert → the tslab kernel) with
 * SIMCLR_BACKEND=tensorflow, which the notebook's `initBackend()` honours. 1_views is the cheapest notebook that
 * still runs tensors through the backend (~30 s here): views, augmentations, an encoder's features.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { EXPECTED_TENSORFLOW_VERSION, TENSORFLOW_REQUIRED, tensorflowOrSkip } from './availability';

const ROOT = path.resolve(__dirname, '../..');
const NOTEBOOK = 'notebooks/1_views.ipynb';

function hasNbconvert(): boolean {
  return spawnSync('/usr/bin/python3', ['-m', 'jupyter', 'nbconvert', '--version'], { encoding: 'utf8' }).status === 0;
}

const Notebook = suite('a notebook on tensorflow');

Notebook(`${NOTEBOOK} runs top to bottom with SIMCLR_BACKEND=tensorflow`, () => {
  if (!tensorflowOrSkip('the notebook on tensorflow')) return;
  if (!hasNbconvert()) {
    if (TENSORFLOW_REQUIRED) assert.unreachable('jupyter nbconvert (Debian jupyter-nbconvert) is missing');
    console.log('  (skipped: jupyter nbconvert not installed)');
    return;
  }
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-nb-tf-'));
  try {
    const run = spawnSync('bash', ['notebooks/run-all.sh', NOTEBOOK], {
      cwd: ROOT,
      env: { ...process.env, SIMCLR_BACKEND: 'tensorflow', SIMCLR_WORKBOOK_OUT: out },
      encoding: 'utf8',
      timeout: 600_000,
    });
    assert.is(run.status, 0, `${run.stdout}\n${run.stderr}`);
    const executed = JSON.parse(fs.readFileSync(path.join(out, path.basename(NOTEBOOK)), 'utf8'));
    const outputs = executed.cells.flatMap((cell: any) => cell.outputs ?? []);
    const text = outputs.map((o: any) => [o.text, o.data?.['text/plain']].flat().filter(Boolean).join('')).join('\n');
    assert.equal(outputs.filter((o: any) => o.output_type === 'error').map((o: any) => o.evalue), [], 'no cell failed');
    assert.match(text, /backend: tensorflow \(requested by environment\)/);
    assert.match(text, new RegExp(`TensorFlow ${EXPECTED_TENSORFLOW_VERSION.replace(/\./g, '\\.')} on the CPU`));
    const seconds = /✓ \S+: (\d+) s/.exec(run.stdout)?.[1];
    console.log(`  ${NOTEBOOK} on tensorflow: ${seconds ?? '?'} s`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});

Notebook.run();
