/**
 * Run safety of `simclr train`, driven through the real CLI in child processes: no silent overwrite, resume that
 * remembers the run, verified checkpoints, clean writes, metrics that read as one uninterrupted run, strict numbers.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CIFAR10_CLASS_NAMES, CIFAR10_RECORD_BYTES } from '../../lib/data/cifar10';
import { datasetFingerprint } from '../../lib/data/dataset';
import { fakeData } from '../../lib/data/fakeData';
import { SimclrTrainer } from '../../lib/train/trainer';
import { readTrainerCheckpoint } from '../../lib/train/trainerCheckpoint';
import { tinySeedConfig, useCpu } from '../helpers';
import { CLI_ENV as env, MAIN, ROOT, runCli as cli } from './cliProcess';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-safety-'));

/** 48 fake 8×8 images, batch 8 → 6 steps an epoch; the loss is logged every 4 steps (and at each epoch end). */
const RUN = ['--data', 'fake', '--limit', '48', '--image-size', '8', '--preset', 'seed', '--batch-size', '8', '--backend', 'cpu', '--log-every', '4'];
const EPOCHS = ['--epochs', '3'];

type MetricRecord = { type: string; step: number; epoch: number; loss: number; learningRate: number; temperature: number; stepInEpoch?: number };
const readMetrics = (dir: string): MetricRecord[] => fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
/** What an uninterrupted run and an interrupted + resumed one must share: every step and epoch record, minus timing. */
const curve = (records: MetricRecord[]) =>
  records.filter((r) => r.type === 'step' || r.type === 'epoch').map((r) => ({ type: r.type, step: r.step, epoch: r.epoch, loss: r.loss, learningRate: r.learningRate, temperature: r.temperature }));

/**
 * Start the CLI and send `signal` once its metrics file holds a record of `step` (polled every 10 ms, so the
 * record is on disk when the signal is sent); resolves to the exit code (or signal) and stderr.
 */
function runUntil(args: string[], out: string, step: number, signal: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; err: string; sent: boolean }> {
  const child: ChildProcess = spawn(process.execPath, ['-r', 'tsx/cjs', MAIN, ...args], { cwd: ROOT, env });
  let err = '';
  let sent = false;
  child.stderr!.on('data', (chunk) => { err += chunk; });
  const metrics = path.join(out, 'metrics.jsonl');
  const poll = setInterval(() => {
    if (sent || !fs.existsSync(metrics)) return;
    const lines = fs.readFileSync(metrics, 'utf8').split('\n');
    if (lines.some((line) => line.startsWith('{"type":"step"') && line.includes(`"step":${step},`))) {
      sent = true;
      child.kill(signal);
    }
  }, 10);
  return new Promise((resolve) => child.on('exit', (code, sig) => {
    clearInterval(poll);
    resolve({ code, signal: sig, err, sent });
  }));
}

let baseline: MetricRecord[] = [];

const Overwrite = suite('simclr train never overwrites a run by accident');

Overwrite('the uninterrupted reference run', () => {
  const r = cli(['train', ...RUN, ...EPOCHS, '--out', path.join(tmp, 'whole')]);
  assert.is(r.code, 0, r.err);
  baseline = readMetrics(path.join(tmp, 'whole'));
  assert.equal(baseline.filter((m) => m.type === 'step').map((m) => m.step), [4, 6, 8, 12, 16, 18], 'every 4th step and each epoch end');
  assert.equal(baseline.filter((m) => m.type === 'epoch').map((m) => m.epoch), [1, 2, 3]);
});

Overwrite('a fresh run where a run exists is a usage error that names --resume and --overwrite; nothing changes', () => {
  const out = path.join(tmp, 'whole');
  const before = ['checkpoint.ckpt', 'metrics.jsonl', 'config.json'].map((f) => fs.readFileSync(path.join(out, f)));
  const r = cli(['train', ...RUN, '--epochs', '1', '--out', out]);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /already holds a run \(checkpoint\.ckpt, metrics\.jsonl, config\.json\); continue it with 'simclr train --out .*whole --resume', start over with --overwrite/);
  ['checkpoint.ckpt', 'metrics.jsonl', 'config.json'].forEach((f, i) => assert.ok(fs.readFileSync(path.join(out, f)).equals(before[i]), `${f} untouched`));
});

