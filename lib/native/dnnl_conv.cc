// Node-API addon: 2-D convolution forward, input gradient and filter gradient on oneDNN (Debian's libdnnl,
// the library PyTorch's CPU convolutions run on), multi-threaded with OpenMP.
//
// Operands are Float32Arrays in TensorFlow.js layouts: x (N, H, W, Cin), filter (KH, KW, Cin, Cout),
// y (N, Ho, Wo, Cout). The caller allocates every output. Geometry is an Int32Array:
//   [N, H, W, Cin, Ho, Wo, Cout, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight]
// with Ho = (H + padTop + padBottom - ((KH - 1)·dilationH + 1)) / strideH + 1 (integer division), likewise Wo.
// padBottom/padRight are then replaced by the exact trailing padding (see readGeometry).
//
// Primitives are built once per geometry and cached. Weights go through oneDNN's preferred (blocked) layout by
// reorder when it differs from (KH, KW, Cin, Cout); activations stay NHWC (oneDNN's "nxc" kernels).
// Built against oneDNN 2.x's C++ API (Debian bookworm: 2.6.3).
#include <node_api.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#if DNNL_VERSION_MAJOR != 2
#error "dnnl_conv.cc is written against the oneDNN 2.x API"
#endif

namespace {

using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

struct Geometry {
  int64_t n, h, w, cin, ho, wo, cout, kh, kw, sh, sw, dh, dw, pt, pl, pb, pr;
  std::string key() const {
    char buffer[256];
    std::snprintf(buffer, sizeof buffer, "%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld", (long)n,
                  (long)h, (long)w, (long)cin, (long)ho, (long)wo, (long)cout, (long)kh, (long)kw, (long)sh, (long)sw,
                  (long)dh, (long)dw, (long)pt, (long)pl, (long)pb, (long)pr);
    return buffer;
  }
  memory::desc src() const { return memory::desc({n, cin, h, w}, dt::f32, tag::nhwc); }
  memory::desc dst() const { return memory::desc({n, cout, ho, wo}, dt::f32, tag::nhwc); }
  memory::desc userWeights() const { return memory::desc({cout, cin, kh, kw}, dt::f32, tag::hwio); }
  memory::desc anyWeights() const { return memory::desc({cout, cin, kh, kw}, dt::f32, tag::any); }
  memory::desc bias() const { return memory::desc({cout}, dt::f32, tag::x); }
  memory::dims strides() const { return {sh, sw}; }
  memory::dims dilates() const { return {dh - 1, dw - 1}; }
  memory::dims padL() const { return {pt, pl}; }
  memory::dims padR() const { return {pb, pr}; }
};

dnnl::convolution_forward::desc forwardDesc(const Geometry& g, bool withBias) {
  if (withBias) {
    return dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, g.src(),
                                           g.anyWeights(), g.bias(), g.dst(), g.strides(), g.dilates(), g.padL(),
                                           g.padR());
  }
  return dnnl::convolution_forward::desc(prop_kind::forward_training, algorithm::convolution_direct, g.src(),
                                         g.anyWeights(), g.dst(), g.strides(), g.dilates(), g.padL(), g.padR());
}

// Weights in oneDNN's layout: the reorder from the user's (KH, KW, Cin, Cout) and a scratch buffer, or nothing
// when the primitive takes the user's layout as is.
struct WeightsLayout {
  memory::desc user;
  memory::desc inner;
  bool same = true;
  std::vector<float> scratch;
  std::unique_ptr<dnnl::reorder> toInner;
  std::unique_ptr<dnnl::reorder> toUser;

  void init(const memory::desc& userDesc, const memory::desc& innerDesc, bool userToInner) {
    user = userDesc;
    inner = innerDesc;
    same = (userDesc == innerDesc);
    if (same) return;
    scratch.resize(innerDesc.get_size() / sizeof(float) + 16);
    memory u(user, cpuEngine(), nullptr);
    memory i(inner, cpuEngine(), nullptr);
    if (userToInner) {
      toInner = std::make_unique<dnnl::reorder>(dnnl::reorder::primitive_desc(u, i));
    } else {
      toUser = std::make_unique<dnnl::reorder>(dnnl::reorder::primitive_desc(i, u));
    }
  }

