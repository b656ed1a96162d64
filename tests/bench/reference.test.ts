/** bench/reference.ts: finding a Python that has PyTorch for the benchmark's reference, instead of skipping it. */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import { CPU_DEFAULTS, parseOptions, runBench } from '../../bench/run';
import { DEBIAN_PYTHON, findReferencePythons, findTorchPython, pythonCandidates, referenceVerdict, TorchProbe, torchMajor } from '../../bench/reference';

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

/** A fake probe: Pythons → torch versions (missing: no torch). */
const fakeProbe = (versions: Record<string, string>) => (python: string): TorchProbe =>
  versions[python] ? { ok: true, python, torch: versions[python], reason: `torch ${versions[python]} (${python})` } : { ok: false, python, reason: `${python} has no torch` };

const References = suite('findReferencePythons / referenceVerdict (no timing)');

References('torchMajor reads the major version of torch version strings', () => {
  assert.is(torchMajor('2.13.0+cpu'), 2);
  assert.is(torchMajor('1.13.0a0'), 1);
  assert.ok(Number.isNaN(torchMajor(undefined)));
});

References('PyTorch 2.x from the venv is the reference and Debian\'s 1.13 the second row', () => {
  const refs = findReferencePythons(['/venv/python', DEBIAN_PYTHON, 'python3'], fakeProbe({ '/venv/python': '2.13.0+cpu', [DEBIAN_PYTHON]: '1.13.0a0' }));
  assert.is(refs.current.python, '/venv/python');
  assert.is(refs.current.torch, '2.13.0+cpu');
  assert.ok(refs.debian.ok);
  assert.is(refs.debian.torch, '1.13.0a0');
});

References('a Python with only torch 1.x is not taken as the 2.x reference', () => {
  const refs = findReferencePythons(['/venv/python', DEBIAN_PYTHON], fakeProbe({ [DEBIAN_PYTHON]: '1.13.0a0' }));
  assert.is(refs.current.ok, false);
  assert.match(refs.current.reason, /\/venv\/python has no torch/);
  assert.match(refs.current.reason, /\/usr\/bin\/python3 has torch 1\.13\.0a0, older than 2\.x/);
  assert.ok(refs.debian.ok, 'Debian\'s row still runs');
});

References('a missing 2.x reference is named in every row and fails the bench unless allowed', () => {
  const missing = { ok: false, reason: 'no Python with torch >= 2 found' };
  const fine = { ok: true, reason: '' };
  assert.equal(referenceVerdict(fine, fine), { rowNote: '', exitCode: 0 });
  const failed = referenceVerdict(missing, fine);
  assert.is(failed.exitCode, 1);
  assert.match(failed.rowNote, /PyTorch 2\.x reference could not run: no Python with torch >= 2 found/);
  const allowed = referenceVerdict(missing, fine, { allowMissing: true });
  assert.is(allowed.exitCode, 0);
  assert.is(allowed.rowNote, failed.rowNote, 'still said in every row when allowed');
  const debianOnly = referenceVerdict(fine, { ok: false, reason: 'PyTorch reference failed (exit 1)' });
  assert.equal(debianOnly, { rowNote: 'Debian PyTorch reference could not run: PyTorch reference failed (exit 1)', exitCode: 0 });
  assert.equal(referenceVerdict(missing, missing, { disabled: true }), { rowNote: 'no reference: turned off (--no-reference)', exitCode: 0 });
});

References.run();

const Wiring = suite('bench/run.ts reference wiring (no timing)');

Wiring('a PyTorch 2.x reference that is not there exits 1 unless allowed or turned off; --allow-missing-reference parses', async () => {
  const lines: string[] = [];
  const base = { ...CPU_DEFAULTS, models: [] as never[], backends: [], views: [], python: '/nonexistent/python3' };
  const missing = await runBench(base, (line) => lines.push(line));
  assert.equal(missing, { rows: [], exitCode: 1 });
  assert.ok(lines.some((l) => /PyTorch 2\.x reference: not available: \/nonexistent\/python3 not found/.test(l)), lines.join('\n'));
  assert.is((await runBench({ ...base, allowMissingReference: true }, () => {})).exitCode, 0);
  assert.is((await runBench({ ...base, reference: false }, () => {})).exitCode, 0);
  assert.is(parseOptions(['--allow-missing-reference'], CPU_DEFAULTS).allowMissingReference, true);
  assert.not.ok(parseOptions([], CPU_DEFAULTS).allowMissingReference);
});

Wiring.run();
