/*
** torch_prep.cpp — graph preparations and the timing selector (see
** torch_prep.h). Called by torch_backend.cpp for the "auto" optimize mode.
*/
#include "torch_prep.h"

#include "dnnl_fuse.h"

#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>

namespace wtprep {

namespace {

const char *const kNames[] = {"asis", "freeze", "ofi", "freeze_cl", "ofi_cl", "fused"};
constexpr int kPrepCount = sizeof kNames / sizeof kNames[0];

double now_ms() {
  using clock = std::chrono::steady_clock;
  return std::chrono::duration<double, std::milli>(clock::now().time_since_epoch()).count();
}

double thread_cpu_ms() {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* A frozen copy: freezing clones, and an already frozen module is cloned
** so that in-place passes (optimize_for_inference rewrites the graph of a
** frozen module in place) never touch the loaded one. */
torch::jit::Module frozen_copy(const torch::jit::Module &loaded) {
  if (is_frozen(loaded)) return loaded.clone();
  return torch::jit::freeze(loaded);
}

/* Rewrites the weight constants of 2-d convolutions in a frozen graph to
** channels-last memory format, so that a channels-last input meets
** channels-last weights and no per-call weight reorder happens. */
void weights_channels_last(torch::jit::Block *block, torch::jit::Graph &graph) {
  for (torch::jit::Node *node : block->nodes()) {
    for (torch::jit::Block *sub : node->blocks()) weights_channels_last(sub, graph);
    bool conv = node->kind() == c10::Symbol::fromQualString("aten::conv2d") ||
                node->kind() == c10::Symbol::fromQualString("aten::_convolution");
    if (!conv || node->inputs().size() < 2) continue;
    torch::jit::Value *w = node->input(1);
    if (w->node()->kind() != c10::prim::Constant) continue;
    c10::optional<c10::IValue> iv = torch::jit::toIValue(w);
    if (!iv || !iv->isTensor() || iv->toTensor().dim() != 4) continue;
    at::Tensor cl = iv->toTensor().contiguous(at::MemoryFormat::ChannelsLast);
    torch::jit::WithInsertPoint guard(node);
    node->replaceInput(1, graph.insertConstant(cl));
  }
}

void forward_weights_channels_last(torch::jit::Module &m) {
  std::shared_ptr<torch::jit::Graph> graph = m.get_method("forward").graph();
  weights_channels_last(graph->block(), *graph);
}

/* Compares one output tensor with the reference; updates the maxima.
** Returns false with a note for a shape, dtype or non-finite mismatch. */
bool compare_tensor(const at::Tensor &got_in, const at::Tensor &ref_in, Measurement &m, double *ref_max) {
  at::Tensor got = got_in.is_mkldnn() ? got_in.to_dense() : got_in;
  at::Tensor ref = ref_in.is_mkldnn() ? ref_in.to_dense() : ref_in;
  if (got.sizes() != ref.sizes() || got.scalar_type() != ref.scalar_type()) {
    m.note = "output shape or dtype differs";
    return false;
  }
  if (!at::isFloatingType(ref.scalar_type())) {
    if (!at::equal(got, ref)) m.note = "integer output differs", m.max_abs_diff = INFINITY;
    return m.note.empty();
  }
  at::Tensor g = got.to(at::kDouble), r = ref.to(at::kDouble);
  if (!at::equal(at::isfinite(g), at::isfinite(r))) {
    m.note = "non-finite values differ";
    return false;
  }
  at::Tensor fin = at::isfinite(r);
  if (fin.any().item<bool>()) {
    double d = (g - r).abs().masked_select(fin).max().item<double>();
    double s = r.abs().masked_select(fin).max().item<double>();
    m.max_abs_diff = std::max(m.max_abs_diff, d);
    *ref_max = std::max(*ref_max, s);
  }
  return true;
}

void flatten_out(const c10::IValue &v, std::vector<at::Tensor> &out, int depth) {
  if (depth > 32) throw std::runtime_error("output nested too deeply");
  if (v.isTensor()) {
    out.push_back(v.toTensor());
  } else if (v.isTuple()) {
    for (const c10::IValue &e : v.toTupleRef().elements()) flatten_out(e, out, depth + 1);
  } else if (v.isList()) {
    for (const c10::IValue &e : v.toListRef()) flatten_out(e, out, depth + 1);
  } else if (v.isGenericDict()) {
    for (const auto &kv : v.toGenericDict()) flatten_out(kv.value(), out, depth + 1);
  } else if (v.isScalar()) {
    out.push_back(at::scalar_tensor(v.toScalar()));
  }
}

/* Checks a candidate's output against the as-is output: allclose with
** rtol and atol = rtol x max |reference|, elementwise. */
bool within_tolerance(const c10::IValue &got, const c10::IValue &ref, const Settings &s, Measurement &m) {
  std::vector<at::Tensor> g, r;
  flatten_out(got, g, 0);
  flatten_out(ref, r, 0);
  if (g.size() != r.size()) {
    m.note = "number of outputs differs";
    return false;
  }
  double ref_max = 0;
  for (size_t i = 0; i < g.size(); i++)
    if (!compare_tensor(g[i], r[i], m, &ref_max)) return false;
  m.rel_diff = ref_max > 0 ? m.max_abs_diff / ref_max : m.max_abs_diff;
  /* allclose per element is stricter near zero; the global form keeps the
  ** check meaningful for outputs mixing scales (YOLO boxes and scores). */
  for (size_t i = 0; i < g.size(); i++) {
    if (!at::isFloatingType(r[i].scalar_type())) continue;
    at::Tensor gd = g[i].is_mkldnn() ? g[i].to_dense() : g[i];
    at::Tensor rd = r[i].is_mkldnn() ? r[i].to_dense() : r[i];
    at::Tensor fin = at::isfinite(rd);
    at::Tensor err = (gd.to(at::kDouble) - rd.to(at::kDouble)).abs().masked_select(fin);
    at::Tensor lim = (rd.to(at::kDouble).abs() * s.rtol + s.rtol * ref_max).masked_select(fin);
    if (err.numel() > 0 && (err > lim).any().item<bool>()) {
      char buf[96];
      std::snprintf(buf, sizeof buf, "differs by %.3g (max |ref| %.3g, rtol %.3g)", m.max_abs_diff, ref_max, s.rtol);
      m.note = buf;
      return false;
    }
  }
  return true;
}

/* The candidates worth building for this model: freezing a frozen model
** would give the as-is module again; channels-last needs a 4-d input. */
std::vector<Prep> candidates(const torch::jit::Module &loaded, const std::vector<c10::IValue> &args) {
  bool four_d = false;
  for (const c10::IValue &a : args)
    if (a.isTensor() && a.toTensor().dim() == 4 && at::isFloatingType(a.toTensor().scalar_type())) four_d = true;
  std::vector<Prep> list{Prep::AsIs};
  if (!is_frozen(loaded)) list.push_back(Prep::Freeze);
  list.push_back(Prep::Ofi);
  if (four_d) {
    list.push_back(Prep::FreezeCL);
    list.push_back(Prep::OfiCL);
    if (dnnl_fusion_available()) list.push_back(Prep::Fused);
  }
  return list;
}

int env_int(const char *name, int def, int lo, int hi) {
  const char *v = std::getenv(name);
  if (v == nullptr || *v == '\0') return def;
  char *end = nullptr;
  long n = std::strtol(v, &end, 10);
  return (*end != '\0' || n < lo || n > hi) ? def : static_cast<int>(n);
}

double env_double(const char *name, double def) {
  const char *v = std::getenv(name);
  if (v == nullptr || *v == '\0') return def;
  char *end = nullptr;
  double d = std::strtod(v, &end);
  return (*end != '\0' || !(d >= 0) || d > 1) ? def : d;
}

/* Builds a candidate, runs it twice (the profiling executor specialises
** on the first runs) and checks the second output. Fills m. */
bool try_candidate(const torch::jit::Module &loaded, Prep p, const std::vector<c10::IValue> &args,
                   const c10::IValue &ref, const Settings &s, Prepared *out, Measurement &m) {
  m.prep = p;
  try {
    double t0 = now_ms();
    *out = build(loaded, p);
    m.build_ms = now_ms() - t0;
    run(*out, args);
    c10::IValue got = run(*out, args);
    m.ok = within_tolerance(got, ref, s, m);
  } catch (const std::exception &e) {
    std::string what = e.what();
    m.note = "failed: " + what.substr(0, what.find('\n'));
    m.ok = false;
  }
  return m.ok;
}

}  // namespace

const char *prep_name(Prep p) { return kNames[static_cast<int>(p)]; }

std::string offered_preps() {
  std::string s;
  for (int i = 0; i < kPrepCount; i++) {
    if (static_cast<Prep>(i) == Prep::Fused && !dnnl_fusion_available()) continue;
    s += (s.empty() ? "" : ",") + std::string(kNames[i]);
  }
  return s;
}

bool prep_by_name(const std::string &name, Prep *out) {
  for (int i = 0; i < kPrepCount; i++)
    if (name == kNames[i]) {
      *out = static_cast<Prep>(i);
      return true;
    }
  return false;
}

bool is_frozen(const torch::jit::Module &m) { return !m.hasattr("training"); }

Prepared build(const torch::jit::Module &loaded, Prep p) {
  Prepared out;
  out.prep = p;
  out.channels_last = p == Prep::FreezeCL || p == Prep::OfiCL || p == Prep::Fused;
  switch (p) {
    case Prep::AsIs:
      out.module = loaded;
      break;
    case Prep::Freeze:
      out.module = frozen_copy(loaded);
      break;
    case Prep::FreezeCL:
      out.module = frozen_copy(loaded);
      forward_weights_channels_last(out.module);
      break;
    case Prep::Fused: {
      out.module = frozen_copy(loaded);
      int n = fuse_convolutions(out.module);
      if (n == 0) throw std::runtime_error("no convolution or linear layer to fuse");
      log_line("fused " + std::to_string(n) + " convolution/linear chains");
      break;
    }
    case Prep::Ofi:
    case Prep::OfiCL: {
      /* Channels-last weights before the oneDNN conversion make it prepack
      ** for NHWC activations (measured: MobileNetV2 6.7 vs 8.1 ms). */
      torch::jit::Module f = frozen_copy(loaded);
      if (p == Prep::OfiCL) forward_weights_channels_last(f);
      out.module = torch::jit::optimize_for_inference(f);
      break;
    }
  }
  return out;
}

c10::IValue run(Prepared &p, std::vector<c10::IValue> args) {
  if (p.channels_last)
    for (c10::IValue &a : args)
      if (a.isTensor() && a.toTensor().dim() == 4) a = a.toTensor().contiguous(at::MemoryFormat::ChannelsLast);
  return p.module.forward(std::move(args));
}

Settings settings_from_env() {
  Settings s;
  s.runs = env_int("WASITORCH_PREP_RUNS", s.runs, 1, 1000);
  s.rtol = env_double("WASITORCH_PREP_RTOL", s.rtol);
  return s;
}

/* Round-robin timing: each round runs every surviving candidate once, so
** a change in machine load during the measurement hits all of them. */
Selection select(const torch::jit::Module &loaded, const std::vector<c10::IValue> &args, const Settings &s) {
  c10::InferenceMode guard;
  std::vector<Prep> list = candidates(loaded, args);
  std::vector<Prepared> built(list.size());
  std::vector<Measurement> table(list.size());
  table[0].prep = Prep::AsIs;
  built[0] = build(loaded, Prep::AsIs);
  run(built[0], args);
  c10::IValue ref = run(built[0], args); /* throws: the model itself fails */
  table[0].ok = true;
  for (size_t i = 1; i < list.size(); i++) try_candidate(loaded, list[i], args, ref, s, &built[i], table[i]);
  std::vector<std::vector<double>> wall(list.size()), cpu(list.size());
  for (int r = 0; r < s.runs; r++)
    for (size_t i = 0; i < list.size(); i++) {
      if (!table[i].ok) continue;
      double t0 = now_ms(), c0 = thread_cpu_ms();
      run(built[i], args);
      cpu[i].push_back(thread_cpu_ms() - c0);
      wall[i].push_back(now_ms() - t0);
    }
  bool one_thread = at::get_num_threads() == 1;
  size_t best = 0;
  for (size_t i = 0; i < list.size(); i++) {
    if (!table[i].ok) continue;
    table[i].median_ms = median(wall[i]);
    table[i].score_ms = one_thread ? median(cpu[i]) : *std::min_element(wall[i].begin(), wall[i].end());
    if (table[i].score_ms < table[best].score_ms) best = i;
  }
  return Selection{std::move(built[best]), std::move(table)};
}

std::string describe(const std::vector<Measurement> &table) {
  std::string s;
  char buf[256];
  for (const Measurement &m : table) {
    if (!s.empty()) s += " | ";
    if (m.ok)
      std::snprintf(buf, sizeof buf, "%s %.2f ms (median wall %.2f, build %.0f ms, diff %.2g)", prep_name(m.prep),
                    m.score_ms, m.median_ms, m.build_ms, m.max_abs_diff);
    else
      std::snprintf(buf, sizeof buf, "%s rejected: %s", prep_name(m.prep), m.note.c_str());
    s += buf;
  }
  return s;
}

void log_line(const std::string &text) {
  const char *dest = std::getenv("WASITORCH_PREP_LOG");
  if (dest == nullptr || *dest == '\0') return;
  std::string line = "wasitorch-prep: " + text + "\n";
  if (std::string(dest) == "-" || std::string(dest) == "stderr") {
    std::fputs(line.c_str(), stderr);
    return;
  }
  std::ofstream f(dest, std::ios_base::app);
  f << line;
}

}  // namespace wtprep
