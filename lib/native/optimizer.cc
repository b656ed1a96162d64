// Fused optimiser updates: one call updates every variable of a step in place (weights and slots), for the three
// rules of lib/train/optimizerRules.ts, on all cores.
//
// Bit-compatible with the op-by-op path: every operation is the same IEEE single-precision operation in the same
// order as the tfjs ops of optimizerRules.ts (each tfjs op rounds to float32; the scalar operands are the float32
// roundings of the same double values, which the caller computes in JavaScript exactly as the unfused rule does).
// Compiled with -ffp-contract=off so that no multiply-add is fused. The one exception is LARS's two norms, summed
// here in double precision (tfjs sums float32 in its own order), so LARS agrees to the last ulps of its trust ratio.
//
// optimizerStep(rule, scalars: Float64Array, flags: Uint8Array, weights[], gradients[], slots1[], slots2[]):
//   rule 0 SGD:   scalars [η, μ, λ];          slots1 = velocity (empty list when μ = 0)
//   rule 1 AdamW: scalars [η, β1, 1 − β1, β2, 1 − β2, 1 − β1^t, 1 − β2^t, ε, λ]; slots1 = m, slots2 = v
//   rule 2 LARS:  scalars [η, μ, λ, η_trust];  slots1 = velocity
// flags[i]: bit 0 decay variable i, bit 1 (LARS) adapt its rate by the trust ratio. Lists are Float32Arrays of
// equal length per variable; unused slot lists are empty.
#include "addon.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace simclr_native {
namespace {

struct Variable {
  float* w;
  const float* g;
  float* s1;
  float* s2;
  int64_t size;
  uint8_t flags;
  float rate;  // LARS: η·r for this variable
};

// Pieces of at most this many values, spread over the threads (a step has a few dozen variables of very
// different sizes: 16 to ~150,000 values for ResNet-18 w16).
constexpr int64_t kChunk = 16384;

void sgd(Variable& v, float lr, float momentum, float decay) {
  const bool decays = v.flags & 1;
  for (int64_t i = 0; i < v.size; i++) {
    const float g = decays ? v.g[i] + v.w[i] * decay : v.g[i];
    if (v.s1 == nullptr) {
      v.w[i] = v.w[i] - lr * g;
    } else {
      const float velocity = v.s1[i] * momentum + g;
      v.s1[i] = velocity;
      v.w[i] = v.w[i] - lr * velocity;
    }
  }
}

void adam(Variable& v, const float* s) {
  const float lr = s[0], beta1 = s[1], oneMinusBeta1 = s[2], beta2 = s[3], oneMinusBeta2 = s[4], correction1 = s[5],
              correction2 = s[6], epsilon = s[7], decay = s[8];
  const bool decays = v.flags & 1;
  for (int64_t i = 0; i < v.size; i++) {
    const float g = v.g[i];
    const float m = v.s1[i] * beta1 + g * oneMinusBeta1;
    const float u = v.s2[i] * beta2 + (g * g) * oneMinusBeta2;
    float direction = (m / correction1) / (std::sqrt(u / correction2) + epsilon);
    if (decays) direction = direction + v.w[i] * decay;
    v.s1[i] = m;
    v.s2[i] = u;
    v.w[i] = v.w[i] - lr * direction;
  }
}

void lars(Variable& v, float momentum, float decay) {
  const bool decays = v.flags & 1;
  for (int64_t i = 0; i < v.size; i++) {
    const float g = decays ? v.g[i] + v.w[i] * decay : v.g[i];
    const float velocity = v.s1[i] * momentum + v.rate * g;
    v.s1[i] = velocity;
    v.w[i] = v.w[i] - velocity;
  }
}

// LARS's per-variable rate η·r, r = η_trust·‖w‖/‖g + λw‖ (1 when a norm is 0 or the variable is not adapted),
// with the float32 operations of the unfused rule after the norms.
float larsRate(const Variable& v, float lr, float decay, float trust) {
  if (!(v.flags & 2)) return lr;
  const bool decays = v.flags & 1;
  double weights = 0, directions = 0;
  for (int64_t i = 0; i < v.size; i++) {
    const float g = decays ? v.g[i] + v.w[i] * decay : v.g[i];
    weights += static_cast<double>(v.w[i]) * v.w[i];
    directions += static_cast<double>(g) * g;
  }
  const float weightNorm = static_cast<float>(std::sqrt(weights));
  const float directionNorm = static_cast<float>(std::sqrt(directions));
  if (!(weightNorm > 0 && directionNorm > 0)) return lr * 1.0f;
  return lr * ((weightNorm * trust) / directionNorm);
}

// The Float32Arrays of a JavaScript array (count of them in *count); false with an error thrown on a bad element.
bool floatList(napi_env env, napi_value list, const char* name, std::vector<float*>* data, std::vector<size_t>* sizes) {
  bool isArray = false;
  napi_is_array(env, list, &isArray);
  if (!isArray) {
    throwError(env, (std::string("optimizerStep: ") + name + " must be an array of Float32Arrays").c_str());
    return false;
  }
  uint32_t length = 0;
  napi_get_array_length(env, list, &length);
  data->resize(length);
  sizes->resize(length);
  for (uint32_t i = 0; i < length; i++) {
    napi_value item;
    napi_get_element(env, list, i, &item);
    (*data)[i] = floatArray(env, item, &(*sizes)[i], name);
    if (!(*data)[i]) return false;
  }
  return true;
}

}  // namespace

