import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { decodeNpy, encodeNpy, writeNpy } from '../../lib/data/npy';

const Npy = suite('npy encode/decode');

Npy('header follows the .npy 1.0 format: magic, version, 64-byte aligned dict ending in newline', () => {
  const bytes = encodeNpy(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  assert.is(bytes.toString('latin1', 0, 6), '\x93NUMPY');
  assert.is(bytes[6], 1);
  const headerLength = bytes.readUInt16LE(8);
  assert.is((10 + headerLength) % 64, 0);
  const header = bytes.toString('latin1', 10, 10 + headerLength);
  assert.match(header, /^\{'descr': '<f4', 'fortran_order': False, 'shape': \(2, 3\), \} *\n$/);
  assert.is(bytes.length, 10 + headerLength + 24);
});

Npy('round trip for float32 and int32, 1-D and 2-D; shape mismatch refused', () => {
  const f = decodeNpy(encodeNpy(new Float32Array([0.5, -1.25, 3e-8]), [3]));
  assert.equal(Array.from(f.values), [0.5, -1.25, Math.fround(3e-8)]);
  assert.equal(f.shape, [3]);
  const i = decodeNpy(encodeNpy(new Int32Array([-1, 7, 9, 2]), [2, 2]));
  assert.ok(i.values instanceof Int32Array);
  assert.equal(Array.from(i.values), [-1, 7, 9, 2]);
  assert.throws(() => encodeNpy(new Float32Array(5), [2, 3]), /needs 6 values, got 5/);
});

Npy('numpy.load reads what we write (when numpy is installed)', () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'npy-')), 'a.npy');
  writeNpy(file, new Float32Array([1.5, 2.5, 3.5, 4.5, 5.5, 6.5]), [3, 2]);
  const r = spawnSync('/usr/bin/python3', ['-c', `import numpy as np; a = np.load(${JSON.stringify(file)}); print(a.dtype, a.shape, float(a[2, 1]))`], { encoding: 'utf8' });
  if (r.status !== 0 && /No module named 'numpy'|ENOENT/.test(`${r.stderr}${r.error}`)) {
    console.log('  (skipped: numpy not installed)');
    return;
  }
  assert.is(r.stdout.trim(), 'float32 (3, 2) 6.5');
});

Npy.run();