  // The user's weights w as a primitive reads them: w itself, or its reorder into the scratch buffer.
  memory readable(float* w, dnnl::stream& stream) {
    memory userMemory(user, cpuEngine(), w);
    if (same) return userMemory;
    memory innerMemory(inner, cpuEngine(), scratch.data());
    toInner->execute(stream, userMemory, innerMemory);
    return innerMemory;
  }
};

struct ForwardEntry {
  dnnl::convolution_forward::primitive_desc pd;
  dnnl::convolution_forward primitive;
  WeightsLayout weights;
};

struct BackwardDataEntry {
  dnnl::convolution_backward_data::primitive_desc pd;
  dnnl::convolution_backward_data primitive;
  WeightsLayout weights;
};

struct BackwardWeightsEntry {
  dnnl::convolution_backward_weights::primitive_desc pd;
  dnnl::convolution_backward_weights primitive;
  WeightsLayout weights;
};

std::unordered_map<std::string, std::unique_ptr<ForwardEntry>> forwardCache;
std::unordered_map<std::string, std::unique_ptr<BackwardDataEntry>> backwardDataCache;
std::unordered_map<std::string, std::unique_ptr<BackwardWeightsEntry>> backwardWeightsCache;

// A training run uses a few dozen geometries; evaluation with changing batch sizes adds some. Past this many
// in one cache, it starts over (the oneDNN kernels themselves stay in oneDNN's own primitive cache).
constexpr size_t kMaxCachedGeometries = 512;

// The entry cached under key, made by make() (and cached) on a miss.
template <typename Entry, typename Make>
Entry& cachedEntry(std::unordered_map<std::string, std::unique_ptr<Entry>>& cache, const std::string& key, Make make) {
  auto found = cache.find(key);
  if (found != cache.end()) return *found->second;
  if (cache.size() >= kMaxCachedGeometries) cache.clear();
  return *(cache[key] = make());
}

ForwardEntry& forwardEntry(const Geometry& g, bool withBias, bool relu) {
  return cachedEntry(forwardCache, g.key() + (withBias ? ",b" : ",-") + (relu ? ",r" : ",-"), [&] {
    dnnl::primitive_attr attr;
    if (relu) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, algorithm::eltwise_relu, 0.0f, 0.0f);
      attr.set_post_ops(ops);
    }
    auto pd = dnnl::convolution_forward::primitive_desc(forwardDesc(g, withBias), attr, cpuEngine());
    auto entry = std::unique_ptr<ForwardEntry>(new ForwardEntry{pd, dnnl::convolution_forward(pd), {}});
    entry->weights.init(g.userWeights(), pd.weights_desc(), true);
    return entry;
  });
}

BackwardDataEntry& backwardDataEntry(const Geometry& g) {
  return cachedEntry(backwardDataCache, g.key(), [&] {
    auto hint = dnnl::convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine());
    auto desc = dnnl::convolution_backward_data::desc(algorithm::convolution_direct, g.src(), g.anyWeights(), g.dst(),
                                                      g.strides(), g.dilates(), g.padL(), g.padR());
    auto pd = dnnl::convolution_backward_data::primitive_desc(desc, cpuEngine(), hint);
    auto entry = std::unique_ptr<BackwardDataEntry>(new BackwardDataEntry{pd, dnnl::convolution_backward_data(pd), {}});
    entry->weights.init(g.userWeights(), pd.weights_desc(), true);
    return entry;
  });
}

