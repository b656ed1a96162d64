/** bench/reference.ts: finding a Python that has PyTorch for the benchmark's reference, instead of skipping it. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { findTorchPython, pythonCandidates } from '../../bench/reference';

const ROOT = path.resolve(__dirname, '../..');

const Candidates = suite('pythonCandidates / findTorchPython');

Candidates('order: SIMCLR_PYTHON, the project venv, Debian\'s python3, python3 on PATH; no duplicates', () => {
  assert.equal(pythonCandidates({ SIMCLR_PYTHON: '/opt/x/python' }), ['/opt/x/python', path.join(ROOT, '.venv', 'bin', 'python'), '/usr/bin/python3', 'python3']);
  assert.equal(pythonCandidates({}), [path.join(ROOT, '.venv', 'bin', 'python'), '/usr/bin/python3', 'python3']);
  assert.equal(pythonCandidates({ SIMCLR_PYTHON: '/usr/bin/python3' }), ['/usr/bin/python3', path.join(ROOT, '.venv', 'bin', 'python'), 'python3']);
});

Candidates('skips Pythons without torch and names each one when none has it', () => {
  const none = findTorchPython(['/nonexistent/python3', 'false']);
  assert.is(none.ok, false);
  assert.match(none.reason, /\/nonexistent\/python3 not found/);
  assert.match(none.reason, /false has no torch/);
  assert.match(none.reason, /bench\/setup-torch\.sh or set SIMCLR_PYTHON/);
});

Candidates('picks the first Python whose `import torch` works, with its version', () => {
  // Debian's python3-torch (installed by setup) is the one every machine of ours has.
  const debian = spawnSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (debian.status !== 0) {
    console.log('  (skipped: /usr/bin/python3 has no torch here)');
    return;
  }
  const found = findTorchPython(['/nonexistent/python3', 'false', '/usr/bin/python3']);
  assert.ok(found.ok, found.reason);
  assert.is(found.python, '/usr/bin/python3');
  assert.is(found.torch, debian.stdout.trim());
});

Candidates.run();
