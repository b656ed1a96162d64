/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (LeCun et al., http://yann.lecun.com/exdb/mnist/),
 * plain or gzipped.
 *
 * Layout, all integers big-endian: bytes 0-1 zero; byte 2 the element type (0x08 = unsigned byte, the only
 * one used by (Fashion-)MNIST and the only one supported here); byte 3 the number of dimensions d; then d
 * int32 sizes; then the elements in row-major order from byte 4 + 4d. So the magic number read as one int32
 * is 2051 (0x00000803) for images (count, rows, cols; data from byte 16) and 2049 (0x00000801) for labels
 * (count; data from byte 8).
 */
import * as fs from 'fs';
import * as zlib from 'zlib';

/** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
export const IDX_IMAGES_MAGIC = 2051;
/** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
export const IDX_LABELS_MAGIC = 2049;

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  /** The file it came from (used in error messages). */
  file: string;
  magic: number;
  /** Sizes from the header, e.g. `[60000, 28, 28]`; `dims[0]` is the item count of the whole file. */
  dims: number[];
  /** The first `itemsRead` items, row-major (a view into the decoded buffer, no copy). */
  data: Uint8Array;
  /** Items in `data`: `dims[0]`, or fewer when `maxItems` was given. */
  itemsRead: number;
}

export interface IdxReadOptions {
  /** Expected magic number (2051 images, 2049 labels); anything else is an error naming the file. */
  expectedMagic?: number;
  /** Read at most this many items (default: all). Gzipped files are then only partly decompressed. */
  maxItems?: number;
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** gunzip a whole file strictly (bad header, bad data, bad CRC or a cut-off stream are errors naming the file). */
function gunzipAll(compressed: Buffer, file: string): Buffer {
  // The gzip trailer's last 4 bytes hold the uncompressed size mod 2^32 (RFC 1952). One output chunk of
  // that size + 1 lets zlib return its buffer without the concatenation copy (peak memory 1x, not 2x).
  // A damaged trailer can claim any size, so trust it only up to deflate's maximum ratio (about 1032:1).
  const expected = compressed.length >= 18 ? compressed.readUInt32LE(compressed.length - 4) : 0;
  const plausible = expected > 0 && expected <= 1032 * compressed.length && expected < 2 ** 31;
  let output: Buffer;
  try {
    output = zlib.gunzipSync(compressed, { chunkSize: plausible ? Math.max(64, expected + 1) : 64 * 1024 });
  } catch (error) {
    throw new Error(`${file}: corrupt or truncated gzip data (${(error as Error).message})`);
  }
  // If the trailer overstated the size, the result is a small view of a big allocation: copy it out.
  return output.buffer.byteLength > output.length + 64 * 1024 ? Buffer.from(output) : output;
}

/**
 * The first `neededBytes` of a gzipped file (or all of it, if shorter): decompress growing prefixes of the
 * compressed bytes (sync flush, so a cut stream is allowed) until enough output exists.
 */
function gunzipPrefix(compressed: Buffer, neededBytes: number, file: string): Buffer {
  let take = Math.min(compressed.length, Math.max(64 * 1024, Math.ceil(neededBytes / 2)));
  for (;;) {
    if (take >= compressed.length) return gunzipAll(compressed, file);
    let output: Buffer;
    try {
      output = zlib.gunzipSync(compressed.subarray(0, take), { finishFlush: zlib.constants.Z_SYNC_FLUSH });
    } catch (error) {
      throw new Error(`${file}: corrupt gzip data (${(error as Error).message})`);
    }
    if (output.length >= neededBytes) return output;
    take *= 2;
  }
}

function readHeaderFromBytes(bytes: Uint8Array, file: string, expectedMagic?: number): { magic: number; dims: number[]; headerBytes: number } {
  if (bytes.length < 4) throw new Error(`${file}: truncated: ${bytes.length} bytes, an IDX header needs at least 4`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getInt32(0, false);
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(`${file}: wrong magic number ${magic} (0x${(magic >>> 0).toString(16).padStart(8, '0')}), expected ${expectedMagic} — not an IDX ${expectedMagic === IDX_IMAGES_MAGIC ? 'images' : 'labels'} file`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) throw new Error(`${file}: wrong magic number ${magic}: the first two bytes of an IDX file must be zero`);
  if (bytes[2] !== 0x08) throw new Error(`${file}: unsupported IDX element type 0x${bytes[2].toString(16)}; only unsigned byte (0x08) is supported`);
  const rank = bytes[3];
  const headerBytes = 4 + 4 * rank;
  if (rank < 1 || bytes.length < headerBytes) {
    throw new Error(`${file}: truncated header: ${rank} dimensions need ${headerBytes} header bytes, file has ${bytes.length}`);
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  return { magic, dims, headerBytes };
}

/**
 * Parse IDX bytes already in memory (not gzipped). Checks magic, element type, and that the data is as long
 * as the header promises (for the first `maxItems` items when given). Errors name `file`.
 */
export function parseIdx(bytes: Uint8Array, file: string, options: IdxReadOptions = {}): IdxArray {
  const { magic, dims, headerBytes } = readHeaderFromBytes(bytes, file, options.expectedMagic);
  const itemBytes = dims.slice(1).reduce((a, b) => a * b, 1);
  const itemsRead = options.maxItems === undefined ? dims[0] : Math.min(dims[0], options.maxItems);
  const needed = headerBytes + itemsRead * itemBytes;
  if (bytes.length < needed) {
    throw new Error(
      `${file}: truncated: header says ${dims[0]} items of ${dims.slice(1).join('x') || '1'} bytes (${headerBytes + dims[0] * itemBytes} bytes in all), ` +
        `only ${bytes.length} bytes${options.maxItems !== undefined ? ` (${needed} needed for the first ${itemsRead})` : ''}`,
    );
  }
  const data = bytes.subarray(headerBytes, needed);
  return { file, magic, dims, data, itemsRead };
}

/**
 * Read an IDX file, gzipped or plain (detected from the gzip magic bytes 1f 8b, not the name).
 * With `maxItems`, a plain file is read only up to the bytes needed and a gzipped one only decompressed
 * that far (then a damaged tail goes unnoticed). Errors name the file: missing, wrong magic, truncated,
 * corrupt gzip.
 */
export function readIdxFile(file: string, options: IdxReadOptions = {}): IdxArray {
  const { maxItems } = options;
  if (maxItems !== undefined && (!Number.isInteger(maxItems) || maxItems < 0)) {
    throw new Error(`readIdxFile: maxItems must be a non-negative integer, got ${maxItems}`);
  }
  if (!fs.existsSync(file)) throw new Error(`${file}: missing (no such file)`);
  if (maxItems === undefined) {
    const raw = fs.readFileSync(file);
    return parseIdx(isGzip(raw) ? gunzipAll(raw, file) : raw, file, options);
  }
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(size, 64));
    fs.readSync(fd, head, 0, head.length, 0);
    if (isGzip(head)) {
      const compressed = fs.readFileSync(file);
      // Decompress the header first to learn the item size, then exactly as far as needed.
      const header = readHeaderFromBytes(gunzipPrefix(compressed, 64, file), file, options.expectedMagic);
      const itemBytes = header.dims.slice(1).reduce((a, b) => a * b, 1);
      const needed = header.headerBytes + Math.min(maxItems, header.dims[0]) * itemBytes;
      return parseIdx(gunzipPrefix(compressed, needed, file), file, options);
    }
    const header = readHeaderFromBytes(head.subarray(0, Math.min(size, 64)), file, options.expectedMagic);
    const itemBytes = header.dims.slice(1).reduce((a, b) => a * b, 1);
    const needed = Math.min(size, header.headerBytes + Math.min(maxItems, header.dims[0]) * itemBytes);
    const bytes = Buffer.alloc(needed);
    fs.readSync(fd, bytes, 0, needed, 0);
    return parseIdx(bytes, file, options);
  } finally {
    fs.closeSync(fd);
  }
}
