/**
 * NumPy `.npy` files (format version 1.0): magic `\x93NUMPY`, version 1.0, uint16 LE header length, an ASCII
 * Python-dict header padded with spaces to a multiple of 64 bytes and ending in '\n', then C-order data.
 * Read with `numpy.load(path)`.
 */
import * as fs from 'fs';
import * as path from 'path';

type NpyArray = Float32Array | Int32Array;

/** Serialise a float32 (`<f4`) or int32 (`<i4`) array of the given shape to .npy bytes. */
export function encodeNpy(values: NpyArray, shape: number[]): Buffer {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new Error(`encodeNpy: shape [${shape}] needs ${count} values, got ${values.length}`);
  const descr = values instanceof Float32Array ? '<f4' : '<i4';
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  return Buffer.concat([prefix, Buffer.from(header, 'latin1'), Buffer.from(values.buffer, values.byteOffset, values.byteLength)]);
}

/** Parse .npy bytes written by `encodeNpy` (or NumPy for `<f4`/`<i4` C-order arrays). */
export function decodeNpy(bytes: Buffer): { values: NpyArray; shape: number[] } {
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') throw new Error('decodeNpy: not a .npy file (bad magic)');
  const headerLength = bytes.readUInt16LE(8);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (/'fortran_order':\s*True/.test(header)) throw new Error('decodeNpy: Fortran-order arrays are not supported');
  const data = bytes.subarray(10 + headerLength);
  const copy = new Uint8Array(data.length);
  copy.set(data);
  if (descr === '<f4') return { values: new Float32Array(copy.buffer), shape };
  if (descr === '<i4') return { values: new Int32Array(copy.buffer), shape };
  throw new Error(`decodeNpy: unsupported dtype ${descr}`);
}

/** Write a .npy file atomically (temporary file, then rename). */
export function writeNpy(file: string, values: NpyArray, shape: number[]): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, encodeNpy(values, shape));
  fs.renameSync(tmp, file);
}