Overwrite('--overwrite starts over: one run in metrics.jsonl, a checkpoint of the new run', () => {
  const out = path.join(tmp, 'again');
  assert.is(cli(['train', ...RUN, '--epochs', '1', '--out', out]).code, 0);
  fs.writeFileSync(path.join(out, 'notes.txt'), 'the user\'s own file');
  const r = cli(['train', ...RUN, '--epochs', '2', '--seed', '7', '--out', out, '--overwrite']);
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /--overwrite: deleted the previous run \(checkpoint\.ckpt, metrics\.jsonl, config\.json\)/);
  const epochs = readMetrics(out).filter((m) => m.type === 'epoch').map((m) => m.epoch);
  assert.equal(epochs, [1, 2], 'epoch 1 appears once');
  assert.is(readTrainerCheckpoint(path.join(out, 'checkpoint.ckpt')).config.seed, 7);
  assert.ok(fs.existsSync(path.join(out, 'notes.txt')), 'other files in the folder are kept');
  const both = cli(['train', ...RUN, '--out', out, '--overwrite', '--resume']);
  assert.is(both.code, 2);
  assert.match(both.err, /give one of them/);
});

Overwrite('a folder with a run but no checkpoint (stopped before the first one) cannot be resumed and is not overwritten silently', () => {
  const out = path.join(tmp, 'early');
  fs.mkdirSync(out);
  fs.writeFileSync(path.join(out, 'metrics.jsonl'), '{"type":"step","step":1,"loss":4}\n');
  const fresh = cli(['train', ...RUN, '--out', out]);
  assert.is(fresh.code, 2);
  assert.match(fresh.err, /already holds a run \(metrics\.jsonl\); it has no checkpoint to resume .* start over with --overwrite/);
  const resume = cli(['train', '--out', out, '--resume']);
  assert.is(resume.code, 2);
  assert.match(resume.err, /holds a run \(metrics\.jsonl\) but no checkpoint to resume/);
});

Overwrite.run();

const Resume = suite('simclr train --resume continues the saved run exactly');

