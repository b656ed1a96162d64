/**
 * Durable, atomic file replacement: the bytes go to `<file>.tmp-<pid>` in the same folder, are fsync'ed,
 * renamed over `<file>`, and the folder is fsync'ed so the rename itself survives a crash or power cut.
 * Readers see the old file or the new one, never a mix. A failed write removes its temporary file; one left
 * by a process killed mid-write is removed by the next write to the same file.
 */
import * as fs from 'fs';
import * as path from 'path';

/** True when a process with this id is running (or exists but is not ours to signal). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Remove `<file>.tmp-<pid>` files whose writing process no longer runs (it was killed mid-write). Files of a
 * live process (another writer, or this one) are left alone. Returns the paths removed.
 */
export function removeStaleTemporaries(file: string): string[] {
  const dir = path.dirname(path.resolve(file));
  const prefix = `${path.basename(file)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(name.slice(prefix.length));
    if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || processAlive(pid))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(path.join(dir, name));
  }
  return removed;
}

/** fsync a folder so that a rename inside it is durable (skipped where folders cannot be opened, e.g. Windows). */
function fsyncFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Replace `file` with `parts` (written back to back) atomically and durably, creating its folder.
 * @throws when writing, syncing or renaming fails; the temporary file is removed and `file` is untouched.
 */
export function writeFileAtomic(file: string, parts: (Uint8Array | string)[]): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  removeStaleTemporaries(file);
  const tmp = `${file}.tmp-${process.pid}`;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w');
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
      let written = 0;
      while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncFolder(dir);
}
