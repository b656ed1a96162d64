/**
 * A whole optimiser step in one call of the native addon (lib/native/optimizer.cc) on the wasm backend: every
 * variable and slot updated on the wasm heap, on all cores, instead of ~10 tfjs kernel calls (and as many new tensors)
 * per variable. lib/train's optimisers use it when it applies and their op-by-op rules otherwise.
 *
 * Each variable and slot gets a new buffer, as `Variable.assign` gives it: the old values are copied into a new
 * tensor, the addon updates that copy in place, and the variable is assigned it. Never the old buffer in place: tfjs
 * tensors do not change once written, and the wasm backend caches what it derives from one under its id until the
 * tensor is disposed (its matMul packs the weights b and the bias into an XNNPACK operator, so a Dense layer written
 * in place kept computing with its first weights: 2026-12-06, the fused step did not train inside SimclrTrainer).
 */
import * as tf from '@tensorflow/tfjs';
import { loadNativeAddon } from './native';
import { floatsOnHeap, WasmHeapBackend } from './wasmHeap';

/** The addon's rule numbers. */
const RULES = { sgd: 0, adam: 1, lars: 2 } as const;

/** Scalars per rule, in the addon's order (see optimizer.cc). */
const SCALAR_COUNTS = { sgd: 3, adam: 9, lars: 4 } as const;

export type FusedRule = keyof typeof RULES;

/** One variable's part of a fused step. */
export interface FusedVariableUpdate {
  /** Assigned its new value (a new tensor). */
  variable: tf.Variable;
  /** Read only; the variable's shape. */
  gradient: tf.Tensor;
  /** The rule's slots, each assigned its new value: [velocity] (SGD with momentum, LARS), [m, v] (AdamW), [] (plain SGD). */
  slots: tf.Variable[];
  /** Bit 0: decay this variable; bit 1 (LARS): scale its rate by the trust ratio. */
  flags: number;
}

type RefCountingBackend = WasmHeapBackend & { refCount(dataId: tf.DataId): number };

/** The addon, when a fused step can run at all now: backend 'wasm' active and the addon loaded. */
function fusableAddon() {
  if (tf.getBackend() !== 'wasm') return undefined;
  return loadNativeAddon().addon;
}

/** Whether `fusedOptimizerStep` may apply now (wasm backend with the addon built); it still checks each tensor. */
export function fusedOptimizerAvailable(): boolean {
  return fusableAddon() !== undefined;
}

/**
 * Apply one step of `rule` to every update in one addon call, or do nothing and return false when it cannot:
 * backend not wasm, addon missing, or a tensor not float32 or not on the wasm backend. Variables and slots are
 * assigned new tensors (see the top of this file); another tensor sharing a variable's old buffer keeps its values.
 * @param scalars the rule's scalars as the op-by-op rule passes them to tfjs (the addon rounds each to float32,
 *   as tf.scalar does): sgd [η, μ, λ]; adam [η, β1, 1 − β1, β2, 1 − β2, 1 − β1^t, 1 − β2^t, ε, λ]; lars [η, μ, λ, η_trust].
 */
export function fusedOptimizerStep(rule: FusedRule, scalars: number[], updates: FusedVariableUpdate[]): boolean {
  const addon = fusableAddon();
  if (!addon || updates.length === 0) return false;
  if (scalars.length !== SCALAR_COUNTS[rule]) throw new Error(`fusedOptimizerStep: ${rule} takes ${SCALAR_COUNTS[rule]} scalars, got ${scalars.length}`);
  const slotCount = updates[0].slots.length;
  const backend = tf.backend() as unknown as RefCountingBackend;
  const onWasm = (t: tf.Tensor) => t.dtype === 'float32' && backend.refCount(t.dataId) >= 1;
  for (const { variable, gradient, slots } of updates) {
    if (slots.length !== slotCount || !onWasm(variable) || !onWasm(gradient) || !slots.every(onWasm)) return false;
  }
  tf.tidy(() => {
    // (variable or slot, its new value): allocated first, since allocating can replace the heap's buffer.
    const targets = updates.flatMap((u) => [u.variable, ...u.slots]);
    const next = new Map(targets.map((t) => [t, tf.engine().makeTensorFromTensorInfo(backend.makeOutput(t.shape, 'float32'))]));
    for (const [target, value] of next) floatsOnHeap(backend, value).set(floatsOnHeap(backend, target));
    const views = (pick: (u: FusedVariableUpdate) => tf.Variable | undefined) => updates.flatMap((u) => {
      const t = pick(u);
      return t ? [floatsOnHeap(backend, next.get(t)!)] : [];
    });
    addon.optimizerStep(
      RULES[rule],
      Float64Array.from(scalars),
      Uint8Array.from(updates.map((u) => u.flags)),
      views((u) => u.variable),
      updates.map((u) => floatsOnHeap(backend, u.gradient)),
      views((u) => u.slots[0]),
      views((u) => u.slots[1]),
    );
    for (const [target, value] of next) target.assign(value); // the old buffer is freed (and its cached operators) once unused
  });
  return true;
}
