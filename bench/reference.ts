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

export type TorchProbe = ReturnType<typeof probeTorch>;

/** Options of `findTorchPython`. */
export interface FindTorchOptions {
  /** Skip a torch older than this major version (e.g. 2: the PyTorch 2.x reference). Default: any. */
  minMajor?: number;
  /** How a candidate is probed (tests pass a fake). Default `probeTorch`. */
  probe?: (python: string) => TorchProbe;
}

/** The major version of a torch version string ('2.13.0+cpu' → 2, '1.13.0a0' → 1); NaN when unreadable. */
export function torchMajor(version: string | undefined): number {
  return Number.parseInt(version ?? '', 10);
}

/** The first of `candidates` whose `import torch` works (and is new enough); when none does, ok false and every candidate's reason. */
export function findTorchPython(candidates: string[] = pythonCandidates(), options: FindTorchOptions = {}): TorchProbe {
  const probe = options.probe ?? probeTorch;
  const failures: string[] = [];
  for (const python of candidates) {
    const found = probe(python);
    if (found.ok && options.minMajor !== undefined && !(torchMajor(found.torch) >= options.minMajor)) {
      failures.push(`${python} has torch ${found.torch}, older than ${options.minMajor}.x`);
      continue;
    }
    if (found.ok) return found;
    failures.push(found.reason);
  }
  const wanted = options.minMajor === undefined ? 'torch' : `torch >= ${options.minMajor}`;
  return { ok: false, python: candidates[0] ?? 'python3', reason: `no Python with ${wanted} found (${failures.join('; ')}); run bash bench/setup-torch.sh or set SIMCLR_PYTHON` };
}

/** Debian's Python, whose python3-torch (1.13 on bookworm) is the bench's second reference row. */
export const DEBIAN_PYTHON = '/usr/bin/python3';

/** The bench's two references: PyTorch 2.x (what users compare against) and Debian's PyTorch (a second row). */
export interface ReferencePythons {
  /** PyTorch 2.x: the first candidate with torch >= 2 (the project .venv after bench/setup-torch.sh). */
  current: TorchProbe;
  /** Debian's python3-torch, when /usr/bin/python3 has torch and it is not the same Python as `current`. */
  debian: TorchProbe;
}

/** Find both references (see ReferencePythons); never throws. */
export function findReferencePythons(candidates: string[] = pythonCandidates(), probe: (python: string) => TorchProbe = probeTorch): ReferencePythons {
  const current = findTorchPython(candidates, { minMajor: 2, probe });
  const debian = current.ok && current.python === DEBIAN_PYTHON
    ? { ok: false, python: DEBIAN_PYTHON, reason: `${DEBIAN_PYTHON} is already the PyTorch ${current.torch} row` }
    : probe(DEBIAN_PYTHON);
  return { current, debian };
}

/** Whether a reference ran: found, and its run (when tried) succeeded. */
export interface ReferenceOutcome {
  ok: boolean;
  /** Why not (empty when ok). */
  reason: string;
}

/**
 * What the bench prints in every result row about its references, and its exit code: a missing or failed
 * PyTorch 2.x reference is named in every row and makes the bench exit 1, unless `allowMissing` (the bench's
 * --allow-missing-reference) or the reference was turned off (--no-reference, `disabled`). A missing Debian row is
 * only named. Pure: tests call it without timing anything.
 */
export function referenceVerdict(current: ReferenceOutcome, debian: ReferenceOutcome, options: { allowMissing?: boolean; disabled?: boolean } = {}): { rowNote: string; exitCode: 0 | 1 } {
  if (options.disabled) return { rowNote: 'no reference: turned off (--no-reference)', exitCode: 0 };
  const notes: string[] = [];
  if (!current.ok) notes.push(`PyTorch 2.x reference could not run: ${current.reason}`);
  if (!debian.ok) notes.push(`Debian PyTorch reference could not run: ${debian.reason}`);
  return { rowNote: notes.join('; '), exitCode: !current.ok && !options.allowMissing ? 1 : 0 };
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