Resume('the README form after Ctrl-C: `--out D --resume` alone keeps --limit, batch and backend, and the curve equals the uninterrupted run', async () => {
  const out = path.join(tmp, 'sigint');
  const stopped = await runUntil(['train', ...RUN, ...EPOCHS, '--out', out], out, 8, 'SIGINT');
  assert.ok(stopped.sent, stopped.err);
  assert.is(stopped.code, 130, stopped.err);
  const at = readTrainerCheckpoint(path.join(out, 'checkpoint.ckpt')).step;
  assert.ok(at >= 8 && at < 18, `stopped at step ${at}`);
  const resumed = cli(['train', '--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.err);
  assert.match(resumed.err, new RegExp(`resuming from .* at step ${at} \\(epoch [23] of 3\\)`));
  assert.match(resumed.err, /backend: cpu/, 'the run\'s backend, not auto');
  assert.match(resumed.err, /finished at step 18/, 'the run\'s 48 images, not the whole default set');
  assert.equal(curve(readMetrics(out)), curve(baseline), 'each step and epoch once, with the same losses as the uninterrupted run');
});

Resume('kill -9 after a checkpoint: records written after it are dropped, and the curve equals the uninterrupted run', async () => {
  const out = path.join(tmp, 'killed');
  const killed = await runUntil(['train', ...RUN, ...EPOCHS, '--out', out], out, 8, 'SIGKILL');
  assert.ok(killed.sent, killed.err);
  assert.is(killed.signal, 'SIGKILL');
  const at = readTrainerCheckpoint(path.join(out, 'checkpoint.ckpt')).step;
  assert.is(at, 6, 'the epoch-1 checkpoint');
  assert.ok(readMetrics(out).some((m) => m.step > at), 'the killed run logged past its checkpoint');
  const resumed = cli(['train', '--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.err);
  assert.match(resumed.err, /metrics\.jsonl: dropped \d+ record\(s\) written after the checkpoint's step 6/);
  const records = readMetrics(out);
  assert.equal(curve(records), curve(baseline));
  const steps = records.filter((m) => m.type === 'step').map((m) => m.step);
  assert.equal(steps, [...new Set(steps)], 'no step logged twice');
});

Resume('flags that disagree with the run are refused by name; the run\'s own values are accepted', () => {
  const out = path.join(tmp, 'whole');
  const cases: [string[], RegExp][] = [
    [['--batch-size', '16'], /--batch-size 16 conflicts with the run in .*whole \(its batch size is 8\)/],
    [['--seed', '8'], /--seed 8 conflicts .* \(its seed is 42\)/],
    [['--lr', '0.01'], /--lr 0\.01 conflicts .* \(its base learning rate is 0\.001\)/],
    [['--optimizer', 'sgd'], /--optimizer sgd conflicts .* \(its optimizer is adam\)/],
    [['--preset', 'fashionMnistCpu'], /--preset fashionMnistCpu conflicts .* \(its preset is seed\)/],
    [['--limit', '40'], /--limit 40 conflicts .* \(its image limit is 48\)/],
    [['--data', 'shapes'], /--data shapes conflicts .* \(its data source is fake\)/],
    [['--epochs', '2'], /--epochs 2 conflicts .* \(its length is 3 epochs \(it may be raised, not lowered\)\)/],
  ];
  const before = fs.readFileSync(path.join(out, 'checkpoint.ckpt'));
  for (const [flags, message] of cases) {
    const r = cli(['train', '--out', out, '--resume', ...flags]);
    assert.is(r.code, 2, `${flags.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
    assert.match(r.err, /a resumed run keeps its settings/);
  }
  assert.ok(fs.readFileSync(path.join(out, 'checkpoint.ckpt')).equals(before));
  const done = cli(['train', ...RUN, ...EPOCHS, '--out', out, '--resume']);
  assert.is(done.code, 0, done.err);
  assert.match(done.err, /already finished its 3 epochs at step 18; nothing to do \(raise --epochs to train longer\)/);
  const longer = cli(['train', '--out', out, '--resume', '--epochs', '4']);
  assert.is(longer.code, 0, longer.err);
  assert.match(longer.err, /resuming from .* at step 18 \(epoch 4 of 4\)/);
  assert.match(longer.err, /finished at step 24/);
  assert.is(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).epochs, 4);
});

Resume('raising --epochs under a warmup/cosine schedule is refused: the schedule was planned for the run\'s length', async () => {
  useCpu();
  const out = path.join(tmp, 'cosine');
  const dataset = fakeData({ size: 48, imageSize: 8, seed: 42 });
  const config = tinySeedConfig({ logEvery: 10, schedule: 'warmupCosine', warmupEpochs: 1 });
  const metadata = { command: 'simclr train', preset: 'seed', backend: 'cpu', data: { source: 'fake', dir: null, resolvedDir: null, limit: 48, imageSize: 8, fingerprint: datasetFingerprint(dataset), shape: dataset.shape } };
  const trainer = new SimclrTrainer({ config, dataset, checkpointPath: path.join(out, 'checkpoint.ckpt'), metadata });
  await trainer.fit();
  trainer.dispose();
  const r = cli(['train', '--out', out, '--resume', '--epochs', '3']);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /--epochs 3: the run's learning rate follows a warmupCosine schedule planned for 2 epochs/);
});

Resume.run();

const Damage = suite('damaged checkpoints and impossible runs');

Damage('4 KB of random bytes in the weights: train --resume, probe and embed all refuse the file, and nothing is written', () => {
  const source = path.join(tmp, 'whole', 'checkpoint.ckpt');
  const out = path.join(tmp, 'damaged');
  fs.mkdirSync(out);
  const bytes = fs.readFileSync(source);
  const noise = Buffer.from(Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i * 12.9898) * 43758.5453).buffer);
  noise.copy(bytes, bytes.length - 32 - 4096 - 512);
  fs.writeFileSync(path.join(out, 'checkpoint.ckpt'), bytes);
  fs.copyFileSync(path.join(tmp, 'whole', 'metrics.jsonl'), path.join(out, 'metrics.jsonl'));
  const metricsBefore = fs.readFileSync(path.join(out, 'metrics.jsonl'));
  const damaged = /checkpoint\.ckpt is damaged: its SHA-256 checksum does not match its contents/;
  const resume = cli(['train', '--out', out, '--resume', '--epochs', '5']);
  assert.is(resume.code, 1, resume.err);
  assert.match(resume.err, damaged);
  assert.not.match(resume.err, /learning rate|last good/);
  const probe = cli(['probe', '--checkpoint', path.join(out, 'checkpoint.ckpt'), '--data', 'fake', '--train-limit', '16', '--test-limit', '8', '--backend', 'cpu']);
  assert.is(probe.code, 1);
  assert.match(probe.err, damaged);
  const embed = cli(['embed', '--checkpoint', path.join(out, 'checkpoint.ckpt'), '--data', 'fake', '--limit', '8', '--out', path.join(out, 'e'), '--backend', 'cpu']);
  assert.is(embed.code, 1);
  assert.match(embed.err, damaged);
  assert.not.ok(fs.existsSync(path.join(out, 'e.embeddings.npy')));
  assert.ok(fs.readFileSync(path.join(out, 'checkpoint.ckpt')).equals(bytes), 'the damaged file is left for the user to inspect');
  assert.ok(fs.readFileSync(path.join(out, 'metrics.jsonl')).equals(metricsBefore));
});

Damage('a batch larger than the data fails before training, and leaves no folder behind', () => {
  const out = path.join(tmp, 'toobig');
  const r = cli(['train', '--data', 'fake', '--limit', '100', '--image-size', '8', '--batch-size', '256', '--backend', 'cpu', '--out', out]);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /--batch-size 256 is larger than the 100 training images of fake-data.*, so an epoch would have no step; use --batch-size 100 or less, or more images \(--limit\)/);
  assert.not.ok(fs.existsSync(out));
});

Damage('a fresh run that diverges at step 1 says no checkpoint was written, and leaves none', () => {
  const out = path.join(tmp, 'diverged');
  const r = cli(['train', ...RUN, '--temperature', '1e-40', '--out', out]); // sim/τ overflows float32 → NaN
  assert.is(r.code, 1, r.err);
  assert.match(r.err, /training diverged: loss is NaN at step 1; no checkpoint of this run was written yet, so nothing was saved/);
  assert.not.match(r.err, /intact/);
  assert.not.ok(fs.existsSync(path.join(out, 'checkpoint.ckpt')));
});

Damage('a temporary checkpoint left by a kill during a write is removed at the next start', () => {
  const out = path.join(tmp, 'debris');
  assert.is(cli(['train', ...RUN, '--epochs', '1', '--out', out]).code, 0);
  const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
  const debris = path.join(out, `checkpoint.ckpt.tmp-${dead}`);
  fs.copyFileSync(path.join(out, 'checkpoint.ckpt'), debris); // a full-size file, as a kill -9 mid-write leaves
  const r = cli(['train', '--out', out, '--resume', '--epochs', '2']);
  assert.is(r.code, 0, r.err);
  assert.equal(fs.readdirSync(out).filter((f) => f.includes('.tmp-')), []);
});

Damage.run();

const Numbers = suite('numbers and paths are read strictly');

Numbers('hex, exponent-form integers, unsafe seeds, fractions and infinities are usage errors', () => {
  const cases: [string[], RegExp][] = [
    [['--lr', '0x10'], /--lr must be a decimal number > 0, got '0x10'/],
    [['--lr', 'Infinity'], /--lr must be a decimal number > 0, got 'Infinity'/],
    [['--temperature', '0'], /--temperature must be a decimal number > 0, got '0'/],
    [['--seed', '1e20'], /--seed must be an integer from 0 to 2147483647 in decimal digits, got '1e20'/],
    [['--seed', '9007199254740993'], /--seed must be an integer from 0 to 2147483647/],
    [['--epochs', '2.0'], /--epochs must be an integer >= 1 in decimal digits, got '2\.0'/],
    [['--batch-size', '0x20'], /--batch-size must be an integer >= 2 in decimal digits, got '0x20'/],
    [['--limit', '1e3'], /--limit must be an integer >= 1 in decimal digits, got '1e3'/],
  ];
  for (const [flags, message] of cases) {
    const r = cli(['train', ...flags, '--out', path.join(tmp, 'never')]);
    assert.is(r.code, 2, `${flags.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
  assert.not.ok(fs.existsSync(path.join(tmp, 'never')));
});

Numbers('--out naming a file is a usage error, not a raw EEXIST', () => {
  const file = path.join(tmp, 'a-file');
  fs.writeFileSync(file, 'x');
  const r = cli(['train', ...RUN, '--out', file]);
  assert.is(r.code, 2, r.err);
  assert.match(r.err, /--out .*a-file is a file; it must be a folder/);
  assert.not.match(r.err, /EEXIST/);
});

/** A CIFAR-10 binary folder of 3 records per train file (15 images) and 2 test records. */
function cifarFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const record = (id: number) => {
    const bytes = Buffer.alloc(CIFAR10_RECORD_BYTES);
    bytes[0] = id % 10;
    for (let i = 1; i < bytes.length; i++) bytes[i] = (id * 31 + i * 7) % 256;
    return bytes;
  };
  for (let f = 0; f < 5; f++) fs.writeFileSync(path.join(dir, `data_batch_${f + 1}.bin`), Buffer.concat([0, 1, 2].map((k) => record(3 * f + k))));
  fs.writeFileSync(path.join(dir, 'test_batch.bin'), Buffer.concat([record(100), record(101)]));
  fs.writeFileSync(path.join(dir, 'batches.meta.txt'), `${CIFAR10_CLASS_NAMES.join('\n')}\n`);
}

Numbers('data that changed since the run started is refused on resume; an empty CIFAR batch file is refused', () => {
  const data = path.join(tmp, 'cifar');
  cifarFolder(data);
  const out = path.join(tmp, 'cifar-run');
  const args = ['train', '--data', 'cifar10', '--data-dir', data, '--preset', 'seed', '--batch-size', '8', '--epochs', '1', '--backend', 'cpu', '--out', out];
  const first = cli(args);
  assert.is(first.code, 0, first.err);
  const batch = path.join(data, 'data_batch_2.bin');
  const original = fs.readFileSync(batch);
  const changed = Buffer.from(original);
  changed[500] ^= 0xff;
  fs.writeFileSync(batch, changed);
  const resume = cli(['train', '--out', out, '--resume', '--epochs', '2']);
  assert.is(resume.code, 1, resume.err);
  assert.match(resume.err, /--resume: the training data is not the run's: .* differs from what the run trained on .*; resuming on other images would be a different experiment/);
  const otherDir = cli(['train', '--out', out, '--resume', '--epochs', '2', '--data-dir', tmp]);
  assert.is(otherDir.code, 2);
  assert.match(otherDir.err, /--data-dir .* conflicts with the run .* \(its data folder is .*cifar\)/);
  fs.writeFileSync(batch, Buffer.alloc(0));
  const empty = cli(args.map((a) => (a === out ? path.join(tmp, 'cifar-empty') : a)));
  assert.is(empty.code, 1, empty.err);
  assert.match(empty.err, /data_batch_2\.bin: the file is empty \(0 bytes\)/);
  fs.writeFileSync(batch, original);
  const back = cli(['train', '--out', out, '--resume', '--epochs', '2']);
  assert.is(back.code, 0, back.err);
  assert.match(back.err, /finished at step 4/);
});

Numbers.run();
