// The linear probe's objective: softmax regression's regularised mean cross-entropy and its gradient, in float64,
// the formula of softmaxRegressionObjective in lib/probe/logisticRegression.ts (its JavaScript path is the reference):
//   L(W, b) = (1/n) Σ_i [logsumexp_c(s_ic) − s_{i,y_i}] + (λ/2)‖W‖²_F,   s_ic = W_c·x_i + b_c,
//   ∂L/∂W_c = (1/n) Σ_i (p_ic − [y_i = c]) x_i + λ W_c,   ∂L/∂b_c = (1/n) Σ_i (p_ic − [y_i = c]).
//
// Deterministic whatever the thread count or timing: rows are cut into blocks of kBlockRows (a constant, not a
// function of the threads); each block's partial loss and gradient is computed by one thread, in row order, into its
// own slot; the slots are then added on one thread in block order. Agrees with the JavaScript path to ~1e-12 relative,
// not bit for bit: each dot product sums kLanes interleaved partial sums, and p_ic = exp(s_ic − max) / Σ exp(· − max)
// rather than exp(s_ic − logsumexp). Vectorised with GCC's vector extensions (lane-wise IEEE operations, no fused
// multiply-add under -ffp-contract=off); the block kernel is compiled for AVX2 and for the build's baseline
// (target_clones, chosen by the CPU at load), which give the same bits.
//
// softmaxRegressionObjective(features: Float32Array (n·D), labels: Int32Array (n), dim, numClasses, l2,
//                            parameters: Float64Array (C·D + C: W row-major, then b), gradient: Float64Array (same),
//                            threads: 0 for OpenMP's default) → L; gradient overwritten.
#include "addon.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#pragma GCC diagnostic ignored "-Wpsabi"  // Vec is never passed across a non-inlined call

