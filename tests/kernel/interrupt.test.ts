import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as util from 'util';
import { kernelModule } from './kernelModules';

interface CellScope {
  interrupted: boolean;
  whenInterrupted: Promise<never>;
  interrupt(): void;
}
const interrupt = kernelModule<{
  CellScope: new () => CellScope;
  runInScope<T>(scope: CellScope, fn: () => T): T;
  currentScopeInterrupted(): boolean;
  installTimerGuards(target?: object): void;
  isAddonCallback(callback: Function): boolean;
}>('interrupt.js');

/** A private set of Node's timer functions, guarded without touching the process's globals. */
function guardedTimers() {
  const timers = { setTimeout, setImmediate, setInterval, clearTimeout, clearImmediate, clearInterval };
  interrupt.installTimerGuards(timers);
  return timers;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const Scope = suite('CellScope');

Scope('interrupt() sets the flag once and rejects whenInterrupted; code sees its own scope', async () => {
  const scope = new interrupt.CellScope();
  assert.not.ok(interrupt.runInScope(scope, () => interrupt.currentScopeInterrupted()));
  scope.interrupt();
  scope.interrupt();
  assert.ok(scope.interrupted);
  assert.ok(interrupt.runInScope(scope, () => interrupt.currentScopeInterrupted()));
  assert.not.ok(interrupt.currentScopeInterrupted(), 'outside the scope');
  try {
    await scope.whenInterrupted;
    assert.unreachable('should reject');
  } catch (error) {
    assert.is((error as Error).message, 'Interrupted');
  }
});

Scope.run();

const Guards = suite('installTimerGuards');

Guards('an async loop over setImmediate stops at its next step once its scope is interrupted; others keep running', async () => {
  const timers = guardedTimers();
  const scope = new interrupt.CellScope();
  const other = new interrupt.CellScope();
  const ticks = { cell: 0, other: 0 };
  const loop = async (key: 'cell' | 'other') => {
    for (;;) {
      ticks[key]++;
      await new Promise((resolve) => timers.setImmediate(resolve));
    }
  };
  void interrupt.runInScope(scope, () => loop('cell'));
  void interrupt.runInScope(other, () => loop('other'));
  await sleep(30);
  scope.interrupt();
  const atInterrupt = { ...ticks };
  await sleep(30);
  assert.ok(atInterrupt.cell > 5, `looped ${atInterrupt.cell} times before`);
  assert.ok(ticks.cell - atInterrupt.cell <= 1, `${ticks.cell - atInterrupt.cell} steps after the interrupt`);
  assert.ok(ticks.other > atInterrupt.other + 5, 'the other scope goes on');
  other.interrupt();
});

Guards('setTimeout callbacks of an interrupted scope are dropped; setInterval is cleared; unscoped timers run', async () => {
  const timers = guardedTimers();
  const scope = new interrupt.CellScope();
  const calls: string[] = [];
  interrupt.runInScope(scope, () => {
    timers.setTimeout(() => calls.push('timeout'), 5);
    timers.setInterval(() => calls.push('interval'), 2);
  });
  timers.setTimeout(() => calls.push('unscoped'), 5);
  await sleep(1);
  scope.interrupt();
  await sleep(30);
  assert.equal(calls, ['unscoped']);
});

Guards('util.promisify(setTimeout) of an interrupted scope never settles; a live scope gets its value', async () => {
  const timers = guardedTimers();
  const wait = util.promisify(timers.setTimeout) as unknown as (ms: number, value: string) => Promise<string>;
  const live = new interrupt.CellScope();
  assert.is(await interrupt.runInScope(live, () => wait(1, 'done')), 'done');
  const stopped = new interrupt.CellScope();
  const pending = interrupt.runInScope(stopped, () => wait(5, 'late'));
  stopped.interrupt();
  const outcome = await Promise.race([pending, sleep(40).then(() => 'still pending')]);
  assert.is(outcome, 'still pending');
});

Guards('guards keep the timer API: handles clear, extra arguments pass, non-function callbacks fail as before', async () => {
  const timers = guardedTimers();
  let ran = false;
  const handle = timers.setTimeout(() => (ran = true), 5);
  timers.clearTimeout(handle);
  const args: unknown[] = [];
  timers.setImmediate((a: number, b: string) => args.push(a, b), 1, 'x');
  await sleep(15);
  assert.not.ok(ran);
  assert.equal(args, [1, 'x']);
  assert.throws(() => timers.setTimeout('not a function' as never, 1), /callback/);
  assert.is(timers.setTimeout.name, 'setTimeout');
});

Guards.run();

const AddonCallback = suite('isAddonCallback');

AddonCallback('N-API functions (e.g. sharp’s binding) yes; promise resolvers, arrows, functions, bound and built-in functions no', () => {
  const napi = (require('sharp/lib/sharp') as Record<string, Function>).cache; // a function made by a native addon
  let resolve: Function = () => {};
  void new Promise((r) => (resolve = r));
  assert.ok(interrupt.isAddonCallback(napi));
  for (const fn of [resolve, () => 1, function named() {}, (() => 1).bind(null), console.log, Math.max, class A {}]) {
    assert.not.ok(interrupt.isAddonCallback(fn), String(fn));
  }
});

AddonCallback.run();

const Dawn = suite('timer guards with Dawn (npm webgpu)');

/** Dawn's GPU object, kept referenced: Dawn crashes if it is collected while its devices live. */
let dawnGpu: any = null;

/** A WebGPU device from Dawn (lavapipe on CPU-only machines), or null where none is available. */
async function dawnDevice(): Promise<any> {
  process.env.XDG_RUNTIME_DIR ??= require('os').tmpdir();
  try {
    const { create, globals } = require('webgpu');
    Object.assign(globalThis, globals);
    dawnGpu ??= create([]);
    const adapter = await dawnGpu.requestAdapter();
    return adapter ? await adapter.requestDevice() : null;
  } catch {
    return null;
  }
}

Dawn('GPU requests started in a cell that is then interrupted, and later ones, still complete (Dawn’s pump is not dropped)', async () => {
  interrupt.installTimerGuards(); // on globalThis: Dawn looks setImmediate up there
  const device = await dawnDevice();
  if (!device) {
    console.log('  (no WebGPU adapter here: Dawn check skipped)');
    return;
  }
  const g = globalThis as any;
  const read = () => device.createBuffer({ size: 16, usage: g.GPUBufferUsage.MAP_READ }).mapAsync(g.GPUMapMode.READ);
  const within = (promise: Promise<unknown>) => Promise.race([promise.then(() => 'done'), sleep(5000).then(() => 'hung')]);
  const scope = new interrupt.CellScope();
  const started = interrupt.runInScope(scope, () => [dawnGpu.requestAdapter().then((a: any) => a.requestDevice()), read()]);
  scope.interrupt(); // before any of Dawn's callbacks ran
  assert.equal(await Promise.all(started.map(within)), ['done', 'done']);
  assert.is(await within(interrupt.runInScope(new interrupt.CellScope(), read)), 'done');
  device.destroy();
});

Dawn.run();
