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

/** Whether `python3 -c 'import torch'` works; the reason when not. */
export function probeTorch(python = 'python3'): { ok: boolean; reason: string } {
  const probe = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  if (probe.error) return { ok: false, reason: `${python} not found (${probe.error.message})` };
  if (probe.status !== 0) return { ok: false, reason: `${python} has no torch: ${probe.stderr.trim().split('\n').pop()}` };
  return { ok: true, reason: `torch ${probe.stdout.trim()}` };
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
