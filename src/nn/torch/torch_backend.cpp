/*
** torch_backend.cpp — the PyTorch (libtorch 1.13) backend for wasi_ephemeral_nn.
**
** This is the only translation unit of the runtime that includes libtorch.
** It is built as a MODULE (libwasitorch_torch.so) that src/nn dlopens on
** demand, and exports exactly one symbol:
**
**     const nn_backend *wasitorch_backend_pytorch(void);
**
** Everything else has hidden visibility. The contract is src/nn/backend.h:
** plain C entry points that never throw. Each entry runs its body inside
** torch_guard(), which turns every C++ exception into an nn_errno and a
** one-line message, so a failing TorchScript model never aborts the host.
**
** Preparation of a model (kept call-for-call identical to the native
** reference runner, tools/native/wt_native_ref.cpp, so the two produce the
** same bits at the same thread count):
**   init:    glibc malloc keeps freed memory (see keep_freed_memory);
**            threads > 0 → at::set_num_interop_threads(1) (once per process),
**            at::set_num_threads(threads), OpenBLAS threads = threads
**   load:    format detected by content: a zip holding bytecode.pkl (or a
**            flatbuffer) is PyTorch Mobile → torch::jit::_load_for_mobile;
**            otherwise torch::jit::load; both onto the CPU device.
**            eval() when the module still has a "training" attribute
**            (frozen modules do not);
**            optimize (TorchScript only; NN_OPTIMIZE_*, overridden by the
**            env var WASITORCH_NN_OPTIMIZE=none|freeze|ofi|auto|fused):
**              ofi:    freeze if not frozen, then optimize_for_inference
**              freeze: freeze if not frozen
**              fused:  freeze if not frozen, then the oneDNN rewrite of
**                      dnnl_fuse.h (4-d inputs go in channels-last)
**              auto:   the preparation cached for this model, thread count
**                      and CPU (torch_prep.h), if any, else measured on
**                      the first compute (with its real input) and cached
**            A declared input spec (extra file wasitorch_inputs.txt) is
**            read; compute enforces it (see "Declared inputs").
**   compute: re-apply the thread count if this thread's OpenMP setting
**            differs, then forward() under c10::InferenceMode.
*/
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/mobile/file_format.h>
#include <torch/csrc/jit/mobile/import.h>
#include <torch/csrc/jit/mobile/module.h>
#include <torch/csrc/jit/serialization/import.h>
#include <torch/script.h>

#include <dlfcn.h>
#include <malloc.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <atomic>
#include <iterator>
#include <memory>
#include <mutex>
#include <new>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "nn/backend.h"
#include "torch_prep.h"

#define TORCH_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

/* Inputs are addressed by a guest-chosen index; this bound keeps a wild
** index from growing the input vector without limit. */
constexpr uint32_t kMaxInputs = 256;
/* Nested tuples/lists deeper than this are rejected rather than recursed. */
constexpr int kMaxNesting = 32;

/* An error with the errno it should be reported as. Thrown inside entry
** bodies and caught by torch_guard(). */
struct TorchFail {
  nn_errno code;
  std::string msg;
};

[[noreturn]] void fail(nn_errno code, std::string msg) {
  throw TorchFail{code, std::move(msg)};
}

/* ------------------------------------------------------------------------
** Process-wide options.
**
** backend.h passes the options to init() and not to each load, so they
** must outlive the call: this is the one piece of shared state, guarded by
** a mutex and reached through a function (no namespace-scope globals).
** init() may be called again to change the options for later loads.
** ---------------------------------------------------------------------- */
struct Config {
  std::mutex lock;
  nn_backend_options opts{0, 0};
  std::once_flag interop_once;
  std::once_flag malloc_once;
};

Config &config() {
  static Config cfg;
  return cfg;
}

nn_backend_options current_options() {
  Config &cfg = config();
  std::lock_guard<std::mutex> hold(cfg.lock);
  return cfg.opts;
}

/* ------------------------------------------------------------------------
** Messages
** ---------------------------------------------------------------------- */

void put_msg(char *msg, size_t msg_len, const std::string &text) {
  if (msg == nullptr || msg_len == 0) return;
  std::snprintf(msg, msg_len, "%s", text.c_str());
}

bool starts_with(const std::string &s, const char *prefix) {
  return s.compare(0, std::strlen(prefix), prefix) == 0;
}

