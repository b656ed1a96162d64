// Element-wise float32 arithmetic on all cores: out = a ∘ b for ∘ ∈ {+, −, ×, ÷}, with the trailing-axis and
// scalar broadcasts of a training step (see elementwise() below). IEEE single precision per element, so the
// values equal tfjs's stock kernels whatever the thread count.
#include "addon.h"

namespace simclr_native {
namespace {

template <int Op>
inline float apply(float x, float y) {
  if (Op == 0) return x + y;
  if (Op == 1) return x - y;
  if (Op == 2) return x * y;
  return x / y;
}

template <int Op>
void elementwiseLoop(const float* a, const float* b, float* out, int64_t n, int mode, int64_t inner) {
  const int64_t rows = (mode == 1 || mode == 2) ? n / inner : 0;
  switch (mode) {
    case 0:
#pragma omp parallel for schedule(static)
      for (int64_t i = 0; i < n; i++) out[i] = apply<Op>(a[i], b[i]);
      break;
    case 1:
#pragma omp parallel for schedule(static)
      for (int64_t r = 0; r < rows; r++) {
        const float* ar = a + r * inner;
        float* o = out + r * inner;
        for (int64_t c = 0; c < inner; c++) o[c] = apply<Op>(ar[c], b[c]);
      }
      break;
    case 2:
#pragma omp parallel for schedule(static)
      for (int64_t r = 0; r < rows; r++) {
        const float* br = b + r * inner;
        float* o = out + r * inner;
        for (int64_t c = 0; c < inner; c++) o[c] = apply<Op>(a[c], br[c]);
      }
      break;
    case 3: {
      const float y = b[0];
#pragma omp parallel for schedule(static)
      for (int64_t i = 0; i < n; i++) out[i] = apply<Op>(a[i], y);
      break;
    }
    default: {
      const float x = a[0];
#pragma omp parallel for schedule(static)
      for (int64_t i = 0; i < n; i++) out[i] = apply<Op>(x, b[i]);
      break;
    }
  }
}

}  // namespace

// elementwise(op, a, b, out, mode, inner): out = a ∘ b for ∘ = op (0 add, 1 subtract, 2 multiply, 3 divide), on
// all cores. mode 0: a and b have out's length; 1: b has length `inner` and repeats along out (a trailing-axis
// broadcast, e.g. a per-channel vector of NHWC data); 2: the same for a; 3: b is one value; 4: a is one value.
napi_value Elementwise(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!getArgs(env, info, 6, args)) return nullptr;
  int32_t op = -1, mode = -1;
  int64_t inner = 0;
  napi_get_value_int32(env, args[0], &op);
  napi_get_value_int32(env, args[4], &mode);
  napi_get_value_int64(env, args[5], &inner);
  size_t na, nb, nout;
  float* a = floatArray(env, args[1], &na, "a");
  if (!a) return nullptr;
  float* b = floatArray(env, args[2], &nb, "b");
  if (!b) return nullptr;
  float* out = floatArray(env, args[3], &nout, "out");
  if (!out) return nullptr;
  const int64_t n = static_cast<int64_t>(nout);
  bool ok = op >= 0 && op <= 3 && mode >= 0 && mode <= 4;
  if (ok) {
    switch (mode) {
      case 0: ok = static_cast<int64_t>(na) >= n && static_cast<int64_t>(nb) >= n; break;
      case 1: ok = inner > 0 && n % inner == 0 && static_cast<int64_t>(na) >= n && static_cast<int64_t>(nb) >= inner; break;
      case 2: ok = inner > 0 && n % inner == 0 && static_cast<int64_t>(nb) >= n && static_cast<int64_t>(na) >= inner; break;
      case 3: ok = static_cast<int64_t>(na) >= n && nb >= 1; break;
      default: ok = static_cast<int64_t>(nb) >= n && na >= 1; break;
    }
  }
  if (!ok) {
    throwError(env, "elementwise: op must be 0-3, mode 0-4, and the arrays as long as the mode requires");
    return nullptr;
  }
  return guarded(env, [&] {
    switch (op) {
      case 0: elementwiseLoop<0>(a, b, out, n, mode, inner); break;
      case 1: elementwiseLoop<1>(a, b, out, n, mode, inner); break;
      case 2: elementwiseLoop<2>(a, b, out, n, mode, inner); break;
      default: elementwiseLoop<3>(a, b, out, n, mode, inner); break;
    }
  });
}

}  // namespace simclr_native