namespace simclr_native {
namespace {

// Rows per block: the unit of work per thread and of the fixed-order reduction (8,000 rows: 32 blocks).
constexpr int64_t kBlockRows = 256;
// Interleaved partial sums per dot product: one Vec.
constexpr int kLanes = 4;
// Rows whose scores share each weight load and whose gradient terms share each load and store of G: 8 accumulators
// fill half of AVX2's registers. The block's last rows (fewer than 8) go one by one.
constexpr int kGroupRows = 8;

struct Problem {
  const float* features;
  const int32_t* labels;
  int64_t count, dim, classes;
  const double* weights;
  const double* bias;
};

// Four doubles, operated on lane by lane (GCC/Clang vector extensions): two SSE2 registers, one AVX2 register.
// Each lane is its own sequence of IEEE operations, so the result does not depend on the instructions chosen.
typedef double Vec __attribute__((vector_size(32)));

__attribute__((always_inline)) inline Vec load(const double* from) {
  Vec v;
  std::memcpy(&v, from, sizeof v);
  return v;
}

__attribute__((always_inline)) inline void store(double* to, const Vec& v) { std::memcpy(to, &v, sizeof v); }

// scores[r·C + c] = b_c + W_c · x_r for the R rows x[0..R): kLanes partial sums per row (lane k sums the j ≡ k mod 4),
// added in a fixed order.
template <int R>
__attribute__((always_inline)) inline void scoreRows(const Problem& p, const double* const* x, double* scores) {
  const int64_t dim = p.dim, lanesEnd = dim - dim % kLanes;
  for (int64_t c = 0; c < p.classes; c++) {
    const double* w = p.weights + c * dim;
    Vec partial[R] = {};
    for (int64_t j = 0; j < lanesEnd; j += kLanes) {
      const Vec weights = load(w + j);
      for (int r = 0; r < R; r++) partial[r] += weights * load(x[r] + j);
    }
    for (int r = 0; r < R; r++) {
      double tail = 0;
      for (int64_t j = lanesEnd; j < dim; j++) tail += w[j] * x[r][j];
      scores[r * p.classes + c] = (((partial[r][0] + partial[r][1]) + (partial[r][2] + partial[r][3])) + tail) + p.bias[c];
    }
  }
}

// Turns row r's scores into residuals p_rc − [y_r = c] in place; adds its cross-entropy to *loss and its residuals
// to biasGradient.
__attribute__((always_inline)) inline void residualRow(const Problem& p, int32_t label, double* s, double* loss, double* biasGradient) {
  const int64_t classes = p.classes;
  double maxScore = s[0];
  for (int64_t c = 1; c < classes; c++) maxScore = std::max(maxScore, s[c]);
  const double labelScore = s[label];
  double sumExp = 0;
  for (int64_t c = 0; c < classes; c++) {
    s[c] = std::exp(s[c] - maxScore);
    sumExp += s[c];
  }
  *loss += (maxScore + std::log(sumExp)) - labelScore;
  for (int64_t c = 0; c < classes; c++) {
    const double residual = s[c] / sumExp - (c == label ? 1.0 : 0.0);
    s[c] = residual;
    biasGradient[c] += residual;
  }
}

// G_c += Σ_r R[r, c] x_r for the R rows x[0..R), one sum per G element (the rows in order, then added to G).
template <int R>
__attribute__((always_inline)) inline void accumulateRows(const Problem& p, const double* const* x, const double* residuals, double* gradient) {
  const int64_t dim = p.dim, lanesEnd = dim - dim % kLanes;
  for (int64_t c = 0; c < p.classes; c++) {
    double a[R];
    for (int r = 0; r < R; r++) a[r] = residuals[r * p.classes + c];
    double* g = gradient + c * dim;
    for (int64_t j = 0; j < lanesEnd; j += kLanes) {
      Vec sum = a[0] * load(x[0] + j);
      for (int r = 1; r < R; r++) sum += a[r] * load(x[r] + j);
      store(g + j, load(g + j) + sum);
    }
    for (int64_t j = lanesEnd; j < dim; j++) {
      double sum = a[0] * x[0][j];
      for (int r = 1; r < R; r++) sum += a[r] * x[r][j];
      g[j] += sum;
    }
  }
}

// Rows [first, first + R): their features widened to float64 once (into rows, R·D), scores, residuals, gradient.
template <int R>
__attribute__((always_inline)) inline void rowGroup(const Problem& p, int64_t first, double* rows, double* scores, double* loss, double* slot) {
  const double* x[R];
  for (int r = 0; r < R; r++) {
    const float* from = p.features + (first + r) * p.dim;
    double* to = rows + r * p.dim;
    for (int64_t j = 0; j < p.dim; j++) to[j] = from[j];
    x[r] = to;
  }
  scoreRows<R>(p, x, scores);
  double* biasGradient = slot + p.classes * p.dim;
  for (int r = 0; r < R; r++) residualRow(p, p.labels[first + r], scores + r * p.classes, loss, biasGradient);
  accumulateRows<R>(p, x, scores, slot);
}

// One block's slot: [Σ_i R_i x_i (C·D), Σ_i R_i (C), Σ_i CE_i (1)] over rows [first, end), in row order.
// Compiled twice (AVX2, baseline) with every helper above inlined into each copy.
__attribute__((target_clones("avx2", "default"))) void blockPartial(const Problem& p, int64_t first, int64_t end, double* slot) {
  const int64_t slotSize = p.classes * p.dim + p.classes + 1;
  std::fill(slot, slot + slotSize, 0.0);
  std::vector<double> rows(kGroupRows * p.dim), scores(kGroupRows * p.classes);
  double loss = 0;
  int64_t i = first;
  for (; i + kGroupRows <= end; i += kGroupRows) rowGroup<kGroupRows>(p, i, rows.data(), scores.data(), &loss, slot);
  for (; i < end; i++) rowGroup<1>(p, i, rows.data(), scores.data(), &loss, slot);
  slot[slotSize - 1] = loss;
}

// Block slots, reused across calls (calls are serialised by callMutex).
std::vector<double> slots;

double objective(const Problem& p, double l2, double* gradient, int threads) {
  const int64_t weightCount = p.classes * p.dim, slotSize = weightCount + p.classes + 1;
  const int64_t blocks = (p.count + kBlockRows - 1) / kBlockRows;
  if (static_cast<int64_t>(slots.size()) < blocks * slotSize) slots.resize(blocks * slotSize);
  double* data = slots.data();
  const int team = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for schedule(dynamic, 1) num_threads(team) if (blocks > 1)
  for (int64_t b = 0; b < blocks; b++) {
    blockPartial(p, b * kBlockRows, std::min(p.count, (b + 1) * kBlockRows), data + b * slotSize);
  }
  for (int64_t b = 1; b < blocks; b++) {  // block order, one thread
    const double* from = data + b * slotSize;
    for (int64_t k = 0; k < slotSize; k++) data[k] += from[k];
  }
  const double n = static_cast<double>(p.count);
  double squaredNorm = 0;
  for (int64_t k = 0; k < weightCount; k++) {
    squaredNorm += p.weights[k] * p.weights[k];
    gradient[k] = data[k] / n + l2 * p.weights[k];
  }
  for (int64_t c = 0; c < p.classes; c++) gradient[weightCount + c] = data[weightCount + c] / n;
  return data[slotSize - 1] / n + 0.5 * l2 * squaredNorm;
}

}  // namespace

napi_value SoftmaxRegressionObjective(napi_env env, napi_callback_info info) {
  napi_value args[8];
  if (!getArgs(env, info, 8, args)) return nullptr;
  size_t featureCount = 0, labelCount = 0, parameterCount = 0, gradientCount = 0;
  const float* features = static_cast<const float*>(typedArrayData(env, args[0], napi_float32_array, &featureCount));
  const int32_t* labels = static_cast<const int32_t*>(typedArrayData(env, args[1], napi_int32_array, &labelCount));
  const double* parameters = static_cast<const double*>(typedArrayData(env, args[5], napi_float64_array, &parameterCount));
  double* gradient = static_cast<double*>(typedArrayData(env, args[6], napi_float64_array, &gradientCount));
  int64_t dim = 0, classes = 0;
  int32_t threads = -1;
  double l2 = NAN;
  napi_get_value_int64(env, args[2], &dim);
  napi_get_value_int64(env, args[3], &classes);
  napi_get_value_double(env, args[4], &l2);
  napi_get_value_int32(env, args[7], &threads);
  const auto isA = [&](napi_value value, napi_typedarray_type type) {  // typedArrayData gives nullptr for empty arrays too
    bool isTypedArray = false;
    napi_typedarray_type actual;
    size_t length;
    void* data;
    napi_value buffer;
    size_t offset;
    napi_is_typedarray(env, value, &isTypedArray);
    return isTypedArray && napi_get_typedarray_info(env, value, &actual, &length, &data, &buffer, &offset) == napi_ok && actual == type;
  };
  if (!isA(args[0], napi_float32_array) || !isA(args[1], napi_int32_array) || !isA(args[5], napi_float64_array) || !isA(args[6], napi_float64_array)) {
    throwError(env, "softmaxRegressionObjective: features must be a Float32Array, labels an Int32Array, parameters and gradient Float64Arrays");
    return nullptr;
  }
  const int64_t count = static_cast<int64_t>(labelCount);
  std::string fault;
  if (dim < 1 || classes < 1 || count < 1 || !std::isfinite(l2) || threads < 0) {
    fault = "dim, numClasses and the label count must be ≥ 1, l2 finite and threads ≥ 0, got dim " + std::to_string(dim) + ", numClasses " +
            std::to_string(classes) + ", " + std::to_string(count) + " labels, l2 " + std::to_string(l2) + ", threads " + std::to_string(threads);
  } else if (static_cast<int64_t>(featureCount) != count * dim) {
    fault = "features has " + std::to_string(featureCount) + " values, but " + std::to_string(count) + " labels × dim " + std::to_string(dim) +
            " = " + std::to_string(count * dim);
  } else if (static_cast<int64_t>(parameterCount) != classes * dim + classes || gradientCount != parameterCount) {
    fault = "parameters and gradient must hold numClasses × dim + numClasses = " + std::to_string(classes * dim + classes) + " values, got " +
            std::to_string(parameterCount) + " and " + std::to_string(gradientCount);
  } else if (gradient < parameters + parameterCount && parameters < gradient + gradientCount) {
    fault = "gradient must not share memory with parameters";
  } else {
    for (int64_t i = 0; i < count; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        fault = "label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) + " is outside [0, " + std::to_string(classes) + ")";
        break;
      }
    }
  }
  if (!fault.empty()) {
    throwError(env, ("softmaxRegressionObjective: " + fault).c_str());
    return nullptr;
  }
  const Problem problem{features, labels, count, dim, classes, parameters, parameters + classes * dim};
  double loss = 0;
  bool done = false;
  guarded(env, [&] {
    loss = objective(problem, l2, gradient, threads);
    done = true;
  });
  if (!done) return nullptr;
  napi_value result;
  napi_create_double(env, loss, &result);
  return result;
}

}  // namespace simclr_native