BackwardWeightsEntry& backwardWeightsEntry(const Geometry& g) {
  return cachedEntry(backwardWeightsCache, g.key(), [&] {
    auto hint = dnnl::convolution_forward::primitive_desc(forwardDesc(g, false), cpuEngine());
    auto desc = dnnl::convolution_backward_weights::desc(algorithm::convolution_direct, g.src(), g.anyWeights(),
                                                         g.dst(), g.strides(), g.dilates(), g.padL(), g.padR());
    auto pd = dnnl::convolution_backward_weights::primitive_desc(desc, cpuEngine(), hint);
    auto entry = std::unique_ptr<BackwardWeightsEntry>(new BackwardWeightsEntry{pd, dnnl::convolution_backward_weights(pd), {}});
    entry->weights.init(g.userWeights(), pd.diff_weights_desc(), false);
    return entry;
  });
}

// Strided 1×1 convolutions as unit-stride ones on the subsampled input. oneDNN 2.6's 1×1 weight-gradient kernel
// for strided NHWC input ("reduce to unit stride") races with more than one thread: wrong gradients and heap
// corruption, seen here for x (1, 12, 12, 5), 1×1 filter, stride 2. Gathering the pixels the filter sees first
// avoids that kernel and costs one small copy.
bool isStridedPointwise(const Geometry& g) { return g.kh == 1 && g.kw == 1 && (g.sh > 1 || g.sw > 1); }

Geometry unitStride(const Geometry& g) {
  Geometry u = g;
  u.h = g.ho;
  u.w = g.wo;
  u.sh = u.sw = u.dh = u.dw = 1;
  u.pt = u.pl = u.pb = u.pr = 0;
  return u;
}

std::vector<float>& subsampleBuffer(const Geometry& g) {
  static std::vector<float> buffer;
  buffer.resize(static_cast<size_t>(g.n * g.ho * g.wo * g.cin));
  return buffer;
}

// sub[n, i, j, :] = x[n, i·sh − pt, j·sw − pl, :] (zero outside the input).
void gatherPixels(const Geometry& g, const float* x, float* sub) {
  for (int64_t n = 0; n < g.n; n++)
    for (int64_t i = 0; i < g.ho; i++)
      for (int64_t j = 0; j < g.wo; j++) {
        const int64_t r = i * g.sh - g.pt, c = j * g.sw - g.pl;
        float* out = sub + ((n * g.ho + i) * g.wo + j) * g.cin;
        if (r < 0 || r >= g.h || c < 0 || c >= g.w) {
          std::memset(out, 0, sizeof(float) * g.cin);
        } else {
          std::memcpy(out, x + ((n * g.h + r) * g.w + c) * g.cin, sizeof(float) * g.cin);
        }
      }
}

// dx = 0, then dx[n, i·sh − pt, j·sw − pl, :] = sub[n, i, j, :] (the adjoint of gatherPixels).
void scatterPixels(const Geometry& g, const float* sub, float* dx) {
  std::memset(dx, 0, sizeof(float) * g.n * g.h * g.w * g.cin);
  for (int64_t n = 0; n < g.n; n++)
    for (int64_t i = 0; i < g.ho; i++)
      for (int64_t j = 0; j < g.wo; j++) {
        const int64_t r = i * g.sh - g.pt, c = j * g.sw - g.pl;
        if (r < 0 || r >= g.h || c < 0 || c >= g.w) continue;
        std::memcpy(dx + ((n * g.h + r) * g.w + c) * g.cin, sub + ((n * g.ho + i) * g.wo + j) * g.cin, sizeof(float) * g.cin);
      }
}

void runForward(const Geometry& g, float* x, float* w, float* b, float* y, bool relu) {
  if (isStridedPointwise(g)) {
    std::vector<float>& sub = subsampleBuffer(g);
    gatherPixels(g, x, sub.data());
    return runForward(unitStride(g), sub.data(), w, b, y, relu);
  }
  ForwardEntry& e = forwardEntry(g, b != nullptr, relu);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  std::unordered_map<int, memory> argsMap{{DNNL_ARG_SRC, memory(g.src(), engine, x)},
                                          {DNNL_ARG_WEIGHTS, e.weights.readable(w, stream)},
                                          {DNNL_ARG_DST, memory(g.dst(), engine, y)}};
  if (b) argsMap.insert({DNNL_ARG_BIAS, memory(g.bias(), engine, b)});
  e.primitive.execute(stream, argsMap);
  stream.wait();
}

