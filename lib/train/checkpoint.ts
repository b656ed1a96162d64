/**
 * Checkpoint files: one binary file holding a JSON header (config, step, RNG and optimiser metadata) and
 * the float32 values of every named array (model weights, optimiser slots), sealed by a checksum.
 *
 * Layout (format version 2): 8-byte magic `SIMCLRCK`, uint32 LE format version, uint32 LE header length H,
 * H bytes of UTF-8 JSON, zero padding to a multiple of 4, the arrays back to back (little-endian float32) in
 * header order, then the 32-byte SHA-256 of every byte before it. Reading verifies the checksum, so a file
 * damaged after it was written (a bad disk, a copy cut short, bytes overwritten) is refused instead of
 * loading silently. Version 1 files (before the checksum) still load; they cannot be verified.
 *
 * Writes are atomic and durable (`writeFileAtomic`: temporary file in the same folder, fsync, rename, fsync of
 * the folder): an interrupted write never damages the previous checkpoint, a failed write leaves no debris, and
 * a temporary file left by a process killed mid-write is removed by the next write.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import { writeFileAtomic } from './atomicFile';

const MAGIC = 'SIMCLRCK';
/** Bumped when the layout changes. 2: SHA-256 trailer. */
export const CHECKPOINT_VERSION = 2;
/** Versions this library reads. */
const READABLE_VERSIONS = [1, 2];
const CHECKSUM_BYTES = 32;

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

/** A checkpoint file that exists but cannot be trusted: wrong magic, version, size, header or checksum. */
export class CheckpointError extends Error {
  constructor(readonly file: string, message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

function product(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Write a checkpoint atomically and durably (see `writeFileAtomic`), with a SHA-256 trailer. Creates the folder.
 * @throws when an array's length does not match its shape (nothing is written then); when writing or renaming
 *   fails (the temporary file is removed and the previous checkpoint is untouched).
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

  const parts: Uint8Array[] = [prefix, ...data.arrays.map((a) => new Uint8Array(a.values.buffer, a.values.byteOffset, a.values.byteLength))];
  const hash = createHash('sha256');
  parts.forEach((part) => hash.update(part));
  writeFileAtomic(file, [...parts, hash.digest()]);
}

/**
 * Read a checkpoint written by `writeCheckpoint`, verifying its checksum (format 2).
 * @throws an Error naming the file when it is missing; a CheckpointError naming the file when it is not a
 *   checkpoint, of another version, truncated, padded, has a corrupt header, or its checksum does not match.
 */
export function readCheckpoint<H = Record<string, unknown>>(file: string): CheckpointData<H> {
  if (!fs.existsSync(file)) throw new Error(`readCheckpoint: no checkpoint at ${file}`);
  const bytes = fs.readFileSync(file);
  const fail = (why: string): never => {
    throw new CheckpointError(file, `readCheckpoint: ${file} ${why}`);
  };
  if (bytes.length < 16 || bytes.toString('latin1', 0, 8) !== MAGIC) fail('is not a simclr-workbench checkpoint (bad magic)');
  const version = bytes.readUInt32LE(8);
  if (!READABLE_VERSIONS.includes(version)) fail(`has format version ${version}; this library reads versions ${READABLE_VERSIONS.join(' and ')}`);
  const trailer = version >= 2 ? CHECKSUM_BYTES : 0;
  const jsonLength = bytes.readUInt32LE(12);
  if (16 + jsonLength > bytes.length - trailer) fail(`is truncated (header needs ${jsonLength} bytes)`);
  let stored: StoredHeader<H> = { header: {} as H, arrays: [] };
  try {
    stored = JSON.parse(bytes.toString('utf8', 16, 16 + jsonLength));
  } catch (err) {
    fail(`has a corrupt header: ${(err as Error).message}`);
  }
  if (!stored || !Array.isArray(stored.arrays)) fail('has a corrupt header: no array table');
  let offset = 16 + jsonLength;
  offset += (4 - (offset % 4)) % 4;
  const needed = offset + 4 * stored.arrays.reduce((s, a) => s + a.length, 0) + trailer;
  if (bytes.length !== needed) fail(`is truncated or has trailing bytes (${bytes.length} bytes, expected ${needed})`);
  if (trailer > 0) {
    const body = bytes.subarray(0, bytes.length - trailer);
    if (!createHash('sha256').update(body).digest().equals(bytes.subarray(bytes.length - trailer))) {
      fail('is damaged: its SHA-256 checksum does not match its contents (the file was changed or corrupted after it was written); it cannot be used');
    }
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
