// Shared declarations of the native addon (lib/native/*.cc, one Node-API module: build/dnnl_conv.node).
//
// Every entry point takes Float32Array views (of the wasm heap, in practice) and writes its outputs in place;
// the caller allocates them. One file per op family: conv.cc (convolutions on oneDNN), elementwise.cc,
// batch_norm.cc (oneDNN batch normalisation), pooling.cc (max-pool gradient), optimizer.cc (fused optimiser
// updates), softmax_regression.cc (the linear probe's objective, on float64 typed arrays, not the wasm heap);
// addon.cc holds the Node-API glue, info() and the module's export table.
// Built against oneDNN 2.x's C++ API (Debian bookworm: 2.6.3) by lib/native/build.sh.
#pragma once

#include <node_api.h>
#include <oneapi/dnnl/dnnl.hpp>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#if DNNL_VERSION_MAJOR != 2
#error "lib/native is written against the oneDNN 2.x API"
#endif

namespace simclr_native {

// oneDNN names every op family uses.
using dnnl::algorithm;
using dnnl::memory;
using dnnl::prop_kind;
using tag = dnnl::memory::format_tag;
using dt = dnnl::memory::data_type;

dnnl::engine& cpuEngine();
dnnl::stream& cpuStream();

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

// ---------------------------------------------------------------------------------------------------------------
// Node-API glue (addon.cc).

void throwError(napi_env env, const char* message);
// Data pointer and element count of a typed array of `type`; nullptr when value is something else.
void* typedArrayData(napi_env env, napi_value value, napi_typedarray_type type, size_t* length);
// Pointer and element count of a Float32Array argument; nullptr (and a pending exception) when it is not one.
float* floatArray(napi_env env, napi_value value, size_t* length, const char* name);
// The values of an Int32Array of exactly `expected` values; nullptr (and `message` thrown) otherwise.
const int32_t* int32Array(napi_env env, napi_value value, size_t expected, const char* message);
bool checkLength(napi_env env, size_t actual, int64_t expected, const char* name);
// out[i] = args[i] as a Float32Array of at least sizes[i] values, in order; false (with the first fault thrown)
// when one is not.
bool floatArrays(napi_env env, const napi_value* args, size_t count, const char* const* names, const int64_t* sizes, float** out);
bool getArgs(napi_env env, napi_callback_info info, size_t expected, napi_value* args);

// One call at a time: the primitive caches and scratch buffers are shared by every Node.js thread (worker
// threads load the same module instance); each call already uses all cores inside.
extern std::mutex callMutex;

// Run body under callMutex, turning C++ exceptions into JavaScript errors ('oneDNN: …' for oneDNN's own).
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

// ---------------------------------------------------------------------------------------------------------------
// Entry points, by file.

napi_value Conv2d(napi_env env, napi_callback_info info);                // conv.cc
napi_value Conv2dBackpropInput(napi_env env, napi_callback_info info);   // conv.cc
napi_value Conv2dBackpropFilter(napi_env env, napi_callback_info info);  // conv.cc
napi_value Elementwise(napi_env env, napi_callback_info info);           // elementwise.cc
napi_value BatchNormForward(napi_env env, napi_callback_info info);      // batch_norm.cc
napi_value BatchNormBackward(napi_env env, napi_callback_info info);     // batch_norm.cc
napi_value MaxPoolGrad(napi_env env, napi_callback_info info);           // pooling.cc
napi_value OptimizerStep(napi_env env, napi_callback_info info);         // optimizer.cc
napi_value SoftmaxRegressionObjective(napi_env env, napi_callback_info info);  // softmax_regression.cc

}  // namespace simclr_native