/* True for a line like "RuntimeError: ..." or "builtins.ValueError: ...",
** the line of a TorchScript traceback that states what went wrong. */
bool is_error_line(const std::string &line) {
  size_t colon = line.find(": ");
  if (colon == std::string::npos || colon == 0) return false;
  for (size_t i = 0; i < colon; i++) {
    char c = line[i];
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.')) return false;
  }
  std::string head = line.substr(0, colon);
  return head.size() >= 5 && (head.compare(head.size() - 5, 5, "Error") == 0 ||
                              (head.size() >= 9 && head.compare(head.size() - 9, 9, "Exception") == 0));
}

/* libtorch messages span many lines: an interpreter traceback ending in
** "RuntimeError: <reason>", or a reason followed by a C++ backtrace and
** the schema. A host log wants the one line with the reason: the last
** "<Name>Error: " line if there is one, else the first non-empty line
** that is not traceback boilerplate. */
std::string useful_line(const std::string &text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    size_t first = line.find_first_not_of(" \t\r");
    if (first != std::string::npos) lines.push_back(line.substr(first));
    start = end + 1;
  }
  for (auto it = lines.rbegin(); it != lines.rend(); ++it)
    if (is_error_line(*it)) return *it;
  for (const std::string &line : lines)
    if (!starts_with(line, "The following operation failed") && !starts_with(line, "Traceback"))
      return line;
  return text.empty() ? std::string("unknown libtorch error") : text;
}

/* Runs `body` and converts whatever it throws into (errno, message).
** `code` is the errno for a libtorch/std exception (the caller knows
** whether it was loading a model or running one). */
template <typename Body>
nn_errno torch_guard(char *msg, size_t msg_len, nn_errno code, const char *what, Body body) {
  try {
    return body();
  } catch (const TorchFail &e) {
    put_msg(msg, msg_len, e.msg);
    return e.code;
  } catch (const c10::Error &e) {
    put_msg(msg, msg_len, std::string(what) + ": " + useful_line(e.what_without_backtrace()));
  } catch (const std::bad_alloc &) {
    put_msg(msg, msg_len, std::string(what) + ": out of memory");
  } catch (const std::exception &e) {
    put_msg(msg, msg_len, std::string(what) + ": " + useful_line(e.what()));
  } catch (...) {
    put_msg(msg, msg_len, std::string(what) + ": unknown C++ exception");
  }
  return code;
}

/* ------------------------------------------------------------------------
** Graphs and contexts
** ---------------------------------------------------------------------- */

/* A loaded model. Shared by the graph handle and every context made from
** it, so freeing the graph first cannot pull the module from under a
** context that is still in use. */
/* One declared input: dtype and dims, -1 = any size. */
struct InputSpec {
  at::ScalarType type;
  std::vector<int64_t> dims;
};

struct Model {
  bool mobile = false;
  torch::jit::Module script;
  torch::jit::mobile::Module lite;
  int threads = 0;
  std::vector<InputSpec> inputs; /* empty: the model declares none */
  /* NN_OPTIMIZE_AUTO only: */
  bool automatic = false;
  std::string cache_file;                /* "" = no cache directory */
  wtprep::CacheKey key;
  bool cache_hit = false;                /* `prepared` came from the cache */
  wtprep::CacheRecord cached;
  torch::jit::Module loaded;             /* as-is module, kept until settled */
  wtprep::Prepared prepared;             /* what compute runs once settled */
  std::mutex select_lock;
  std::atomic<bool> settled{false};
};

struct Graph {
  std::shared_ptr<Model> model;
};

struct Context {
  std::shared_ptr<Model> model;
  std::vector<c10::optional<at::Tensor>> inputs;
  std::vector<at::Tensor> outputs;
  bool computed = false;
};

/* A read-only std::streambuf over the caller's bytes, so torch::jit::load
** can read them as an istream without first copying them into a string.
** Only reading and seeking are supported, which is all the zip reader
** needs. */
class ByteBuf : public std::streambuf {
 public:
  ByteBuf(const uint8_t *bytes, size_t len) {
    char *p = reinterpret_cast<char *>(const_cast<uint8_t *>(bytes));
    setg(p, p, p + len);
  }

 protected:
  pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode which) override {
    if (!(which & std::ios_base::in)) return pos_type(off_type(-1));
    off_type base = dir == std::ios_base::beg ? 0 : dir == std::ios_base::cur ? gptr() - eback() : egptr() - eback();
    return seekpos(pos_type(base + off), which);
  }
  pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
    off_type at = off_type(pos);
    if (!(which & std::ios_base::in) || at < 0 || at > egptr() - eback()) return pos_type(off_type(-1));
    setg(eback(), eback() + at, egptr());
    return pos;
  }
};