void runBackwardData(const Geometry& g, float* dy, float* w, float* dx) {
  if (isStridedPointwise(g)) {
    std::vector<float>& sub = subsampleBuffer(g);
    runBackwardData(unitStride(g), dy, w, sub.data());
    scatterPixels(g, sub.data(), dx);
    return;
  }
  BackwardDataEntry& e = backwardDataEntry(g);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  e.primitive.execute(stream, {{DNNL_ARG_DIFF_DST, memory(g.dst(), engine, dy)},
                               {DNNL_ARG_WEIGHTS, e.weights.readable(w, stream)},
                               {DNNL_ARG_DIFF_SRC, memory(g.src(), engine, dx)}});
  stream.wait();
}

void runBackwardWeights(const Geometry& g, float* x, float* dy, float* dw) {
  if (isStridedPointwise(g)) {
    std::vector<float>& sub = subsampleBuffer(g);
    gatherPixels(g, x, sub.data());
    return runBackwardWeights(unitStride(g), sub.data(), dy, dw);
  }
  BackwardWeightsEntry& e = backwardWeightsEntry(g);
  auto& engine = cpuEngine();
  auto& stream = cpuStream();
  memory userW(e.weights.user, engine, dw);
  memory innerW = e.weights.same ? userW : memory(e.weights.inner, engine, e.weights.scratch.data());
  e.primitive.execute(stream, {{DNNL_ARG_SRC, memory(g.src(), engine, x)},
                               {DNNL_ARG_DIFF_DST, memory(g.dst(), engine, dy)},
                               {DNNL_ARG_DIFF_WEIGHTS, innerW}});
  if (!e.weights.same) e.weights.toUser->execute(stream, innerW, userW);
  stream.wait();
}

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

// ---------------------------------------------------------------------------------------------------------------
// Node-API glue.

void throwError(napi_env env, const char* message) { napi_throw_error(env, "ERR_SIMCLR_NATIVE", message); }

// Pointer and element count of a Float32Array argument; nullptr (and a pending exception) when it is not one.
// Data pointer and element count of a typed array of `type`; nullptr when value is something else.
void* typedArrayData(napi_env env, napi_value value, napi_typedarray_type type, size_t* length) {
  bool isTypedArray = false;
  napi_is_typedarray(env, value, &isTypedArray);
  if (!isTypedArray) return nullptr;
  napi_typedarray_type actual;
  void* data = nullptr;
  napi_value buffer;
  size_t offset = 0;
  napi_get_typedarray_info(env, value, &actual, length, &data, &buffer, &offset);
  return actual == type ? data : nullptr;
}

float* floatArray(napi_env env, napi_value value, size_t* length, const char* name) {
  float* data = static_cast<float*>(typedArrayData(env, value, napi_float32_array, length));
  if (!data) throwError(env, (std::string(name) + " must be a Float32Array").c_str());
  return data;
}

// The values of an Int32Array of exactly `expected` values; nullptr (and `message` thrown) otherwise.
const int32_t* int32Array(napi_env env, napi_value value, size_t expected, const char* message) {
  size_t length = 0;
  const void* data = typedArrayData(env, value, napi_int32_array, &length);
  if (!data || length != expected) {
    throwError(env, message);
    return nullptr;
  }
  return static_cast<const int32_t*>(data);
}

