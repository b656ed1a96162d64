// Convolutions on oneDNN: 2-D forward (with bias and ReLU as a post-op), input gradient and filter gradient,
// multi-threaded with OpenMP.
//
// Operands are Float32Arrays in TensorFlow.js layouts: x (N, H, W, Cin), filter (KH, KW, Cin, Cout),
// y (N, Ho, Wo, Cout). The caller allocates every output. Geometry is an Int32Array:
//   [N, H, W, Cin, Ho, Wo, Cout, KH, KW, strideH, strideW, dilationH, dilationW, padTop, padLeft, padBottom, padRight]
// with Ho = (H + padTop + padBottom - ((KH - 1)·dilationH + 1)) / strideH + 1 (integer division), likewise Wo.
// padBottom/padRight are then replaced by the exact trailing padding (see readGeometry).
//
// Primitives are built once per geometry and cached. Weights go through oneDNN's preferred (blocked) layout by
// reorder when it differs from (KH, KW, Cin, Cout); activations stay NHWC (oneDNN's "nxc" kernels).
#include "addon.h"

#include <cstring>
#include <vector>

namespace simclr_native {
namespace {

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

}  // namespace


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

}  // namespace simclr_native
