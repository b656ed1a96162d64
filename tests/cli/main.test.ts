import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeNpy } from '../../lib/data/npy';
import { runCli as cli } from './cliProcess';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-cli-'));

const TINY = ['--data', 'fake', '--limit', '32', '--image-size', '8', '--preset', 'seed', '--batch-size', '8', '--backend', 'cpu', '--log-every', '1'];

const Usage = suite('simclr usage errors');

Usage('no command, unknown commands and bad options print the usage and exit 2', () => {
  const none = cli([]);
  assert.is(none.code, 2);
  assert.match(none.out, /Usage: simclr <command>/);
  const unknown = cli(['fly']);
  assert.is(unknown.code, 2);
  assert.match(unknown.err, /unknown command 'fly'/);
  const badOption = cli(['train', '--epochz', '3']);
  assert.is(badOption.code, 2);
  assert.match(badOption.err, /Unknown option '--epochz'/);
  assert.match(badOption.err, /Usage: simclr train/);
  const badValue = cli(['train', '--epochs', '0']);
  assert.is(badValue.code, 2);
  assert.match(badValue.err, /--epochs must be an integer >= 1 in decimal digits, got '0'/);
  const badChoice = cli(['probe', '--checkpoint', 'x', '--features', 'q']);
  assert.is(badChoice.code, 2);
  assert.match(badChoice.err, /--features must be one of h, z/);
  const missing = cli(['embed', '--out', path.join(tmp, 'e')]);
  assert.is(missing.code, 2);
  assert.match(missing.err, /--checkpoint <file> is required/);
  for (const command of ['train', 'probe', 'embed']) {
    const help = cli([command, '--help']);
    assert.is(help.code, 0);
    assert.match(help.out, new RegExp(`Usage: simclr ${command}`));
  }
});

Usage('missing data gives the data layer\'s clear error and exit 1', () => {
  const r = cli(['train', '--data', 'cifar10', '--data-dir', path.join(tmp, 'nowhere'), '--backend', 'cpu', '--out', path.join(tmp, 'x')]);
  assert.is(r.code, 1);
  assert.match(r.err, /nowhere/);
});

Usage.run();

const Flow = suite('simclr train → resume → probe → embed');

Flow('trains, checkpoints, resumes, probes and embeds', () => {
  const out = path.join(tmp, 'run');
  const first = cli(['train', ...TINY, '--epochs', '2', '--out', out]);
  assert.is(first.code, 0, first.err);
  assert.ok(fs.existsSync(path.join(out, 'checkpoint.ckpt')));
  const metrics = fs.readFileSync(path.join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.is(metrics.filter((m) => m.type === 'step').length, 8);
  assert.is(JSON.parse(fs.readFileSync(path.join(out, 'config.json'), 'utf8')).model.inputShape.join(), '8,8,3');

  const resumed = cli(['train', ...TINY, '--epochs', '3', '--out', out, '--resume']);
  assert.is(resumed.code, 0, resumed.err);
  assert.match(resumed.err, /resuming from .* at step 8 \(epoch 3 of 3\)/);
  assert.match(resumed.err, /finished at step 12/);

  const probe = cli(['probe', '--checkpoint', path.join(out, 'checkpoint.ckpt'), '--data', 'fake', '--train-limit', '32', '--test-limit', '16', '--backend', 'cpu']);
  assert.is(probe.code, 0, probe.err);
  assert.match(probe.out, /linear probe top-1 \d+\.\d\d%/);
  assert.match(probe.out, /kNN top-1/);

  const prefix = path.join(tmp, 'emb', 'fake');
  const embed = cli(['embed', '--checkpoint', path.join(out, 'checkpoint.ckpt'), '--data', 'fake', '--limit', '16', '--out', prefix, '--backend', 'cpu']);
  assert.is(embed.code, 0, embed.err);
  const embeddings = decodeNpy(fs.readFileSync(`${prefix}.embeddings.npy`));
  const labels = decodeNpy(fs.readFileSync(`${prefix}.labels.npy`));
  assert.equal(embeddings.shape, [16, 32], 'h of the seed encoder has 32 features');
  assert.equal(labels.shape, [16]);
  assert.ok(embeddings.values.every(Number.isFinite));
});

// Ctrl-C, kill -9, damaged files and resume rules: tests/cli/runSafety.test.ts.

Flow.run();