/* PyTorch Mobile files are zips holding bytecode.pkl (or flatbuffers);
** TorchScript zips hold only code/ and data.pkl. Detect by content, never
** by file name. Throws (c10::Error) for data that is not a model at all. */
bool is_mobile(std::istream &in) {
  if (torch::jit::getFileFormat(in) == torch::jit::FileFormat::FlatbufferFileFormat) return true;
  caffe2::serialize::PyTorchStreamReader reader(&in);
  bool found = reader.hasRecord("bytecode.pkl");
  in.clear();
  in.seekg(0, std::ios_base::beg);
  return found;
}

/* eval(), then the optional freeze + optimize_for_inference. A frozen
** module has no "training" attribute left, and calling eval() on it would
** fail, so both steps look for the attribute first. */
void prepare_script(Model &m, int mode) {
  if (m.script.hasattr("training")) m.script.eval();
  if (mode != NN_OPTIMIZE_OFI && mode != NN_OPTIMIZE_FREEZE) return;
  if (m.script.hasattr("training")) m.script = torch::jit::freeze(m.script);
  if (mode == NN_OPTIMIZE_OFI) m.script = torch::jit::optimize_for_inference(m.script);
}

/* Modes only reachable through the env var: one named preparation of
** torch_prep.h, forced without measuring (benchmarks, tests). */
constexpr int kForcedPrep = 100;

/* The optimize mode: the env var WASITORCH_NN_OPTIMIZE (tests, quick
** experiments) wins over the configured one. Besides the four modes it
** takes a preparation name (freeze_cl, ofi_cl, fused, ...) to force that one. */
int optimize_mode(int configured) {
  const char *v = std::getenv("WASITORCH_NN_OPTIMIZE");
  if (v == nullptr || *v == '\0') return configured;
  const std::pair<const char *, int> names[] = {{"none", NN_OPTIMIZE_NONE},
                                                {"ofi", NN_OPTIMIZE_OFI},
                                                {"freeze", NN_OPTIMIZE_FREEZE},
                                                {"auto", NN_OPTIMIZE_AUTO},
                                                {"fused", NN_OPTIMIZE_FUSED}};
  for (const auto &n : names)
    if (std::strcmp(v, n.first) == 0) return n.second;
  wtprep::Prep forced;
  if (wtprep::prep_by_name(v, &forced)) return kForcedPrep + static_cast<int>(forced);
  fail(NN_INVALID_ARGUMENT, std::string("WASITORCH_NN_OPTIMIZE=") + v +
                                ": expected none, freeze, ofi, auto or a preparation (asis, freeze_cl, ofi_cl, fused)");
}

/* A forced preparation: built now, never measured or cached. */
void prepare_forced(Model &m, int mode) {
  m.automatic = true;
  m.prepared = wtprep::build(m.script, static_cast<wtprep::Prep>(mode - kForcedPrep));
  m.script = m.prepared.module;
  m.settled.store(true, std::memory_order_release);
}

/* Auto mode at load time: look the model up in the preparation cache and,
** on a hit, build the cached preparation now (its cost belongs to load,
** like the ofi mode's). A miss or a preparation that fails to build leaves
** the choice to the first compute. */
void prepare_auto(Model &m, const uint8_t *bytes, size_t len) {
  m.automatic = true;
  m.loaded = m.script;
  m.key = wtprep::make_key(wtprep::model_hash(bytes, len), m.threads);
  m.cache_file = wtprep::cache_path(m.key);
  std::string why = "no cache directory ($WASITORCH_PREP_CACHE, $XDG_CACHE_HOME, $HOME unset)";
  if (!m.cache_file.empty() && wtprep::cache_read(m.cache_file, m.key, &m.cached, &why)) {
    try {
      m.prepared = wtprep::build(m.loaded, m.cached.prep);
      m.cache_hit = true;
      wtprep::log_line("cache hit " + m.cache_file + ": " + wtprep::prep_name(m.cached.prep) + " for " +
                       m.cached.signature);
      return;
    } catch (const std::exception &e) {
      why = std::string("cached preparation failed to build: ") + e.what();
    }
  }
  wtprep::log_line("cache miss " + (m.cache_file.empty() ? std::string("-") : m.cache_file) + ": " + why);
}

/* The module whose forward schema compute checks. In auto mode settle()
** replaces it (under select_lock) while another context of the same model
** may be checking, so it is read under the same lock. */
torch::jit::Module script_for_check(Model &m) {
  if (!m.automatic) return m.script;
  std::lock_guard<std::mutex> hold(m.select_lock);
  return m.script;
}

