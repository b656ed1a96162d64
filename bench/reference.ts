/** Running the PyTorch reference (bench/reference/simclr_step.py) from Node, when python3 with torch exists. */
import { spawnSync } from 'child_process';
import * as path from 'path';

/** The reference's JSON line (see simclr_step.py). */
export interface ReferenceResult {
  model: string;
  with_views: boolean;
  images_per_second: number;
  step_ms_median: number;
  cpu_ms_per_step: number;
  device: string;
  threads: number;
  torch: string;
  peak_bytes: number | null;
}

const SCRIPT = path.join(__dirname, 'reference', 'simclr_step.py');
const ROOT = path.resolve(__dirname, '..');

/** Whether `python -c 'import torch'` works; the reason when not. */
export function probeTorch(python = 'python3'): { ok: boolean; reason: string; python: string; torch?: string } {
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, python, reason: `${python} not found (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, python, reason: `${python} has no torch: ${probe.stderr.trim().split('\n').pop()}` };
  return { ok: true, python, torch: probe.stdout.trim(), reason: `torch ${probe.stdout.trim()} (${python})` };
}

/**
 * The Pythons that may hold PyTorch, in the order they are tried: `$SIMCLR_PYTHON`, the project venv (`.venv`,
 * where bench/setup-torch.sh installs PyTorch 2.x), Debian's /usr/bin/python3 (python3-torch 1.13), then
 * `python3` on PATH (on our machines a pyenv Python without torch comes first on PATH).
 */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates = [env.SIMCLR_PYTHON, path.join(ROOT, '.venv', 'bin', 'python'), '/usr/bin/python3', 'python3'];
  return [...new Set(candidates.filter((p): p is string => !!p))];
}

/** The first of `candidates` whose `import torch` works; when none does, ok false and every candidate's reason. */
export function findTorchPython(candidates: string[] = pythonCandidates()): ReturnType<typeof probeTorch> {
  const failures: string[] = [];
  for (const python of candidates) {
    const probe = probeTorch(python);
    if (probe.ok) return probe;
    failures.push(probe.reason);
  }
  return { ok: false, python: candidates[0] ?? 'python3', reason: `no Python with torch found (${failures.join('; ')}); run bash bench/setup-torch.sh or set SIMCLR_PYTHON` };
}

/** Run the reference for one model and views setting (CPU threads: all cores unless given); throws with its stderr when it fails. */
export function runReference(model: string, withViews: boolean, steps: number, warmup: number, device = 'cpu', threads?: number, python = 'python3'): ReferenceResult {
  const args = [SCRIPT, '--model', model, '--views', withViews ? '1' : '0', '--steps', String(steps), '--warmup', String(warmup), '--device', device];
  if (threads !== undefined) args.push('--threads', String(threads));
  const result = spawnSync(python, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`PyTorch reference failed (${python} ${args.join(' ')}): ${result.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ReferenceResult;
}
