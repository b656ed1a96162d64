// Gradient of 2-D max pooling (NHWC) on all cores.
#include "addon.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace simclr_native {

// p, where a window's maximum is its first strictly largest in-bounds element in row-major window order
// (TensorFlow.js's rule: ties send the gradient to one element; a window of only NaN or −∞ sends none). Images are
// split across threads; windows overlap only within an image, so each thread writes its own part of dx.
napi_value MaxPoolGrad(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!getArgs(env, info, 4, args)) return nullptr;
  const int32_t* g = int32Array(env, args[3], 12, "maxPoolGrad: geometry must be an Int32Array of 12 values");
  if (!g) return nullptr;
  const int64_t n = g[0], h = g[1], w = g[2], c = g[3], ho = g[4], wo = g[5], kh = g[6], kw = g[7], sh = g[8], sw = g[9],
                pt = g[10], pl = g[11];
  for (int i = 0; i < 10; i++) {
    if (g[i] <= 0) {
      throwError(env, "maxPoolGrad: sizes and strides must be positive");
      return nullptr;
    }
  }
  const char* names[] = {"x", "dy", "dx"};
  const int64_t sizes[] = {n * h * w * c, n * ho * wo * c, n * h * w * c};
  float* p[3];
  if (!floatArrays(env, args, 3, names, sizes, p)) return nullptr;
  const float* x = p[0];
  const float* dy = p[1];
  float* dx = p[2];
  return guarded(env, [&] {
#pragma omp parallel
    {
      std::vector<float> best(static_cast<size_t>(c));
      std::vector<int64_t> position(static_cast<size_t>(c));
#pragma omp for schedule(static)
      for (int64_t b = 0; b < n; b++) {
        std::memset(dx + b * h * w * c, 0, sizeof(float) * h * w * c);
        for (int64_t i = 0; i < ho; i++) {
          const int64_t r0 = i * sh - pt, rMin = std::max<int64_t>(0, r0), rMax = std::min<int64_t>(h, r0 + kh);
          for (int64_t j = 0; j < wo; j++) {
            const int64_t c0 = j * sw - pl, cMin = std::max<int64_t>(0, c0), cMax = std::min<int64_t>(w, c0 + kw);
            std::fill(best.begin(), best.end(), -std::numeric_limits<float>::infinity());
            std::fill(position.begin(), position.end(), -1);
            for (int64_t r = rMin; r < rMax; r++) {
              for (int64_t col = cMin; col < cMax; col++) {
                const int64_t base = ((b * h + r) * w + col) * c;
                for (int64_t d = 0; d < c; d++) {
                  const float v = x[base + d];
                  if (v > best[d]) {
                    best[d] = v;
                    position[d] = base + d;
                  }
                }
              }
            }
            const float* up = dy + ((b * ho + i) * wo + j) * c;
            for (int64_t d = 0; d < c; d++)
              if (position[d] >= 0) dx[position[d]] += up[d];
          }
        }
      }
    }
  });
}

}  // namespace simclr_native