bool readGeometry(napi_env env, napi_value value, Geometry* g) {
  const int32_t* v = int32Array(env, value, 17, "geometry must be an Int32Array of 17 values");
  if (!v) return false;
  *g = Geometry{v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13], v[14], v[15], v[16]};
  for (int i = 0; i < 13; i++) {
    if (v[i] <= 0) {
      throwError(env, "geometry sizes, strides and dilations must be positive");
      return false;
    }
  }
  const int64_t extentH = (g->kh - 1) * g->dh + 1, extentW = (g->kw - 1) * g->dw + 1;
  if ((g->h + g->pt + g->pb - extentH) / g->sh + 1 != g->ho || (g->w + g->pl + g->pr - extentW) / g->sw + 1 != g->wo) {
    throwError(env, "geometry: output size does not match input size, filter, stride and padding");
    return false;
  }
  // oneDNN wants the exact trailing padding: the last window ends at (Ho - 1)·stride + extent. It is smaller
  // than the caller's when rows are left over (valid padding with stride > 1), possibly negative; with the
  // caller's value oneDNN's weight-gradient kernels would read rows no window uses (wrong results, crashes).
  g->pb = (g->ho - 1) * g->sh + extentH - g->h - g->pt;
  g->pr = (g->wo - 1) * g->sw + extentW - g->w - g->pl;
  return true;
}

bool checkLength(napi_env env, size_t actual, int64_t expected, const char* name) {
  if (static_cast<int64_t>(actual) >= expected) return true;
  std::string message = std::string(name) + " is smaller than the geometry says";
  throwError(env, message.c_str());
  return false;
}

// out[i] = args[i] as a Float32Array of at least sizes[i] values, in order; false (with the first fault thrown)
// when one is not.
bool floatArrays(napi_env env, const napi_value* args, size_t count, const char* const* names, const int64_t* sizes, float** out) {
  for (size_t i = 0; i < count; i++) {
    size_t length = 0;
    out[i] = floatArray(env, args[i], &length, names[i]);
    if (!out[i] || !checkLength(env, length, sizes[i], names[i])) return false;
  }
  return true;
}

bool getArgs(napi_env env, napi_callback_info info, size_t expected, napi_value* args) {
  size_t count = expected;
  napi_get_cb_info(env, info, &count, args, nullptr, nullptr);
  if (count < expected) {
    throwError(env, "too few arguments");
    return false;
  }
  return true;
}

// One call at a time: the primitive caches and the subsample buffer are shared by every Node.js thread (worker
// threads load the same module instance); oneDNN itself already uses all cores inside each call.
std::mutex callMutex;

template <typename F>
napi_value guarded(napi_env env, F&& body) {
  try {
    std::lock_guard<std::mutex> lock(callMutex);
    body();
  } catch (const dnnl::error& e) {
    std::string message = std::string("oneDNN: ") + e.what();
    throwError(env, message.c_str());
  } catch (const std::exception& e) {
    throwError(env, e.what());
  }
  return nullptr;
}

// conv2d(x, filter, bias | null, y, geometry, relu): y = act(conv(x, filter) + bias).
napi_value Conv2d(napi_env env, napi_callback_info info) {
  napi_value args[6];
  if (!getArgs(env, info, 6, args)) return nullptr;
  Geometry g;
  if (!readGeometry(env, args[4], &g)) return nullptr;
  const char* names[] = {"x", "filter"};
  const int64_t sizes[] = {g.n * g.h * g.w * g.cin, g.kh * g.kw * g.cin * g.cout};
  float* xw[2];
  if (!floatArrays(env, args, 2, names, sizes, xw)) return nullptr;
  napi_valuetype biasType;
  napi_typeof(env, args[2], &biasType);
  float* b = nullptr;
  const char* biasName = "bias";
  const int64_t biasSize = g.cout;
  if (biasType != napi_null && biasType != napi_undefined && !floatArrays(env, args + 2, 1, &biasName, &biasSize, &b)) return nullptr;
  const char* outName = "y";
  const int64_t outSize = g.n * g.ho * g.wo * g.cout;
  float* y;
  if (!floatArrays(env, args + 3, 1, &outName, &outSize, &y)) return nullptr;
  bool relu = false;
  napi_get_value_bool(env, args[5], &relu);
  return guarded(env, [&] { runForward(g, xw[0], xw[1], b, y, relu); });
}

