/*
** wt_native_ref.cpp — the native reference for wasitorch's PyTorch path.
**
**   wt-native-ref --model M.pt|M.ptl --input IN.bin --shape 1,3,224,224
**                 [--dtype f32] [--threads N] [--optimize|--fuse] [--output OUT.bin]
**                 [--repeat N] [--warmup N] [--include-first] [--mobile]
**                 [--reference REF.bin]
**
** Loads a model the way a plain libtorch C++ user would, runs it on one raw
** input tensor, and writes the raw bytes of the first output. A Wasm guest
** running the same model through wasi_ephemeral_nn must produce the same
** bytes at the same thread count, so the preparation below is, call for
** call, the one the backend (src/nn/torch/torch_backend.cpp) performs:
**
**   threads > 0: at::set_num_interop_threads(1); at::set_num_threads(N);
**     openblas_set_num_threads(N) when libblas.so.3 is OpenBLAS
**   format by content: bytecode.pkl in the zip (or a flatbuffer) →
**     torch::jit::_load_for_mobile, else torch::jit::load (CPU device)
**   eval() if the module has a "training" attribute
**   --optimize (TorchScript only): freeze unless frozen,
**     torch::jit::optimize_for_inference
**   --fuse (TorchScript only): freeze unless frozen, then the backend's
**     "fused" rewrite (src/nn/torch/dnnl_fuse.cpp), and 4-d inputs passed
**     channels-last, as the backend's fused preparation does
**   forward() under c10::InferenceMode
**
** It does not link the backend: it is an independent implementation, so a
** bug in one shows up as a difference. The one exception is --fuse, which
** compiles in the backend's rewrite so that the benchmark has a native
** counterpart of that preparation (its output is compared with the plain
** frozen model's by the benchmark and the backend's tests). With --repeat it also times the
** forward pass (wall and process CPU time, median and p90) and the load.
**
** Benchmark additions (bench/models.py): --include-first counts the first
** inference (the one whose output --output writes) among the --repeat timed
** runs, so `--repeat N --include-first` times exactly the N inferences the
** Wasm classify guest's `--repeat N` times; --mobile refuses a file that is
** not PyTorch Mobile, so a PyTorch Mobile figure cannot silently come from
** TorchScript; --reference prints the max abs difference of the first
** output to a raw file of the same dtype (f32 outputs only).
*/
#include "dnnl_fuse.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/mobile/file_format.h>
#include <torch/csrc/jit/mobile/import.h>
#include <torch/csrc/jit/mobile/module.h>
#include <torch/script.h>

#include <dlfcn.h>
#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Args {
  std::string model, input, output, dtype = "f32";
  std::vector<int64_t> shape;
  std::string reference;
  int threads = 0, repeat = 0, warmup = 0;
  bool optimize = false, fuse = false, include_first = false, mobile = false;
};

/* Either kind of loaded module; only one is used. */
struct Loaded {
  bool mobile = false;
  bool channels_last = false; /* --fuse: 4-d inputs go in channels-last */
  torch::jit::Module script;
  torch::jit::mobile::Module lite;
};

void usage(const char *argv0) {
  std::fprintf(stderr,
               "usage: %s --model M.pt|M.ptl --input IN.bin --shape D0,D1,... [--dtype f16|f32|f64|u8|i32|i64]\n"
               "          [--threads N] [--optimize|--fuse] [--output OUT.bin] [--repeat N] [--warmup N]\n"
               "          [--include-first] [--mobile] [--reference REF.bin]\n",
               argv0);
}

long parse_int(const std::string &s, const char *what) {
  char *end = nullptr;
  long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || *end != '\0' || v < 0) throw std::runtime_error(std::string("bad ") + what + ": " + s);
  return v;
}

std::vector<int64_t> parse_shape(const std::string &s) {
  std::vector<int64_t> dims;
  std::stringstream in(s);
  std::string part;
  while (std::getline(in, part, ',')) dims.push_back(parse_int(part, "--shape dimension"));
  if (dims.empty()) throw std::runtime_error("--shape is empty");
  return dims;
}

/* Returns false when the arguments are unusable (usage is printed). */
bool parse_args(int argc, char **argv, Args &a) {
  for (int i = 1; i < argc; i++) {
    std::string k = argv[i];
    bool has_val = i + 1 < argc;
    if (k == "--optimize") {
      a.optimize = true;
    } else if (k == "--fuse") {
      a.fuse = true;
    } else if (k == "--include-first") {
      a.include_first = true;
    } else if (k == "--mobile") {
      a.mobile = true;
    } else if (k == "--help" || k == "-h" || !has_val) {
      return false;
    } else {
      std::string v = argv[++i];
      if (k == "--model") a.model = v;
      else if (k == "--input") a.input = v;
      else if (k == "--output") a.output = v;
      else if (k == "--dtype") a.dtype = v;
      else if (k == "--reference") a.reference = v;
      else if (k == "--shape") a.shape = parse_shape(v);
      else if (k == "--threads") a.threads = static_cast<int>(parse_int(v, "--threads"));
      else if (k == "--repeat") a.repeat = static_cast<int>(parse_int(v, "--repeat"));
      else if (k == "--warmup") a.warmup = static_cast<int>(parse_int(v, "--warmup"));
      else return false;
    }
  }
  return !a.model.empty() && !a.input.empty() && !a.shape.empty();
}

