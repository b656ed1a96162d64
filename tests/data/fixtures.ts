/** Helpers for the data tests (not a test file): temporary folders and IDX bytes. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** IDX bytes: magic 00 00 08 <rank>, big-endian uint32 dims, then the data. */
export function idxBytes(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header[2] = 0x08;
  header[3] = dims.length;
  dims.forEach((d, k) => header.writeUInt32BE(d, 4 + 4 * k));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** A fresh empty folder under os.tmpdir(); remove it with removeTempDir. */
export function makeTempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `simclr-${prefix}-`));
}

export function removeTempDir(dir: string): void {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