// conv2dBackpropInput(dy, filter, dx, geometry): dx = ∂(Σ dy·conv(x, filter))/∂x.
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!getArgs(env, info, 4, args)) return nullptr;
  Geometry g;
  if (!readGeometry(env, args[3], &g)) return nullptr;
  const char* names[] = {"dy", "filter", "dx"};
  const int64_t sizes[] = {g.n * g.ho * g.wo * g.cout, g.kh * g.kw * g.cin * g.cout, g.n * g.h * g.w * g.cin};
  float* p[3];
  if (!floatArrays(env, args, 3, names, sizes, p)) return nullptr;
  return guarded(env, [&] { runBackwardData(g, p[0], p[1], p[2]); });
}

// conv2dBackpropFilter(x, dy, dw, geometry): dw = ∂(Σ dy·conv(x, filter))/∂filter.
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info) {
  napi_value args[4];
  if (!getArgs(env, info, 4, args)) return nullptr;
  Geometry g;
  if (!readGeometry(env, args[3], &g)) return nullptr;
  const char* names[] = {"x", "dy", "dw"};
  const int64_t sizes[] = {g.n * g.h * g.w * g.cin, g.n * g.ho * g.wo * g.cout, g.kh * g.kw * g.cin * g.cout};
  float* p[3];
  if (!floatArrays(env, args, 3, names, sizes, p)) return nullptr;
  return guarded(env, [&] { runBackwardWeights(g, p[0], p[1], p[2]); });
}

// elementwise(op, a, b, out, mode, inner): out = a ∘ b for ∘ = op (0 add, 1 subtract, 2 multiply, 3 divide), on
// all cores. mode 0: a and b have out's length; 1: b has length `inner` and repeats along out (a trailing-axis
// broadcast, e.g. a per-channel vector of NHWC data); 2: the same for a; 3: b is one value; 4: a is one value.
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
// [N, H, W, C, Ho, Wo, KH, KW, strideH, strideW, padTop, padLeft]. dx[p] = Σ dy over the windows whose maximum is at
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

// info(): { onednn: "2.6.3", cpuIsa: "avx512_core", threads: n } (OpenMP threads; OMP_NUM_THREADS sets them).
napi_value Info(napi_env env, napi_callback_info) {
  const dnnl_version_t* version = dnnl_version();
  char text[64];
  std::snprintf(text, sizeof text, "%d.%d.%d", version->major, version->minor, version->patch);
  napi_value result, onednn, isa;
  napi_create_object(env, &result);
  napi_create_string_utf8(env, text, NAPI_AUTO_LENGTH, &onednn);
  napi_set_named_property(env, result, "onednn", onednn);
  const char* isaName = "unknown";
  switch (dnnl::get_effective_cpu_isa()) {
    case dnnl::cpu_isa::avx512_core_amx: isaName = "avx512_core_amx"; break;
    case dnnl::cpu_isa::avx512_core_bf16: isaName = "avx512_core_bf16"; break;
    case dnnl::cpu_isa::avx512_core_vnni: isaName = "avx512_core_vnni"; break;
    case dnnl::cpu_isa::avx512_core: isaName = "avx512_core"; break;
    case dnnl::cpu_isa::avx2_vnni: isaName = "avx2_vnni"; break;
    case dnnl::cpu_isa::avx2: isaName = "avx2"; break;
    case dnnl::cpu_isa::avx: isaName = "avx"; break;
    case dnnl::cpu_isa::sse41: isaName = "sse41"; break;
    default: break;
  }
  napi_create_string_utf8(env, isaName, NAPI_AUTO_LENGTH, &isa);
  napi_set_named_property(env, result, "cpuIsa", isa);
  napi_value threads;
  napi_create_int32(env, omp_get_max_threads(), &threads);
  napi_set_named_property(env, result, "threads", threads);
  return result;
}

napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"conv2d", nullptr, Conv2d, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropInput", nullptr, Conv2dBackpropInput, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"conv2dBackpropFilter", nullptr, Conv2dBackpropFilter, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"elementwise", nullptr, Elementwise, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormForward", nullptr, BatchNormForward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"batchNormBackward", nullptr, BatchNormBackward, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"maxPoolGrad", nullptr, MaxPoolGrad, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
