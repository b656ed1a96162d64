// The Node-API module: shared argument helpers, info() and the export table of every op family (addon.h).
#include "addon.h"

#include <omp.h>

namespace simclr_native {

dnnl::engine& cpuEngine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::stream& cpuStream() {
  static dnnl::stream stream(cpuEngine());
  return stream;
}

void throwError(napi_env env, const char* message) { napi_throw_error(env, "ERR_SIMCLR_NATIVE", message); }

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

std::mutex callMutex;

namespace {

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
      {"optimizerStep", nullptr, OptimizerStep, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"softmaxRegressionObjective", nullptr, SoftmaxRegressionObjective, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

}  // namespace
}  // namespace simclr_native

NAPI_MODULE(NODE_GYP_MODULE_NAME, simclr_native::Init)
