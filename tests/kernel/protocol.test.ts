/**
 * Runs the kernel's protocol tests (Python, over ZeroMQ) against this checkout's kernel wrapper:
 * kernel_test.py (Jupyter's jupyter_kernel_test conformance suite), behaviour_test.py (interrupts, errors,
 * rich results) and notebook_test.py (a notebook executed by nbclient, as nbconvert and run-all.sh do). The wrapper is registered as `tslab` in a temporary JUPYTER_PATH, so what is tested is the code
 * here, whatever kernel the machine has installed; a last test checks that the installed `tslab` is this wrapper.
 * Skipped, with the reason printed, when Debian's jupyter_client / jupyter_kernel_test are missing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO = path.resolve(__dirname, '../..');
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const WRAPPER = path.join(REPO, 'notebooks', 'kernel', 'bin', 'tslab-kernel');
/** Both Python suites take ~10 s here; the limit leaves room for a slow CI machine. */
const PYTHON_TIMEOUT_MS = 240_000;

/** Why the Python side cannot run here, or null when it can. */
function missingPrerequisite(): string | null {
  if (!fs.existsSync(PYTHON)) return `${PYTHON} not found (set PYTHON)`;
  const probe = spawnSync(PYTHON, ['-c', 'import jupyter_client, jupyter_kernel_test, nbclient'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    return `${PYTHON} lacks jupyter_client / jupyter_kernel_test / nbclient (apt: jupyter-client python3-jupyter-kernel-test python3-nbclient)`;
  }
  return null;
}

/** A JUPYTER_PATH directory holding a `tslab` kernelspec that starts this checkout's wrapper with this Node. */
function temporaryKernelspec(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tslab-kernelspec-'));
  const spec = path.join(root, 'kernels', 'tslab');
  fs.mkdirSync(spec, { recursive: true });
  const argv = [process.execPath, WRAPPER, 'kernel', '--config-path', '{connection_file}'];
  fs.writeFileSync(path.join(spec, 'kernel.json'), JSON.stringify({ argv, display_name: 'TypeScript', language: 'typescript' }));
  return root;
}

/** Runs `python -m unittest -v <file>` with the temporary kernelspec first on JUPYTER_PATH. */
function runPythonTests(file: string, jupyterPath: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, JUPYTER_PATH: jupyterPath, PYDEVD_DISABLE_FILE_VALIDATION: '1', PYTHONDONTWRITEBYTECODE: '1' };
    const child = spawn(PYTHON, ['-m', 'unittest', '-v', file], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), PYTHON_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Asserts a unittest run passed and ran at least `minimumTests` tests; shows the tail of its output if not. */
function assertPassed(run: { code: number | null; output: string }, minimumTests: number): void {
  const ran = Number(/^Ran (\d+) tests? in/m.exec(run.output)?.[1] ?? 0);
  const tail = run.output.split('\n').slice(-60).join('\n');
  assert.ok(run.code === 0 && /^OK\b/m.test(run.output), `Python kernel tests failed (exit ${run.code}):\n${tail}`);
  assert.ok(ran >= minimumTests, `only ${ran} tests ran:\n${tail}`);
}

const missing = missingPrerequisite();
if (missing) console.log(`tests/kernel/protocol.test.ts: skipping the Python kernel tests: ${missing}`);

const Protocol = suite('kernel protocol (Python clients)', { jupyterPath: '' });
Protocol.before((context) => {
  if (!missing) context.jupyterPath = temporaryKernelspec();
});
Protocol.after((context) => {
  if (context.jupyterPath) fs.rmSync(context.jupyterPath, { recursive: true, force: true });
});
const protocolTest = missing ? Protocol.skip : Protocol;

protocolTest("Jupyter's conformance suite (jupyter_kernel_test) passes: kernel_info, streams, execute_result, display_data, errors, completion, inspection, is_complete", async (context) => {
  assertPassed(await runPythonTests('tests/kernel/kernel_test.py', context.jupyterPath), 18);
});

protocolTest('interrupts stop async and sync loops, errors leave the kernel usable, tensors render rich', async (context) => {
  assertPassed(await runPythonTests('tests/kernel/behaviour_test.py', context.jupyterPath), 5);
});

protocolTest('a notebook run by nbclient keeps Out[n] results, rich tensors, streams and error outputs', async (context) => {
  assertPassed(await runPythonTests('tests/kernel/notebook_test.py', context.jupyterPath), 1);
});

Protocol.run();

const Installed = suite('the kernel registered for JupyterLab (the project venv)');

const VENV_PYTHON = path.join(REPO, '.venv', 'bin', 'python');
const COMMITTED_SPEC = path.join(REPO, 'notebooks', 'kernel', 'jupyter', 'kernels', 'tslab');

/** The kernel specs the venv's Jupyter sees (JUPYTER_PATH unset), or null without the venv's jupyter_client. */
const venvSpecs = (): Record<string, { resource_dir: string; spec: { argv: string[]; display_name: string } }> | null => {
  if (!fs.existsSync(VENV_PYTHON)) return null;
  const list = spawnSync(VENV_PYTHON, ['-c', 'import json; from jupyter_client.kernelspec import KernelSpecManager as K; print(json.dumps(K().get_all_specs()))'],
    { encoding: 'utf8', env: { ...process.env, JUPYTER_PATH: '', PYDEVD_DISABLE_FILE_VALIDATION: '1' } });
  return list.status === 0 ? JSON.parse(list.stdout) : null;
};
const specs = venvSpecs();
const requireLab = process.env.SIMCLR_REQUIRE_JUPYTERLAB === '1';
if (!specs) console.log('tests/kernel/protocol.test.ts: no .venv with jupyter_client (run .ci/setup-jupyterlab.sh), skipping the registered-kernel checks');

(specs || requireLab ? Installed : Installed.skip)('"TypeScript (tslab)" runs this wrapper by a path relative to the spec (no absolute path); no jslab', () => {
  assert.ok(specs, 'the venv\'s jupyter_client lists the kernels (.ci/setup-jupyterlab.sh)');
  const tslab = specs!.tslab;
  assert.ok(tslab, `a tslab kernel is registered: ${Object.keys(specs!).join(', ')}`);
  assert.is(tslab.spec.display_name, 'TypeScript (tslab)');
  assert.is(specs!.jslab, undefined, 'no JavaScript (jslab) kernel');
  assert.is(tslab.resource_dir, path.join(REPO, '.venv', 'share', 'jupyter', 'kernels', 'tslab'), 'the venv\'s spec is found first');
  const committed = JSON.parse(fs.readFileSync(path.join(COMMITTED_SPEC, 'kernel.json'), 'utf8'));
  assert.equal(tslab.spec.argv.slice(1), committed.argv.slice(1), 'the committed spec, re-pointed');
  const command = tslab.spec.argv[0];
  assert.ok(command.startsWith('{resource_dir}/'), command);
  assert.not.ok(tslab.spec.argv.some((arg) => arg.includes(REPO)), 'no absolute path of this checkout in the spec');
  // what Jupyter runs: {resource_dir} replaced by the folder the spec was found in (no symlink on the way)
  assert.is(path.resolve(command.replace('{resource_dir}', tslab.resource_dir)), WRAPPER);
  // and the committed spec, which notebooks/run-all.sh puts on JUPYTER_PATH for nbconvert
  assert.is(path.resolve(committed.argv[0].replace('{resource_dir}', COMMITTED_SPEC)), WRAPPER);
  assert.is(committed.display_name, 'TypeScript (tslab)');
});

(specs || requireLab ? Installed : Installed.skip)('the checkout moved elsewhere (with its .venv): the venv\'s spec runs the moved wrapper', () => {
  const moved = fs.mkdtempSync(path.join(os.tmpdir(), 'moved-checkout-'));
  try {
    const venvSpec = path.join('.venv', 'share', 'jupyter', 'kernels', 'tslab');
    fs.cpSync(path.join(REPO, venvSpec), path.join(moved, venvSpec), { recursive: true });
    fs.mkdirSync(path.join(moved, 'notebooks', 'kernel', 'bin'), { recursive: true });
    fs.copyFileSync(WRAPPER, path.join(moved, 'notebooks', 'kernel', 'bin', 'tslab-kernel'));
    const spec = JSON.parse(fs.readFileSync(path.join(moved, venvSpec, 'kernel.json'), 'utf8')) as { argv: string[] };
    const command = path.resolve(spec.argv[0].replace('{resource_dir}', path.join(moved, venvSpec)));
    assert.is(command, path.join(moved, 'notebooks', 'kernel', 'bin', 'tslab-kernel'));
    assert.ok(fs.existsSync(command));
  } finally {
    fs.rmSync(moved, { recursive: true, force: true });
  }
});

Installed.run();