/* Auto mode on compute: settles the preparation once per model. The cached
** choice stands if it was measured for this input signature; otherwise
** every candidate is measured on these inputs and the winner cached. */
void settle(Model &m, const std::vector<c10::IValue> &args) {
  if (m.settled.load(std::memory_order_acquire)) return;
  std::lock_guard<std::mutex> hold(m.select_lock);
  if (m.settled.load(std::memory_order_relaxed)) return;
  std::string sig = wtprep::input_signature(args);
  if (!m.cache_hit || m.cached.signature != sig) {
    wtprep::Selection sel = wtprep::select(m.loaded, args, wtprep::settings_from_env());
    m.prepared = std::move(sel.best);
    wtprep::log_line("measured " + m.key.model + " t=" + std::to_string(m.threads) + " " + sig + ": " +
                     wtprep::describe(sel.table) + " -> " + wtprep::prep_name(m.prepared.prep));
    std::string why;
    if (m.cache_file.empty())
      wtprep::log_line("not cached: no cache directory");
    else if (!wtprep::cache_write(m.cache_file, m.key, wtprep::CacheRecord{sig, m.prepared.prep}, sel.table, &why))
      wtprep::log_line("not cached: " + why);
  }
  m.script = m.prepared.module;      /* forward schema checks use it from now on */
  m.loaded = torch::jit::Module();  /* the as-is module is no longer needed */
  m.settled.store(true, std::memory_order_release);
}

void prepare_lite(Model &m) {
  if (!m.lite.attr("training", c10::IValue()).isNone()) m.lite.eval();
}

/* ------------------------------------------------------------------------
** Declared inputs
**
** A model may carry the extra file wasitorch_inputs.txt (written by
** tools/export_mobilenet.py): one line per input, "f32 -1,3,-1,-1". When
** present, compute checks every input against it before forward().
** This is a safety net, not a nicety: libtorch 1.13's XNNPACK prepacked
** convolutions (PyTorch Mobile models from optimize_for_mobile) do not
** check the channel count of their input, and read out of bounds (and
** crash) when given fewer channels than the model was built for.
** ---------------------------------------------------------------------- */
constexpr const char *kInputSpecFile = "wasitorch_inputs.txt";

/* The WASI-NN tensor type names, as used in specs and messages. */
const std::pair<const char *, at::ScalarType> kTypeNames[] = {
    {"f16", at::kHalf}, {"f32", at::kFloat}, {"f64", at::kDouble},
    {"u8", at::kByte},  {"i32", at::kInt},   {"i64", at::kLong}};

at::ScalarType type_by_name(const std::string &name) {
  for (const auto &n : kTypeNames)
    if (name == n.first) return n.second;
  fail(NN_INVALID_ARGUMENT, std::string(kInputSpecFile) + ": unknown dtype \"" + name + "\"");
}

std::string type_name(at::ScalarType type) {
  for (const auto &n : kTypeNames)
    if (type == n.second) return n.first;
  return c10::toString(type);
}

std::vector<InputSpec> parse_input_spec(const std::string &text) {
  std::vector<InputSpec> specs;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream fields(line);
    std::string type, dims, dim;
    if (!(fields >> type)) continue; /* blank line */
    InputSpec spec{type_by_name(type), {}};
    fields >> dims;
    std::istringstream parts(dims);
    while (std::getline(parts, dim, ',')) {
      char *end = nullptr;
      long long v = std::strtoll(dim.c_str(), &end, 10);
      if (dim.empty() || *end != '\0' || v < -1)
        fail(NN_INVALID_ARGUMENT, std::string(kInputSpecFile) + ": bad dimension \"" + dim + "\"");
      spec.dims.push_back(v);
    }
    specs.push_back(std::move(spec));
  }
  return specs;
}