napi_value OptimizerStep(napi_env env, napi_callback_info info) {
  napi_value args[7];
  if (!getArgs(env, info, 7, args)) return nullptr;
  int32_t rule = -1;
  napi_get_value_int32(env, args[0], &rule);
  size_t scalarCount = 0, flagCount = 0;
  const double* scalars = static_cast<const double*>(typedArrayData(env, args[1], napi_float64_array, &scalarCount));
  const uint8_t* flags = static_cast<const uint8_t*>(typedArrayData(env, args[2], napi_uint8_array, &flagCount));
  const size_t needScalars = rule == 0 ? 3 : rule == 1 ? 9 : 4;
  if (rule < 0 || rule > 2 || !scalars || scalarCount != needScalars || !flags) {
    throwError(env, "optimizerStep: rule must be 0 (SGD), 1 (AdamW) or 2 (LARS), scalars a Float64Array of its length, flags a Uint8Array");
    return nullptr;
  }
  std::vector<float*> w, g, s1, s2;
  std::vector<size_t> nw, ng, ns1, ns2;
  if (!floatList(env, args[3], "weights", &w, &nw) || !floatList(env, args[4], "gradients", &g, &ng) ||
      !floatList(env, args[5], "slots1", &s1, &ns1) || !floatList(env, args[6], "slots2", &s2, &ns2)) {
    return nullptr;
  }
  const size_t count = w.size();
  const bool needsFirst = rule != 0 || (s1.size() > 0), needsSecond = rule == 1;
  bool ok = flagCount == count && g.size() == count && (needsFirst ? s1.size() == count : s1.empty()) &&
            (needsSecond ? s2.size() == count : s2.empty());
  for (size_t i = 0; ok && i < count; i++) {
    ok = ng[i] == nw[i] && (!needsFirst || ns1[i] == nw[i]) && (!needsSecond || ns2[i] == nw[i]);
  }
  if (!ok) {
    throwError(env, "optimizerStep: flags, gradients and the rule's slot lists must match weights, value for value");
    return nullptr;
  }
  float s[9];
  for (size_t i = 0; i < needScalars; i++) s[i] = static_cast<float>(scalars[i]);  // tf.scalar's float32 rounding
  std::vector<Variable> variables(count);
  std::vector<std::pair<size_t, int64_t>> chunks;  // (variable, first value)
  for (size_t i = 0; i < count; i++) {
    variables[i] = Variable{w[i], g[i], needsFirst ? s1[i] : nullptr, needsSecond ? s2[i] : nullptr,
                            static_cast<int64_t>(nw[i]), flags[i], s[0]};
    for (int64_t begin = 0; begin < variables[i].size; begin += kChunk) chunks.emplace_back(i, begin);
  }
  return guarded(env, [&] {
    if (rule == 2) {
#pragma omp parallel for schedule(dynamic)
      for (int64_t i = 0; i < static_cast<int64_t>(count); i++) variables[i].rate = larsRate(variables[i], s[0], s[2], s[3]);
    }
#pragma omp parallel for schedule(static)
    for (int64_t c = 0; c < static_cast<int64_t>(chunks.size()); c++) {
      const Variable& whole = variables[chunks[c].first];
      const int64_t begin = chunks[c].second;
      Variable part = whole;
      part.w += begin;
      part.g += begin;
      if (part.s1) part.s1 += begin;
      if (part.s2) part.s2 += begin;
      part.size = std::min<int64_t>(kChunk, whole.size - begin);
      if (rule == 0) {
        sgd(part, s[0], s[1], s[2]);
      } else if (rule == 1) {
        adam(part, s);
      } else {
        lars(part, s[1], s[2]);
      }
    }
  });
}

}  // namespace simclr_native
