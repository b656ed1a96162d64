/**
 * Checkpoint files: one binary file holding a JSON header (config, step, RNG and optimiser metadata) and
 * the float32 values of every named array (model weights, optimiser slots).
 *
 * Layout: 8-byte magic `SIMCLRCK`, uint32 LE format version, uint32 LE header length H, H bytes of UTF-8
 * JSON, zero padding to a multiple of 4, then the arrays back to back (little-endian float32) in header order.
 * Writes are atomic: the file is written to `<path>.tmp-<pid>`, fsync'ed, then renamed over `<path>`, so
 * an interrupted write never damages the previous checkpoint.
 */
import * as fs from 'fs';
import * as path from 'path';

const MAGIC = 'SIMCLRCK';
/** Bumped when the layout changes. */
export const CHECKPOINT_VERSION = 1;

/** One named float32 array with its shape. */
export interface NamedArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** What a checkpoint file holds: a JSON-serialisable header plus named arrays. */
export interface CheckpointData<H = Record<string, unknown>> {
  header: H;
  arrays: NamedArray[];
}

interface StoredHeader<H> {
  header: H;
  arrays: { name: string; shape: number[]; length: number }[];
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Write a checkpoint atomically (temporary file + fsync + rename). Creates the parent directory.
 * @throws when an array's length does not match its shape (nothing is written then).
 */
export function writeCheckpoint<H>(file: string, data: CheckpointData<H>): void {
  for (const a of data.arrays) {
    if (a.values.length !== product(a.shape)) {
      throw new Error(`writeCheckpoint: array '${a.name}' has ${a.values.length} values but shape [${a.shape}] needs ${product(a.shape)}`);
    }
  }
  const stored: StoredHeader<H> = { header: data.header, arrays: data.arrays.map((a) => ({ name: a.name, shape: a.shape, length: a.values.length })) };
  const json = Buffer.from(JSON.stringify(stored), 'utf8');
  const pad = (4 - ((16 + json.length) % 4)) % 4;
  const prefix = Buffer.alloc(16 + json.length + pad);
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(CHECKPOINT_VERSION, 8);
  prefix.writeUInt32LE(json.length, 12);
  json.copy(prefix, 16);

  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, prefix);
    for (const a of data.arrays) {
      fs.writeSync(fd, new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength));
    }
    fs.fsyncSync(fd);
  } catch (err) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
}

/**
 * Read a checkpoint written by `writeCheckpoint`.
 * @throws a clear error naming the file when it is missing, not a checkpoint, of another version, or truncated.
 */
export function readCheckpoint<H = Record<string, unknown>>(file: string): CheckpointData<H> {
  if (!fs.existsSync(file)) throw new Error(`readCheckpoint: no checkpoint at ${file}`);
  const bytes = fs.readFileSync(file);
  if (bytes.length < 16 || bytes.toString('latin1', 0, 8) !== MAGIC) {
    throw new Error(`readCheckpoint: ${file} is not a simclr-workbench checkpoint (bad magic)`);
  }
  const version = bytes.readUInt32LE(8);
  if (version !== CHECKPOINT_VERSION) {
    throw new Error(`readCheckpoint: ${file} has format version ${version}; this library reads version ${CHECKPOINT_VERSION}`);
  }
  const jsonLength = bytes.readUInt32LE(12);
  if (16 + jsonLength > bytes.length) throw new Error(`readCheckpoint: ${file} is truncated (header needs ${jsonLength} bytes)`);
  let stored: StoredHeader<H>;
  try {
    stored = JSON.parse(bytes.toString('utf8', 16, 16 + jsonLength));
  } catch (err) {
    throw new Error(`readCheckpoint: ${file} has a corrupt header: ${(err as Error).message}`);
  }
  let offset = 16 + jsonLength;
  offset += (4 - (offset % 4)) % 4;
  const needed = offset + 4 * stored.arrays.reduce((s, a) => s + a.length, 0);
  if (bytes.length !== needed) {
    throw new Error(`readCheckpoint: ${file} is truncated or has trailing bytes (${bytes.length} bytes, expected ${needed})`);
  }
  const arrays: NamedArray[] = stored.arrays.map((a) => {
    // Copy into a fresh aligned buffer: the file buffer's offset may not be 4-byte aligned.
    const values = new Float32Array(a.length);
    new Uint8Array(values.buffer).set(bytes.subarray(offset, offset + 4 * a.length));
    offset += 4 * a.length;
    return { name: a.name, shape: a.shape, values };
  });
  return { header: stored.header, arrays };
}
