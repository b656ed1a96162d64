/**
 * Limited-memory BFGS in float64 for smooth unconstrained minimisation (Nocedal & Wright, Numerical
 * Optimization, 2nd ed., Algorithm 7.4 two-loop recursion + 7.5), with a backtracking Armijo line search.
 * Pure JS, no tfjs: deterministic to the bit on every backend and machine.
 */
import { checkPositiveInteger, withDefaults } from '../options';

/** Writes ∇f(x) into `gradient` and returns f(x). Must not keep references to `x` or `gradient`. */
export type ObjectiveFunction = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  /** Iteration cap (one line search each). 1000: ample for convex probes of D ≤ 1000; hitting it is reported. */
  maxIterations?: number;
  /** Stop when max_k |∇f(x)_k| ≤ tolerance (the first-order optimality condition, ∞-norm, as SciPy's pgtol). */
  tolerance?: number;
  /** Number of (s, y) pairs kept. 10: the usual choice; more rarely helps for well-scaled convex problems. */
  memory?: number;
}

/** Why the minimiser stopped: optimality reached, iteration cap, or no step could lower f (precision limit). */
export type LbfgsStopReason = 'gradientTolerance' | 'maxIterations' | 'lineSearchFailed';

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  /** ∞-norm of the gradient at `x`. */
  gradientNorm: number;
  iterations: number;
  functionEvaluations: number;
  /** True iff gradientNorm ≤ tolerance. */
  converged: boolean;
  stopReason: LbfgsStopReason;
}

const DEFAULTS: Required<LbfgsOptions> = { maxIterations: 1000, tolerance: 1e-5, memory: 10 };
const ARMIJO_C1 = 1e-4; // sufficient decrease: f(x + αd) ≤ f(x) + c1·α·∇f·d (Nocedal & Wright's usual value)
const MAX_BACKTRACKS = 40; // 40 halvings shrink the step by ~1e-12: beyond that float64 cannot tell f apart

/**
 * Minimise f from x0 with L-BFGS. Each iteration: direction d = −H∇f by the two-loop recursion (initial
 * Hessian scale γ = sᵀy / yᵀy; the first step is the unit-length steepest-descent step), then backtracking
 * from α = 1 until the Armijo condition holds (quadratic-interpolation step cuts, kept within [0.1α, 0.5α]).
 * Pairs with sᵀy ≤ 1e-12·yᵀy are skipped so the inverse-Hessian estimate stays positive definite.
 * @param x0 starting point (not modified).  @returns the final point and how the run ended.
 */
export function minimizeLbfgs(objective: ObjectiveFunction, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const { maxIterations, tolerance, memory } = withDefaults(DEFAULTS, options);
  if (!Number.isInteger(maxIterations) || maxIterations < 0) throw new Error(`minimizeLbfgs: maxIterations must be an integer ≥ 0, got ${maxIterations}`);
  if (!(tolerance >= 0)) throw new Error(`minimizeLbfgs: tolerance must be ≥ 0, got ${tolerance}`);
  checkPositiveInteger('minimizeLbfgs: memory', memory);
  const n = x0.length;
  let x = Float64Array.from(x0);
  let gradient = new Float64Array(n);
  let value = objective(x, gradient);
  let evaluations = 1;
  if (!Number.isFinite(value)) throw new Error(`minimizeLbfgs: the objective is ${value} at the starting point`);
  const sHistory: Float64Array[] = [];
  const yHistory: Float64Array[] = [];
  const rhoHistory: number[] = [];
  const direction = new Float64Array(n);
  let candidate = new Float64Array(n);
  let candidateGradient = new Float64Array(n);
  let iterations = 0;
  let stopReason: LbfgsStopReason = 'maxIterations';
  while (true) {
    if (infinityNorm(gradient) <= tolerance) { stopReason = 'gradientTolerance'; break; }
    if (iterations >= maxIterations) { stopReason = 'maxIterations'; break; }
    twoLoopDirection(gradient, sHistory, yHistory, rhoHistory, direction);
    let slope = dot(gradient, direction);
    if (!(slope < 0)) {
      // Lost descent through rounding: restart from steepest descent.
      sHistory.length = 0; yHistory.length = 0; rhoHistory.length = 0;
      twoLoopDirection(gradient, sHistory, yHistory, rhoHistory, direction);
      slope = dot(gradient, direction);
    }
    let step = 1;
    let accepted = false;
    let newValue = NaN;
    for (let trial = 0; trial < MAX_BACKTRACKS; trial++) {
      for (let k = 0; k < n; k++) candidate[k] = x[k] + step * direction[k];
      newValue = objective(candidate, candidateGradient);
      evaluations++;
      if (newValue <= value + ARMIJO_C1 * step * slope) { accepted = true; break; }
      // Minimiser of the quadratic through f(x), slope and f(x + step·d), kept in [0.1, 0.5]·step.
      const quadratic = Number.isFinite(newValue) ? (-slope * step * step) / (2 * (newValue - value - slope * step)) : 0.1 * step;
      step = Math.min(0.5 * step, Math.max(0.1 * step, quadratic));
    }
    if (!accepted || !(newValue < value || infinityNorm(candidateGradient) < infinityNorm(gradient))) {
      stopReason = 'lineSearchFailed';
      break;
    }
    iterations++;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let k = 0; k < n; k++) { s[k] = candidate[k] - x[k]; y[k] = candidateGradient[k] - gradient[k]; }
    const sy = dot(s, y);
    const yy = dot(y, y);
    if (sy > 1e-12 * yy && yy > 0) {
      if (sHistory.length === memory) { sHistory.shift(); yHistory.shift(); rhoHistory.shift(); }
      sHistory.push(s); yHistory.push(y); rhoHistory.push(1 / sy);
    }
    [x, candidate] = [candidate, x];
    [gradient, candidateGradient] = [candidateGradient, gradient];
    value = newValue;
  }
  const gradientNorm = infinityNorm(gradient);
  return { x, value, gradientNorm, iterations, functionEvaluations: evaluations, converged: gradientNorm <= tolerance, stopReason };
}

/** d = −H_k g by the two-loop recursion; with no history, d = −g/‖g‖₂ (a unit step to start). */
function twoLoopDirection(g: Float64Array, sHistory: Float64Array[], yHistory: Float64Array[], rho: number[], d: Float64Array): void {
  const n = g.length;
  const m = sHistory.length;
  for (let k = 0; k < n; k++) d[k] = -g[k];
  if (m === 0) {
    const norm = Math.sqrt(dot(g, g));
    if (norm > 0) for (let k = 0; k < n; k++) d[k] /= norm;
    return;
  }
  const alpha = new Float64Array(m);
  for (let i = m - 1; i >= 0; i--) {
    alpha[i] = rho[i] * dot(sHistory[i], d);
    const y = yHistory[i];
    for (let k = 0; k < n; k++) d[k] -= alpha[i] * y[k];
  }
  const gamma = dot(sHistory[m - 1], yHistory[m - 1]) / dot(yHistory[m - 1], yHistory[m - 1]);
  for (let k = 0; k < n; k++) d[k] *= gamma;
  for (let i = 0; i < m; i++) {
    const beta = rho[i] * dot(yHistory[i], d);
    const s = sHistory[i];
    for (let k = 0; k < n; k++) d[k] += (alpha[i] - beta) * s[k];
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < a.length; k++) sum += a[k] * b[k];
  return sum;
}

function infinityNorm(a: Float64Array): number {
  let max = 0;
  for (let k = 0; k < a.length; k++) { const v = Math.abs(a[k]); if (v > max) max = v; }
  return max;
}