at::ScalarType dtype_of(const std::string &name) {
  if (name == "f16") return at::kHalf;
  if (name == "f32") return at::kFloat;
  if (name == "f64") return at::kDouble;
  if (name == "u8") return at::kByte;
  if (name == "i32") return at::kInt;
  if (name == "i64") return at::kLong;
  throw std::runtime_error("unknown --dtype " + name);
}

double now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/* Reads IN.bin and checks its size against shape × element size. */
at::Tensor read_input(const Args &a) {
  std::ifstream f(a.input, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + a.input);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  at::Tensor t = at::empty(a.shape, at::TensorOptions().dtype(dtype_of(a.dtype)));
  if (static_cast<size_t>(t.nbytes()) != bytes.size())
    throw std::runtime_error(a.input + " has " + std::to_string(bytes.size()) + " bytes, shape and dtype need " +
                             std::to_string(t.nbytes()));
  std::memcpy(t.data_ptr(), bytes.data(), bytes.size());
  return t;
}

/* A zip holding bytecode.pkl, or a flatbuffer, is a PyTorch Mobile file. */
bool is_mobile_file(const std::string &path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path);
  if (torch::jit::getFileFormat(f) == torch::jit::FileFormat::FlatbufferFileFormat) return true;
  caffe2::serialize::PyTorchStreamReader reader(&f);
  return reader.hasRecord("bytecode.pkl");
}

Loaded load_model(const Args &a) {
  Loaded m;
  m.mobile = is_mobile_file(a.model);
  if (a.mobile && !m.mobile) throw std::runtime_error("--mobile: " + a.model + " is not a PyTorch Mobile file");
  std::ifstream f(a.model, std::ios::binary);
  if (m.mobile) {
    m.lite = torch::jit::_load_for_mobile(f, at::Device(at::kCPU));
    if (!m.lite.attr("training", c10::IValue()).isNone()) m.lite.eval();
    return m;
  }
  m.script = torch::jit::load(f, at::Device(at::kCPU));
  if (m.script.hasattr("training")) m.script.eval();
  if ((a.optimize || a.fuse) && m.script.hasattr("training")) m.script = torch::jit::freeze(m.script);
  if (a.optimize) m.script = torch::jit::optimize_for_inference(m.script);
  if (a.fuse) {
    if (wtprep::fuse_convolutions(m.script) == 0) throw std::runtime_error("--fuse: nothing to fuse in " + a.model);
    m.channels_last = true;
  }
  return m;
}

/* One inference: the same thread re-check and InferenceMode as the backend. */
c10::IValue infer(Loaded &m, const at::Tensor &input, int threads) {
  if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
  c10::InferenceMode guard;
  std::vector<c10::IValue> args{m.channels_last && input.dim() == 4 ? input.contiguous(at::MemoryFormat::ChannelsLast)
                                                                   : input};
  return m.mobile ? m.lite.forward(args) : m.script.forward(args);
}

/* The first tensor of the result, looking into tuples and lists. */
at::Tensor first_tensor(const c10::IValue &v) {
  if (v.isTensor()) return v.toTensor();
  if (v.isTuple() && !v.toTupleRef().elements().empty()) return first_tensor(v.toTupleRef().elements()[0]);
  if (v.isList() && !v.toListRef().empty()) return first_tensor(v.toListRef()[0]);
  throw std::runtime_error("model output holds no tensor (" + v.tagKind() + ")");
}

void write_output(const std::string &path, at::Tensor t) {
  if (t.is_mkldnn()) t = t.to_dense();
  t = t.contiguous();
  std::ofstream f(path, std::ios::binary);
  f.write(static_cast<const char *>(t.data_ptr()), static_cast<std::streamsize>(t.nbytes()));
  if (!f) throw std::runtime_error("cannot write " + path);
  std::fprintf(stderr, "wrote %s (%zu bytes, dtype %s)\n", path.c_str(), static_cast<size_t>(t.nbytes()),
               std::string(c10::toString(t.scalar_type())).c_str());
}