std::string describe(at::ScalarType type, c10::IntArrayRef dims) {
  std::string s = type_name(type) + " [";
  for (size_t i = 0; i < dims.size(); i++) s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

void check_input_spec(const Model &m, const std::vector<c10::IValue> &args) {
  if (m.inputs.empty()) return;
  if (args.size() != m.inputs.size())
    fail(NN_INVALID_ARGUMENT, "the model takes " + std::to_string(m.inputs.size()) + " input(s), " +
                                  std::to_string(args.size()) + " were set");
  for (size_t i = 0; i < args.size(); i++) {
    const at::Tensor &t = args[i].toTensor();
    const InputSpec &spec = m.inputs[i];
    bool ok = t.scalar_type() == spec.type && t.dim() == static_cast<int64_t>(spec.dims.size());
    for (size_t d = 0; ok && d < spec.dims.size(); d++) ok = spec.dims[d] == -1 || spec.dims[d] == t.size(d);
    if (!ok)
      fail(NN_INVALID_ARGUMENT, "input " + std::to_string(i) + " is " + describe(t.scalar_type(), t.sizes()) +
                                    ", the model takes " + describe(spec.type, spec.dims));
  }
}

/* Loads a model from an istream positioned at its start. `bytes` holds the
** whole file when the caller has it in memory (needed by the auto mode's
** cache key; may be null otherwise). */
std::shared_ptr<Model> load_stream(std::istream &in, int mode, const uint8_t *bytes, size_t len) {
  nn_backend_options opts = current_options();
  auto model = std::make_shared<Model>();
  model->threads = opts.threads;
  model->mobile = is_mobile(in);
  torch::jit::ExtraFilesMap extra{{kInputSpecFile, ""}};
  if (model->mobile) {
    model->lite = torch::jit::_load_for_mobile(in, at::Device(at::kCPU), extra);
    prepare_lite(*model);
  } else {
    model->script = torch::jit::load(in, at::Device(at::kCPU), extra);
    prepare_script(*model, mode);
    if (mode == NN_OPTIMIZE_AUTO) prepare_auto(*model, bytes, len);
    if (mode == NN_OPTIMIZE_FUSED) prepare_forced(*model, kForcedPrep + static_cast<int>(wtprep::Prep::Fused));
    if (mode >= kForcedPrep) prepare_forced(*model, mode);
  }
  model->inputs = parse_input_spec(extra[kInputSpecFile]);
  return model;
}

/* The C side may pass any 32-bit value in an enum field; in C++ a value
** outside the enumerators' range is undefined behaviour to load as the
** enum type, so enums from the host are read as their raw integer. */
template <typename Enum>
int raw_enum(const Enum &e) {
  typename std::underlying_type<Enum>::type raw;
  std::memcpy(&raw, &e, sizeof raw);
  return static_cast<int>(raw);
}

void check_target(const nn_target &target_in) {
  int target = raw_enum(target_in);
  switch (target) {
    case NN_TARGET_CPU:
      return;
    case NN_TARGET_GPU:
      fail(NN_UNSUPPORTED_OPERATION, "execution target gpu: this libtorch has no CUDA; use cpu");
    case NN_TARGET_TPU:
      fail(NN_UNSUPPORTED_OPERATION, "execution target tpu is not supported by the PyTorch backend; use cpu");
  }
  fail(NN_INVALID_ARGUMENT, "unknown execution target " + std::to_string(target));
}

/* ------------------------------------------------------------------------
** Tensors in and out
** ---------------------------------------------------------------------- */

at::ScalarType scalar_type(const nn_tensor_type &type_in) {
  int type = raw_enum(type_in);
  switch (type) {
    case NN_TYPE_F16: return at::kHalf;
    case NN_TYPE_F32: return at::kFloat;
    case NN_TYPE_F64: return at::kDouble;
    case NN_TYPE_U8: return at::kByte;
    case NN_TYPE_I32: return at::kInt;
    case NN_TYPE_I64: return at::kLong;
  }
  fail(NN_INVALID_ARGUMENT, "unknown tensor type " + std::to_string(type));
}

/* Copies a guest tensor into a fresh libtorch tensor. The guest's data is
** only valid during set_input and may be unaligned, so it is memcpy'd into
** storage libtorch allocated, never wrapped with from_blob. */
at::Tensor tensor_from_guest(const nn_tensor &t) {
  at::ScalarType st = scalar_type(t.type);
  if (t.ndims > 0 && t.dims == nullptr) fail(NN_INVALID_ARGUMENT, "tensor has dimensions but no dims array");
  std::vector<int64_t> sizes(t.ndims);
  size_t count = 1;
  for (uint32_t i = 0; i < t.ndims; i++) {
    sizes[i] = t.dims[i];
    if (t.dims[i] != 0 && count > SIZE_MAX / t.dims[i]) fail(NN_INVALID_ARGUMENT, "tensor dimensions overflow");
    count *= t.dims[i];
  }
  size_t elem = c10::elementSize(st);
  if (count > SIZE_MAX / elem || count * elem != t.size)
    fail(NN_INVALID_ARGUMENT, "tensor data is " + std::to_string(t.size) + " bytes but its dims and type need " +
                                  std::to_string(count * elem));
  if (t.size > 0 && t.data == nullptr) fail(NN_INVALID_ARGUMENT, "tensor has no data");
  at::Tensor out = at::empty(sizes, at::TensorOptions().dtype(st).device(at::kCPU));
  if (t.size > 0) std::memcpy(out.data_ptr(), t.data, t.size);
  return out;
}

/* Makes an output tensor plain: dense, strided, contiguous, on the CPU. */
at::Tensor plain_tensor(at::Tensor t) {
  if (t.is_mkldnn() || t.is_sparse()) t = t.to_dense();
  return t.contiguous();
}

/* Flattens a forward() result into a list of tensors by position: tuples
** and lists in order, nested ones depth-first, dicts in insertion order;
** Python scalars become 0-d tensors (int → i64, float → f64, bool). */
void flatten(const c10::IValue &v, std::vector<at::Tensor> &out, int depth) {
  if (depth > kMaxNesting) fail(NN_RUNTIME_ERROR, "model output is nested too deeply");
  if (v.isTensor()) {
    out.push_back(plain_tensor(v.toTensor()));
  } else if (v.isTuple()) {
    for (const c10::IValue &e : v.toTupleRef().elements()) flatten(e, out, depth + 1);
  } else if (v.isList()) {
    for (const c10::IValue &e : v.toListRef()) flatten(e, out, depth + 1);
  } else if (v.isGenericDict()) {
    for (const auto &kv : v.toGenericDict()) flatten(kv.value(), out, depth + 1);
  } else if (v.isInt()) {
    out.push_back(at::scalar_tensor(v.toInt(), at::kLong));
  } else if (v.isDouble()) {
    out.push_back(at::scalar_tensor(v.toDouble(), at::kDouble));
  } else if (v.isBool()) {
    out.push_back(at::scalar_tensor(v.toBool(), at::kBool));
  } else {
    fail(NN_RUNTIME_ERROR, "model output of type " + v.tagKind() + " is not a tensor, tuple, list or dict");
  }
}

/* Gathers the inputs, refusing a gap (input k unset while a higher index
** is set). */
std::vector<c10::IValue> gather_inputs(const Context &ctx) {
  std::vector<c10::IValue> args;
  args.reserve(ctx.inputs.size());
  for (size_t i = 0; i < ctx.inputs.size(); i++) {
    if (!ctx.inputs[i].has_value()) fail(NN_INVALID_ARGUMENT, "input " + std::to_string(i) + " was not set");
    args.emplace_back(*ctx.inputs[i]);
  }
  return args;
}

/* For TorchScript the forward schema is known: check the argument count
** and types before running, so that a wrong call is reported as
** invalid_argument with the declaration, not as a failure of the model. */
void check_script_args(torch::jit::Module &script, const std::vector<c10::IValue> &args) {
  torch::jit::Method forward = script.get_method("forward");
  std::vector<c10::IValue> stack;
  stack.reserve(args.size() + 1);
  stack.emplace_back(script._ivalue());
  stack.insert(stack.end(), args.begin(), args.end());
  try {
    forward.function().getSchema().checkAndNormalizeInputs(stack, {});
  } catch (const std::exception &e) {
    fail(NN_INVALID_ARGUMENT, "forward: " + useful_line(e.what()));
  }
}

/* libtorch's BLAS calls (unfrozen linear layers, some convolutions) go to
** the system libblas.so.3. When that is OpenBLAS with its own pthread
** pool, it ignores at::set_num_threads and its idle workers spin, doubling
** the CPU time of a one-thread inference; give it the same count. The
** library is already loaded by libtorch, so RTLD_NOLOAD only finds it. */
void set_blas_threads(int threads) {
  void *blas = dlopen("libblas.so.3", RTLD_NOW | RTLD_NOLOAD);
  if (blas == nullptr) return;
  using SetThreads = void (*)(int);
  auto set = reinterpret_cast<SetThreads>(dlsym(blas, "openblas_set_num_threads"));
  if (set != nullptr) set(threads);
  dlclose(blas);
}

/* libtorch's CPU allocator takes every tensor from malloc, and glibc serves
** the large ones (activations of a 640x640 detector are megabytes) from
** fresh mmaps or trims them back to the kernel on free, so every
** inference first-touches its activations again: page faults that cost
** YOLOv8n 2-3x here (docs/torch-performance.md). Keeping freed memory in
** the heap makes steady-state inference fault-free; the price is that RSS
** stays at its peak. Guest linear memory is mmap'ed by the runtime itself
** and not affected. WASITORCH_NN_MALLOC=system keeps glibc's defaults. */
void keep_freed_memory() {
#ifdef __GLIBC__
  const char *v = std::getenv("WASITORCH_NN_MALLOC");
  if (v != nullptr && std::strcmp(v, "system") == 0) return;
  mallopt(M_MMAP_THRESHOLD, 32 << 20); /* glibc's maximum on 64-bit */
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
}

/* The thread count is an OpenMP setting of the calling thread; the host may
** call compute from a thread other than the one that ran init. */
void apply_threads(int threads) {
  if (threads > 0 && at::get_num_threads() != threads) at::set_num_threads(threads);
}

c10::IValue run_forward(Model &m, std::vector<c10::IValue> args) {
  apply_threads(m.threads);
  c10::InferenceMode guard;
  if (m.mobile) return m.lite.forward(std::move(args));
  if (m.automatic) {
    settle(m, args);
    return wtprep::run(m.prepared, std::move(args));
  }
  return m.script.forward(std::move(args));
}

/* ------------------------------------------------------------------------
** Entry points (the nn_backend table)
** ---------------------------------------------------------------------- */

nn_errno torch_init(const nn_backend_options *opts, char *msg, size_t msg_len) {
  return torch_guard(msg, msg_len, NN_RUNTIME_ERROR, "init", [&] {
    nn_backend_options o = opts ? *opts : nn_backend_options{0, 0};
    if (o.threads < 0) fail(NN_INVALID_ARGUMENT, "thread count must be >= 0");
    if (o.optimize < NN_OPTIMIZE_NONE || o.optimize > NN_OPTIMIZE_FUSED)
      fail(NN_INVALID_ARGUMENT, "unknown optimize mode " + std::to_string(o.optimize));
    Config &cfg = config();
    std::lock_guard<std::mutex> hold(cfg.lock);
    cfg.opts = o;
    std::call_once(cfg.malloc_once, keep_freed_memory);
    if (o.threads > 0) {
      /* Inter-op parallelism is never useful for one forward() at a time,
      ** and libtorch allows setting it only once per process. */
      std::call_once(cfg.interop_once, [] { at::set_num_interop_threads(1); });
      at::set_num_threads(o.threads);
      set_blas_threads(o.threads);
    }
    return NN_SUCCESS;
  });
}

nn_errno torch_load_bytes(const uint8_t *bytes, size_t len, nn_target target, void **graph, char *msg,
                          size_t msg_len) {
  return torch_guard(msg, msg_len, NN_INVALID_ARGUMENT, "load", [&] {
    if (graph == nullptr) fail(NN_INVALID_ARGUMENT, "no graph out-pointer");
    if (bytes == nullptr || len == 0) fail(NN_INVALID_ARGUMENT, "model bytes are empty");
    check_target(target);
    int mode = optimize_mode(current_options().optimize);
    ByteBuf buf(bytes, len);
    std::istream in(&buf);
    auto g = std::make_unique<Graph>();
    g->model = load_stream(in, mode, bytes, len);
    *graph = g.release();
    return NN_SUCCESS;
  });
}

nn_errno torch_load_path(const char *path, nn_target target, void **graph, char *msg, size_t msg_len) {
  return torch_guard(msg, msg_len, NN_INVALID_ARGUMENT, "load", [&] {
    if (graph == nullptr || path == nullptr) fail(NN_INVALID_ARGUMENT, "no path or graph out-pointer");
    check_target(target);
    int mode = optimize_mode(current_options().optimize);
    std::ifstream in(path, std::ios_base::binary);
    if (!in) fail(NN_NOT_FOUND, std::string("cannot open model file ") + path + ": " + std::strerror(errno));
    auto g = std::make_unique<Graph>();
    try {
      if (mode == NN_OPTIMIZE_AUTO) {
        /* The cache key hashes the file's bytes: read it whole once. */
        std::string data{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
        if (in.bad()) fail(NN_INVALID_ARGUMENT, std::string("cannot read model file ") + path);
        const uint8_t *p = reinterpret_cast<const uint8_t *>(data.data());
        ByteBuf buf(p, data.size());
        std::istream mem(&buf);
        g->model = load_stream(mem, mode, p, data.size());
      } else {
        g->model = load_stream(in, mode, nullptr, 0);
      }
    } catch (const c10::Error &e) {
      fail(NN_INVALID_ARGUMENT, std::string(path) + ": " + useful_line(e.what_without_backtrace()));
    }
    *graph = g.release();
    return NN_SUCCESS;
  });
}

void torch_free_graph(void *graph) {
  try {
    delete static_cast<Graph *>(graph);
  } catch (...) {
    /* A destructor that throws would terminate; nothing to report. */
  }
}

nn_errno torch_init_context(void *graph, void **ctx, char *msg, size_t msg_len) {
  return torch_guard(msg, msg_len, NN_RUNTIME_ERROR, "init_execution_context", [&] {
    if (graph == nullptr || ctx == nullptr) fail(NN_INVALID_ARGUMENT, "no graph or context out-pointer");
    auto c = std::make_unique<Context>();
    c->model = static_cast<Graph *>(graph)->model;
    *ctx = c.release();
    return NN_SUCCESS;
  });
}

void torch_free_context(void *ctx) {
  try {
    delete static_cast<Context *>(ctx);
  } catch (...) {
  }
}

nn_errno torch_set_input(void *ctx, uint32_t index, const nn_tensor *tensor, char *msg, size_t msg_len) {
  return torch_guard(msg, msg_len, NN_INVALID_ARGUMENT, "set_input", [&] {
    if (ctx == nullptr || tensor == nullptr) fail(NN_INVALID_ARGUMENT, "no context or tensor");
    if (index >= kMaxInputs)
      fail(NN_INVALID_ARGUMENT, "input index " + std::to_string(index) + " is too large (max " +
                                    std::to_string(kMaxInputs - 1) + ")");
    Context &c = *static_cast<Context *>(ctx);
    at::Tensor t = tensor_from_guest(*tensor);
    if (c.inputs.size() <= index) c.inputs.resize(index + 1);
    c.inputs[index] = std::move(t);
    return NN_SUCCESS;
  });
}

nn_errno torch_compute(void *ctx, char *msg, size_t msg_len) {
  return torch_guard(msg, msg_len, NN_RUNTIME_ERROR, "compute", [&] {
    if (ctx == nullptr) fail(NN_INVALID_ARGUMENT, "no context");
    Context &c = *static_cast<Context *>(ctx);
    /* Stale outputs must never survive a compute, failed or not. */
    c.outputs.clear();
    c.computed = false;
    std::vector<c10::IValue> args = gather_inputs(c);
    check_input_spec(*c.model, args);
    if (!c.model->mobile) {
      torch::jit::Module script = script_for_check(*c.model);
      check_script_args(script, args);
    }
    c10::IValue result = run_forward(*c.model, std::move(args));
    std::vector<at::Tensor> outs;
    flatten(result, outs, 0);
    c.outputs = std::move(outs);
    c.computed = true;
    return NN_SUCCESS;
  });
}

nn_errno torch_get_output(void *ctx, uint32_t index, void *buf, size_t cap, size_t *written, char *msg,
                          size_t msg_len) {
  return torch_guard(msg, msg_len, NN_RUNTIME_ERROR, "get_output", [&] {
    if (ctx == nullptr || written == nullptr) fail(NN_INVALID_ARGUMENT, "no context or bytes-written pointer");
    *written = 0;
    Context &c = *static_cast<Context *>(ctx);
    if (!c.computed) fail(NN_INVALID_ARGUMENT, "no outputs: compute has not run successfully on this context");
    if (index >= c.outputs.size())
      fail(NN_INVALID_ARGUMENT, "output index " + std::to_string(index) + " out of range (the model produced " +
                                    std::to_string(c.outputs.size()) + " outputs)");
    const at::Tensor &t = c.outputs[index];
    size_t need = t.nbytes();
    if (need > cap) {
      *written = need;
      fail(NN_TOO_LARGE, "output " + std::to_string(index) + " needs " + std::to_string(need) +
                             " bytes, buffer has " + std::to_string(cap));
    }
    if (need > 0 && buf == nullptr) fail(NN_INVALID_ARGUMENT, "no output buffer");
    if (need > 0) std::memcpy(buf, t.data_ptr(), need);
    *written = need;
    return NN_SUCCESS;
  });
}

const nn_backend kBackend = {
    NN_BACKEND_ABI_VERSION, "pytorch",          torch_init,        torch_load_bytes,
    torch_load_path,        torch_free_graph,   torch_init_context, torch_free_context,
    torch_set_input,        torch_compute,      torch_get_output,
};

}  // namespace

/* The one exported symbol: src/nn finds it with dlsym. */
TORCH_EXPORT const nn_backend *wasitorch_backend_pytorch(void) { return &kBackend; }
