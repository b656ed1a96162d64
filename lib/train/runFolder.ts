/**
 * A training run's folder on disk: `checkpoint.ckpt` (the state to resume), `metrics.jsonl` (one record per
 * logged step, epoch and checkpoint) and `config.json` (the settings, for people). Helpers to see whether a
 * folder holds a run, to start over explicitly, and to rewind the metrics to a checkpoint so that a resumed
 * run's records follow on exactly as an uninterrupted run's would.
 */
import * as fs from 'fs';
import * as path from 'path';
import { removeStaleTemporaries, writeFileAtomic } from './atomicFile';

/** File names inside a run folder. */
export const RUN_FILES = { checkpoint: 'checkpoint.ckpt', metrics: 'metrics.jsonl', config: 'config.json' } as const;

/** The run files present in `dir` (names, in RUN_FILES order); empty when the folder is missing or holds no run. */
export function runFilesIn(dir: string): string[] {
  return Object.values(RUN_FILES).filter((name) => fs.existsSync(path.join(dir, name)));
}

/** Delete a run's files from `dir` (and temporary files left by interrupted writes). Other files stay. Returns what was removed. */
export function clearRun(dir: string): string[] {
  const removed: string[] = [];
  for (const name of Object.values(RUN_FILES)) {
    const file = path.join(dir, name);
    removed.push(...removeStaleTemporaries(file));
    if (fs.existsSync(file)) {
      fs.rmSync(file, { force: true });
      removed.push(file);
    }
  }
  return removed;
}

/**
 * Rewind a metrics JSONL file to a checkpoint: keep the records with `step <= step` (and records without a
 * step), drop later ones (written after the checkpoint by a run that was then killed) and any line that is not
 * complete JSON (a write cut short). Rewritten atomically, and only when something changes.
 * @returns how many records were kept and dropped.
 */
export function rewindMetrics(file: string, step: number): { kept: number; dropped: number } {
  if (!fs.existsSync(file)) return { kept: 0, dropped: 0 };
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.length > 0);
  const kept: string[] = [];
  for (const line of lines) {
    let record: { step?: unknown };
    try {
      record = JSON.parse(line);
    } catch {
      continue; // torn by a kill mid-append
    }
    if (typeof record?.step === 'number' && record.step > step) continue;
    kept.push(line);
  }
  const dropped = lines.length - kept.length;
  const endsCleanly = fs.readFileSync(file, 'utf8').endsWith('\n') || lines.length === 0;
  if (dropped > 0 || !endsCleanly) writeFileAtomic(file, [kept.map((line) => `${line}\n`).join('')]);
  return { kept: kept.length, dropped };
}
