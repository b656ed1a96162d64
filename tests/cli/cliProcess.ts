/** Running the real `simclr` command in a child process, for the CLI tests (not a test file). */
import { spawnSync } from 'child_process';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '../..');
export const MAIN = path.join(ROOT, 'lib', 'cli', 'main.ts');
/** The environment of every child: SIMCLR_BACKEND cleared so that each test's --backend decides. */
export const CLI_ENV = { ...process.env, SIMCLR_BACKEND: '' };

/** Run `simclr ...args` to the end; its exit code, stdout and stderr. */
export function runCli(args: string[], timeoutMs = 180_000): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', MAIN, ...args], { cwd: ROOT, env: CLI_ENV, encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
