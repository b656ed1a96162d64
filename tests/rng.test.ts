import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Rng } from '../lib/rng';

const Determinism = suite('Rng determinism');

Determinism('same seed gives the same stream; different seeds differ', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const sa = Array.from({ length: 20 }, () => a.nextUint32());
  const sb = Array.from({ length: 20 }, () => b.nextUint32());
  const sc = Array.from({ length: 20 }, () => c.nextUint32());
  assert.equal(sa, sb);
  assert.not.equal(sa, sc);
});

Determinism('getState/setState resumes the stream exactly', () => {
  const a = new Rng(123);
  for (let i = 0; i < 5; i++) a.next();
  const saved = a.getState();
  const tail1 = Array.from({ length: 10 }, () => a.next());
  const b = new Rng(0);
  b.setState(saved);
  const tail2 = Array.from({ length: 10 }, () => b.next());
  assert.equal(tail1, tail2);
  assert.throws(() => b.setState([1, 2, 3] as any), /four uint32/);
});

Determinism.run();

const Distribution = suite('Rng distributions');

Distribution('uniform mean and variance are those of U(0,1); normal has mean 0, variance 1', () => {
  const r = new Rng(1);
  const n = 200000;
  let s = 0, s2 = 0, m = 0, m2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    s += u; s2 += u * u;
    const g = r.normal();
    m += g; m2 += g * g;
  }
  const mean = s / n, variance = s2 / n - mean * mean;
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(variance - 1 / 12) < 0.002, `variance ${variance}`);
  assert.ok(Math.abs(m / n) < 0.01, `normal mean ${m / n}`);
  assert.ok(Math.abs(m2 / n - 1) < 0.02, `normal variance ${m2 / n}`);
});

Distribution('permutation contains every index once; int stays in range', () => {
  const r = new Rng(3);
  const p = Array.from(r.permutation(1000)).sort((x, y) => x - y);
  assert.equal(p, Array.from({ length: 1000 }, (_, i) => i));
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 50000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `counts ${counts}`);
  assert.throws(() => r.int(0), /positive integer/);
});

Distribution.run();

const State = suite('Rng state words');

State('getState always returns uint32 words that setState accepts, after many draws', () => {
  const r = new Rng(5);
  for (let i = 0; i < 10000; i++) {
    r.nextUint32();
    if (i % 97 === 0) {
      const s = r.getState();
      assert.ok(s.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff), `state ${s}`);
      new Rng(0).setState(s);
    }
  }
});

State.run();
