// Batch normalisation in training on oneDNN's batch_normalization primitive.
#include "addon.h"

#include <vector>

namespace simclr_native {
namespace {

// Batch normalisation in training over the leading axes of (rows, C) data (NHWC activations viewed as rows of
// C channels), on oneDNN's batch_normalization primitive: forward y = γ·(x − μ)/√(σ² + ε) + β with the batch mean
// μ and biased variance σ²; backward the usual dx = γ/√(σ² + ε)·(dy − mean(dy) − x̂·mean(dy·x̂)), dγ = Σ dy·x̂,
// dβ = Σ dy (Ioffe & Szegedy 2015).
struct BatchNormEntry {
  dnnl::batch_normalization_forward::primitive_desc forwardPd;
  dnnl::batch_normalization_forward forward;
  dnnl::batch_normalization_backward::primitive_desc backwardPd;
  dnnl::batch_normalization_backward backward;
};

std::unordered_map<std::string, std::unique_ptr<BatchNormEntry>> batchNormCache;

memory::desc rowsDesc(int64_t rows, int64_t channels) { return memory::desc({rows, channels, 1, 1}, dt::f32, tag::nhwc); }
memory::desc channelDesc(int64_t channels) { return memory::desc({channels}, dt::f32, tag::x); }

BatchNormEntry& batchNormEntry(int64_t rows, int64_t channels, float epsilon) {
  char key[96];
  std::snprintf(key, sizeof key, "%ld,%ld,%.9g", (long)rows, (long)channels, (double)epsilon);
  return cachedEntry(batchNormCache, key, [&] {
    const auto flags = dnnl::normalization_flags::use_scale | dnnl::normalization_flags::use_shift;
    const memory::desc data = rowsDesc(rows, channels);
    auto forwardPd = dnnl::batch_normalization_forward::primitive_desc(
        dnnl::batch_normalization_forward::desc(prop_kind::forward_training, data, epsilon, flags), cpuEngine());
    auto backwardPd = dnnl::batch_normalization_backward::primitive_desc(
        dnnl::batch_normalization_backward::desc(prop_kind::backward, data, data, epsilon, flags), cpuEngine(), forwardPd);
    return std::unique_ptr<BatchNormEntry>(new BatchNormEntry{forwardPd, dnnl::batch_normalization_forward(forwardPd),
                                                              backwardPd, dnnl::batch_normalization_backward(backwardPd)});
  });
}

void runBatchNormForward(int64_t rows, int64_t channels, float epsilon, float* x, float* scale, float* shift, float* y,
                         float* mean, float* variance) {
  BatchNormEntry& e = batchNormEntry(rows, channels, epsilon);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  const memory::desc data = rowsDesc(rows, channels), vec = channelDesc(channels);
  e.forward.execute(stream, {{DNNL_ARG_SRC, memory(data, engine, x)},
                             {DNNL_ARG_SCALE, memory(vec, engine, scale)},
                             {DNNL_ARG_SHIFT, memory(vec, engine, shift)},
                             {DNNL_ARG_DST, memory(data, engine, y)},
                             {DNNL_ARG_MEAN, memory(vec, engine, mean)},
                             {DNNL_ARG_VARIANCE, memory(vec, engine, variance)}});
  stream.wait();
}

void runBatchNormBackward(int64_t rows, int64_t channels, float epsilon, float* x, float* dy, float* scale, float* mean,
                          float* variance, float* dx, float* dscale, float* dshift) {
  BatchNormEntry& e = batchNormEntry(rows, channels, epsilon);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  const memory::desc data = rowsDesc(rows, channels), vec = channelDesc(channels);
  // oneDNN 2.6 asks for the shift in backward too (it does not enter the gradients): zeros.
  static std::vector<float> unusedShift;
  unusedShift.assign(static_cast<size_t>(channels), 0.0f);
  e.backward.execute(stream, {{DNNL_ARG_SRC, memory(data, engine, x)},
                              {DNNL_ARG_DIFF_DST, memory(data, engine, dy)},
                              {DNNL_ARG_SCALE, memory(vec, engine, scale)},
                              {DNNL_ARG_SHIFT, memory(vec, engine, unusedShift.data())},
                              {DNNL_ARG_MEAN, memory(vec, engine, mean)},
                              {DNNL_ARG_VARIANCE, memory(vec, engine, variance)},
                              {DNNL_ARG_DIFF_SRC, memory(data, engine, dx)},
                              {DNNL_ARG_DIFF_SCALE, memory(vec, engine, dscale)},
                              {DNNL_ARG_DIFF_SHIFT, memory(vec, engine, dshift)}});
  stream.wait();
}

// Reads the (rows, channels, epsilon) shared by the batch-norm entry points from args[0..2].
bool readBatchNormSizes(napi_env env, napi_value* args, int64_t* rows, int64_t* channels, float* epsilon) {
  double eps = 0;
  napi_get_value_int64(env, args[0], rows);
  napi_get_value_int64(env, args[1], channels);
  napi_get_value_double(env, args[2], &eps);
  *epsilon = static_cast<float>(eps);
  if (*rows <= 0 || *channels <= 0 || !(eps > 0)) {
    throwError(env, "batchNorm: rows and channels must be positive and epsilon > 0");
    return false;
  }
  return true;
}

}  // namespace

// batchNormForward(rows, channels, epsilon, x, scale, shift, y, mean, variance).
napi_value BatchNormForward(napi_env env, napi_callback_info info) {
  napi_value args[9];
  if (!getArgs(env, info, 9, args)) return nullptr;
  int64_t rows, channels;
  float epsilon;
  if (!readBatchNormSizes(env, args, &rows, &channels, &epsilon)) return nullptr;
  const char* names[] = {"x", "scale", "shift", "y", "mean", "variance"};
  const int64_t sizes[] = {rows * channels, channels, channels, rows * channels, channels, channels};
  float* p[6];
  if (!floatArrays(env, args + 3, 6, names, sizes, p)) return nullptr;
  return guarded(env, [&] { runBatchNormForward(rows, channels, epsilon, p[0], p[1], p[2], p[3], p[4], p[5]); });
}

// batchNormBackward(rows, channels, epsilon, x, dy, scale, mean, variance, dx, dscale, dshift).
napi_value BatchNormBackward(napi_env env, napi_callback_info info) {
  napi_value args[11];
  if (!getArgs(env, info, 11, args)) return nullptr;
  int64_t rows, channels;
  float epsilon;
  if (!readBatchNormSizes(env, args, &rows, &channels, &epsilon)) return nullptr;
  const char* names[] = {"x", "dy", "scale", "mean", "variance", "dx", "dscale", "dshift"};
  const int64_t sizes[] = {rows * channels, rows * channels, channels, channels, channels, rows * channels, channels, channels};
  float* p[8];
  if (!floatArrays(env, args + 3, 8, names, sizes, p)) return nullptr;
  return guarded(env, [&] { runBatchNormBackward(rows, channels, epsilon, p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]); });
}

// maxPoolGrad(x, dy, dx, geometry): the gradient of 2-D max pooling, NHWC. geometry is an Int32Array

}  // namespace simclr_native
