import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RUN_FILES, clearRun, rewindMetrics, runFilesIn } from '../../lib/train/runFolder';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'simclr-run-'));
const lines = (records: object[]) => records.map((r) => `${JSON.stringify(r)}\n`).join('');
const read = (file: string) => fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

const Folder = suite('run folders');

Folder('runFilesIn lists the run files present; clearRun deletes them (and write debris) and nothing else', () => {
  const dir = path.join(tmp, 'a');
  assert.equal(runFilesIn(dir), [], 'a missing folder holds no run');
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
  assert.equal(runFilesIn(dir), []);
  fs.writeFileSync(path.join(dir, RUN_FILES.metrics), '');
  fs.writeFileSync(path.join(dir, RUN_FILES.checkpoint), 'x');
  fs.writeFileSync(path.join(dir, `${RUN_FILES.checkpoint}.tmp-999999999`), 'debris');
  assert.equal(runFilesIn(dir), ['checkpoint.ckpt', 'metrics.jsonl']);
  const removed = clearRun(dir).map((f) => path.basename(f)).sort();
  assert.equal(removed, ['checkpoint.ckpt', 'checkpoint.ckpt.tmp-999999999', 'metrics.jsonl']);
  assert.equal(fs.readdirSync(dir), ['notes.txt']);
});

Folder('rewindMetrics drops records after the checkpoint step and a torn last line, keeps the rest in order', () => {
  const file = path.join(tmp, 'metrics.jsonl');
  const kept = [
    { type: 'step', step: 1, loss: 4 }, { type: 'step', step: 2, loss: 3.9 }, { type: 'epoch', epoch: 1, step: 2, loss: 3.95 },
    { type: 'checkpoint', step: 2, file: 'c' },
  ];
  const after = [{ type: 'step', step: 3, loss: 3.8 }, { type: 'step', step: 4, loss: 3.7 }, { type: 'epoch', epoch: 2, step: 4, loss: 3.75 }];
  fs.writeFileSync(file, `${lines([...kept, ...after])}{"type":"step","step":5,"lo`);
  assert.equal(rewindMetrics(file, 2), { kept: 4, dropped: 4 });
  assert.equal(read(file), kept);
  assert.ok(fs.readFileSync(file, 'utf8').endsWith('\n'));
  const bytes = fs.readFileSync(file);
  assert.equal(rewindMetrics(file, 2), { kept: 4, dropped: 0 }, 'a second rewind changes nothing');
  assert.ok(fs.readFileSync(file).equals(bytes));
  assert.equal(rewindMetrics(path.join(tmp, 'none.jsonl'), 3), { kept: 0, dropped: 0 });
  assert.equal(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-')), []);
});

Folder.run();