/* Max abs difference of an f32 output to the raw f32 file `path`. */
void print_diff(const std::string &path, at::Tensor t) {
  if (t.is_mkldnn()) t = t.to_dense();
  t = t.contiguous();
  if (t.scalar_type() != at::kFloat) throw std::runtime_error("--reference needs an f32 output");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error("cannot open " + path);
  std::vector<char> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (bytes.size() != static_cast<size_t>(t.nbytes()))
    throw std::runtime_error(path + " has " + std::to_string(bytes.size()) + " bytes, the output " +
                             std::to_string(t.nbytes()));
  std::vector<float> ref(bytes.size() / sizeof(float));
  std::memcpy(ref.data(), bytes.data(), bytes.size());
  const float *out = t.data_ptr<float>();
  double d = 0;
  for (size_t i = 0; i < ref.size(); i++) d = std::max(d, std::fabs(static_cast<double>(out[i]) - ref[i]));
  std::printf("max abs diff %.3e vs %s\n", d, path.c_str());
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  size_t idx = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(idx, v.size() - 1)];
}

/* Times --repeat inferences after --warmup untimed ones; wall/cpu may
** already hold the first inference's times (--include-first). */
void bench(Loaded &m, const at::Tensor &input, const Args &a, std::vector<double> wall, std::vector<double> cpu) {
  for (int i = 0; i < a.warmup; i++) infer(m, input, a.threads);
  while (wall.size() < static_cast<size_t>(a.repeat)) {
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
    infer(m, input, a.threads);
    wall.push_back(now(CLOCK_MONOTONIC) - w0);
    cpu.push_back(now(CLOCK_PROCESS_CPUTIME_ID) - c0);
  }
  std::printf("inference (%d runs, %d warmup, threads %d): wall median %.3f ms p90 %.3f ms; "
              "cpu median %.3f ms p90 %.3f ms\n",
              a.repeat, a.warmup, at::get_num_threads(), percentile(wall, 0.5), percentile(wall, 0.9),
              percentile(cpu, 0.5), percentile(cpu, 0.9));
}

/* OpenBLAS (when it is the system libblas.so.3) keeps its own thread
** pool whose idle workers spin; size it like libtorch's. */
void set_openblas_threads(int n) {
  void *lib = dlopen("libblas.so.3", RTLD_NOW | RTLD_NOLOAD);
  if (!lib) return;
  auto fn = reinterpret_cast<void (*)(int)>(dlsym(lib, "openblas_set_num_threads"));
  if (fn) fn(n);
  dlclose(lib);
}

int run(const Args &a) {
  if (a.threads > 0) {
    at::set_num_interop_threads(1);
    at::set_num_threads(a.threads);
    set_openblas_threads(a.threads);
  }
  at::Tensor input = read_input(a);
  double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  Loaded m = load_model(a);
  double load_wall = now(CLOCK_MONOTONIC) - w0, load_cpu = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
  std::vector<double> wall, cpu;
  w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
  c10::IValue out = infer(m, input, a.threads);
  if (a.include_first && a.repeat > 0) {
    wall.push_back(now(CLOCK_MONOTONIC) - w0);
    cpu.push_back(now(CLOCK_PROCESS_CPUTIME_ID) - c0);
  }
  if (!a.output.empty()) write_output(a.output, first_tensor(out));
  if (!a.reference.empty()) print_diff(a.reference, first_tensor(out));
  if (a.repeat > 0) {
    std::printf("model %s (%s%s): load wall %.3f ms, cpu %.3f ms\n", a.model.c_str(),
                m.mobile ? "mobile" : "torchscript", a.optimize && !m.mobile ? ", optimized" : a.fuse && !m.mobile ? ", fused" : "", load_wall,
                load_cpu);
    bench(m, input, a, wall, cpu);
  }
  return 0;
}

}  // namespace

/* The backend keeps freed memory in glibc's heap (torch_backend.cpp,
** keep_freed_memory) because re-faulting activations costs YOLOv8n 2-3x.
** The reference applies the same policy, so a benchmark compares libtorch
** with libtorch and not two allocator settings; WASITORCH_NN_MALLOC=system
** keeps glibc's defaults in both. */
static void match_backend_malloc() {
#ifdef __GLIBC__
  const char *v = std::getenv("WASITORCH_NN_MALLOC");
  if (v != nullptr && std::strcmp(v, "system") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

int main(int argc, char **argv) {
  Args a;
  match_backend_malloc();
  try {
    if (!parse_args(argc, argv, a)) {
      usage(argv[0]);
      return 2;
    }
    return run(a);
  } catch (const c10::Error &e) {
    std::fprintf(stderr, "wt-native-ref: %s\n", e.what_without_backtrace());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "wt-native-ref: %s\n", e.what());
  }
  return 1;
}
