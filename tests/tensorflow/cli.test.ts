/**
 * `simclr` end to end on the TensorFlow engine: train → probe → embed with `--backend tensorflow`, each in a fresh
 * run folder. The reference is the same command on the cpu backend: with the same seed the two runs see the same
 * images, views and initial weights, so their loss curves must agree to float32 round-off.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeNpy } from '../../lib/data/npy';
import { assertClose } from '../helpers';
import { EXPECTED_TENSORFLOW_VERSION, tensorflowOrSkip } from './availability';

const ROOT = path.resolve(__dirname, '../..');
const MAIN = path.join(ROOT, 'lib', 'cli', 'main.ts');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-cli-tf-'));
const env = { ...process.env, SIMCLR_BACKEND: '' };

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', MAIN, ...args], { cwd: ROOT, env, encoding: 'utf8', timeout: 180_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The seed preset on 8×8 FakeData: 4 steps per epoch, the loss read back every step. */
const TINY = ['--data', 'fake', '--limit', '32', '--image-size', '8', '--preset', 'seed', '--batch-size', '8', '--log-every', '1', '--seed', '7'];

function stepLosses(runFolder: string): number[] {
  return fs.readFileSync(path.join(runFolder, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
    .filter((m) => m.type === 'step').map((m) => m.loss);
}

const Flow = suite('simclr on --backend tensorflow');

Flow('train matches the same run on cpu; probe and embed run on tensorflow', () => {
  if (!tensorflowOrSkip('the CLI on tensorflow')) return;
  const onTf = path.join(tmp, 'tensorflow');
  const onCpu = path.join(tmp, 'cpu');
  const train = cli(['train', ...TINY, '--epochs', '2', '--backend', 'tensorflow', '--out', onTf]);
  assert.is(train.code, 0, train.err);
  assert.match(train.out + train.err, new RegExp(`TensorFlow ${EXPECTED_TENSORFLOW_VERSION.replace(/\./g, '\\.')}`), 'the backend report names TensorFlow');
  const reference = cli(['train', ...TINY, '--epochs', '2', '--backend', 'cpu', '--out', onCpu]);
  assert.is(reference.code, 0, reference.err);
  const losses = stepLosses(onTf);
  const expected = stepLosses(onCpu);
  assert.is(losses.length, 8);
  assert.ok(losses.every(Number.isFinite));
  assertClose(losses, expected, { rtol: 1e-4, atol: 1e-5 }, 'tensorflow vs cpu loss curve');
  assert.ok(fs.existsSync(path.join(onTf, 'checkpoint.ckpt')));

  const checkpoint = path.join(onTf, 'checkpoint.ckpt');
  const probe = cli(['probe', '--checkpoint', checkpoint, '--data', 'fake', '--train-limit', '32', '--test-limit', '16', '--backend', 'tensorflow']);
  assert.is(probe.code, 0, probe.err);
  assert.match(probe.out, /linear probe top-1 \d+\.\d\d%/);

  const prefix = path.join(tmp, 'emb', 'fake');
  const embed = cli(['embed', '--checkpoint', checkpoint, '--data', 'fake', '--limit', '16', '--out', prefix, '--backend', 'tensorflow']);
  assert.is(embed.code, 0, embed.err);
  const embeddings = decodeNpy(fs.readFileSync(`${prefix}.embeddings.npy`));
  assert.equal(embeddings.shape, [16, 32], 'h of the seed encoder has 32 features');
  assert.ok(embeddings.values.every(Number.isFinite));
  // The same embeddings from the cpu backend: the checkpoint's encoder is the reference.
  const cpuPrefix = path.join(tmp, 'emb-cpu', 'fake');
  const embedCpu = cli(['embed', '--checkpoint', checkpoint, '--data', 'fake', '--limit', '16', '--out', cpuPrefix, '--backend', 'cpu']);
  assert.is(embedCpu.code, 0, embedCpu.err);
  assertClose(Array.from(embeddings.values), Array.from(decodeNpy(fs.readFileSync(`${cpuPrefix}.embeddings.npy`)).values), { rtol: 1e-4, atol: 1e-5 }, 'embeddings tensorflow vs cpu');
});

Flow.after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

Flow.run();
