/*
** dnnl_fuse.cpp — convolution + activation + residual fusion through oneDNN
** (see dnnl_fuse.h). Each fused convolution is a graph constant of class
** wasitorch.ConvCtx holding the weights; the oneDNN primitive and the
** weights in the layout it wants are built on the first call for an input
** shape and kept until the shape changes. Inputs are taken channels-last
** (converted if they are not). Activations stay dense
** channels-last at::Tensors, so every other op of the graph (pooling, cat,
** upsampling, linear) runs unchanged on them.
*/
#include "dnnl_fuse.h"

#ifdef WT_HAVE_DNNL

#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/passes/constant_propagation.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/custom_class.h>

#include <dnnl.hpp>

#include <cstring>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace wtprep {

namespace {

/* One elementwise stage of the fused chain. */
struct Eltwise {
  dnnl::algorithm alg = dnnl::algorithm::undef;
  float alpha = 0, beta = 0;
};

dnnl::engine &cpu_engine() {
  /* oneDNN's CPU engine holds no per-use state; one per process is what
  ** libtorch's own ideep layer does too. */
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

struct ConvCtx : torch::CustomClassHolder {
  at::Tensor weight; /* OIHW, contiguous */
  at::Tensor bias;   /* [OC] or undefined */
  int64_t stride[2] = {1, 1}, padding[2] = {0, 0}, dilation[2] = {1, 1}, groups = 1;
  Eltwise before_add, after_add; /* alg undef = none */
  bool add = false;
  /* Built for the last input shape seen. */
  std::mutex lock;
  std::vector<int64_t> built_dims;
  bool use_aten = false; /* oneDNN has only its reference kernel for this shape */
  dnnl::convolution_forward prim;
  /* The execution arguments, made with the primitive: per call only the
  ** source, destination and residual buffers change (set_data_handle). */
  std::unordered_map<int, dnnl::memory> args;
  dnnl::memory src, dst, residual;
  std::vector<int64_t> out_dims;
  /* Calls are serialised by `lock`, so one stream per context is enough
  ** (not thread_local: TLS in this dlopen'ed library made LeakSanitizer's
  ** exit-time tracer crash in the sanitizer build). */
  dnnl::stream strm{cpu_engine()};
};

/* A linear layer (aten::linear with constant weights) as a oneDNN inner
** product. ATen runs it through OpenBLAS sgemm, which repacks the whole
** weight matrix on every call (MobileNetV2's 1280x1000 classifier: ~6% of
** the inference); the primitive keeps it packed. */
struct LinearCtx : torch::CustomClassHolder {
  at::Tensor weight; /* [O, K], contiguous */
  at::Tensor bias;   /* [O] or undefined */
  Eltwise act;

  std::mutex lock;
  int64_t built_rows = -1;
  dnnl::inner_product_forward prim;
  std::unordered_map<int, dnnl::memory> args; /* as in ConvCtx */
  dnnl::memory src, dst;
  dnnl::stream strm{cpu_engine()};
};

using dims = dnnl::memory::dims;
using tag = dnnl::memory::format_tag;
constexpr auto f32 = dnnl::memory::data_type::f32;

int64_t out_size(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) { return (in + 2 * p - d * (k - 1) - 1) / s + 1; }

void append(dnnl::post_ops &po, const Eltwise &e) {
  if (e.alg != dnnl::algorithm::undef) po.append_eltwise(1.f, e.alg, e.alpha, e.beta);
}

/* Weights reordered once into the layout the primitive chose. */
dnnl::memory packed_weights(const dnnl::memory::desc &user_md, const at::Tensor &w, const dnnl::memory::desc &want,
                            dnnl::stream &strm) {
  dnnl::memory user(user_md, cpu_engine(), w.data_ptr());
  dnnl::memory packed(want, cpu_engine());
  dnnl::reorder(user, packed).execute(strm, user, packed);
  strm.wait();
  return packed;
}

/* A buffer argument whose data pointer is set per call. */
dnnl::memory call_buffer(const dnnl::memory::desc &md) { return dnnl::memory(md, cpu_engine(), DNNL_MEMORY_NONE); }

void build_primitive(ConvCtx &c, const at::Tensor &x) {
  const int64_t n = x.size(0), ic = x.size(1), ih = x.size(2), iw = x.size(3);
  const int64_t oc = c.weight.size(0), kh = c.weight.size(2), kw = c.weight.size(3), g = c.groups;
  c.built_dims.clear();
  if (ic != c.weight.size(1) * g)
    throw std::runtime_error("conv2d_fused: input has " + std::to_string(ic) + " channels, weights expect " +
                             std::to_string(c.weight.size(1) * g));
  const int64_t oh = out_size(ih, kh, c.stride[0], c.padding[0], c.dilation[0]);
  const int64_t ow = out_size(iw, kw, c.stride[1], c.padding[1], c.dilation[1]);
  if (oh <= 0 || ow <= 0) throw std::runtime_error("conv2d_fused: input smaller than the kernel");
  dnnl::memory::desc src_md({n, ic, ih, iw}, f32, tag::nhwc);
  dnnl::memory::desc dst_md({n, oc, oh, ow}, f32, tag::nhwc);
  dims wdims = g == 1 ? dims{oc, ic, kh, kw} : dims{g, oc / g, ic / g, kh, kw};
  dnnl::memory::desc w_any(wdims, f32, tag::any);
  dnnl::memory::desc w_user(wdims, f32, g == 1 ? tag::oihw : tag::goihw);
  dnnl::memory::desc b_md({oc}, f32, tag::x);
  dims strides{c.stride[0], c.stride[1]}, dil{c.dilation[0] - 1, c.dilation[1] - 1};
  dims pad_l{c.padding[0], c.padding[1]};
  /* The right/bottom padding that makes oneDNN's output size equal ATen's
  ** floor division (it can be less than the left padding). */
  dims pad_r{(oh - 1) * c.stride[0] + (kh - 1) * c.dilation[0] + 1 - ih - c.padding[0],
             (ow - 1) * c.stride[1] + (kw - 1) * c.dilation[1] + 1 - iw - c.padding[1]};
  using cf = dnnl::convolution_forward;
  cf::desc desc = c.bias.defined()
                      ? cf::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md,
                                 w_any, b_md, dst_md, strides, dil, pad_l, pad_r)
                      : cf::desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct, src_md,
                                 w_any, dst_md, strides, dil, pad_l, pad_r);
  dnnl::post_ops po;
  append(po, c.before_add);
  /* The residual is a second source (binary post-op), not a sum into a
  ** destination prefilled with it: that would cost a copy per call. */
  if (c.add) po.append_binary(dnnl::algorithm::binary_add, dst_md);
  append(po, c.after_add);
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  /* Its own scratch buffer (calls are serialised by the context's lock)
  ** instead of one oneDNN allocates per call. */
  attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
  dnnl::engine &eng = cpu_engine();
  /* built_dims is set only once the context is consistent for this shape:
  ** a throw below leaves it to be built again on the next call. */
  c.built_dims.clear();
  cf::primitive_desc pd;
  try {
    pd = cf::primitive_desc(desc, attr, eng);
    /* oneDNN's reference kernel is a plain loop nest (measured: YOLOv8's DFL
    ** convolution, 16 -> 1 channels, took 12 ms in it); ATen does better. */
    c.use_aten = std::strstr(pd.impl_info_str(), "ref:") != nullptr;
  } catch (const dnnl::error &) {
    c.use_aten = true; /* a combination oneDNN does not implement */
  }
  if (c.use_aten) {
    c.built_dims = x.sizes().vec();
    return;
  }
  c.prim = cf(pd);
  c.src = call_buffer(src_md);
  c.dst = call_buffer(dst_md);
  c.args = {{DNNL_ARG_SRC, c.src},
            {DNNL_ARG_DST, c.dst},
            {DNNL_ARG_WEIGHTS, packed_weights(w_user, c.weight, pd.weights_desc(), c.strm)},
            {DNNL_ARG_SCRATCHPAD, dnnl::memory(pd.scratchpad_desc(), eng)}};
  if (c.bias.defined()) c.args.emplace(DNNL_ARG_BIAS, dnnl::memory(b_md, eng, c.bias.data_ptr()));
  if (c.add) {
    c.residual = call_buffer(dst_md);
    int index = c.before_add.alg != dnnl::algorithm::undef ? 1 : 0; /* the binary op's place in the chain */
    c.args.emplace(DNNL_ARG_ATTR_MULTIPLE_POST_OP(index) | DNNL_ARG_SRC_1, c.residual);
  }
  c.out_dims = {n, oc, oh, ow};
  c.built_dims = x.sizes().vec();
}

at::Tensor apply_aten(const Eltwise &e, const at::Tensor &t) {
  switch (e.alg) {
    case dnnl::algorithm::eltwise_relu: return at::relu(t);
    case dnnl::algorithm::eltwise_swish: return at::silu(t);
    case dnnl::algorithm::eltwise_clip: return at::clamp(t, e.alpha, e.beta);
    default: return t;
  }
}

/* The same computation as ATen ops, for shapes oneDNN has no fast kernel for. */
at::Tensor run_aten(ConvCtx &c, const at::Tensor &x, const at::Tensor *residual) {
  at::Tensor y = at::conv2d(x, c.weight, c.bias, {c.stride[0], c.stride[1]}, {c.padding[0], c.padding[1]},
                            {c.dilation[0], c.dilation[1]}, c.groups);
  y = apply_aten(c.before_add, y);
  if (residual != nullptr) y = y + (residual->is_mkldnn() ? residual->to_dense() : *residual);
  return apply_aten(c.after_add, y);
}

at::Tensor run_conv(const at::Tensor &x_in, const at::Tensor *residual, ConvCtx &c) {
  at::Tensor x = x_in.is_mkldnn() ? x_in.to_dense() : x_in;
  if (x.dim() != 4 || x.scalar_type() != at::kFloat || !x.device().is_cpu())
    throw std::runtime_error("conv2d_fused: expects a 4-d float32 CPU tensor");
  /* Anything but channels-last is copied into it: oneDNN's kernels for a
  ** plain NCHW source are slow (MobileNetV2 with its NCHW input fed to the
  ** first convolution: 11.6 ms instead of 5.0), and the output, always
  ** channels-last, would not match the layout that follows. */
  if (!x.is_contiguous(at::MemoryFormat::ChannelsLast)) x = x.contiguous(at::MemoryFormat::ChannelsLast);
  std::lock_guard<std::mutex> hold(c.lock);
  if (c.built_dims != x.sizes().vec()) build_primitive(c, x);
  if (c.use_aten) return run_aten(c, x, residual);
  at::Tensor out = at::empty(c.out_dims, x.options().memory_format(at::MemoryFormat::ChannelsLast));
  at::Tensor res;
  if (residual != nullptr) {
    /* A broadcasting or differently typed add keeps ATen's semantics. */
    if (residual->sizes() != out.sizes() || residual->scalar_type() != at::kFloat) return run_aten(c, x, residual);
    res = (residual->is_mkldnn() ? residual->to_dense() : *residual).contiguous(at::MemoryFormat::ChannelsLast);
  }
  c.src.set_data_handle(x.data_ptr());
  c.dst.set_data_handle(out.data_ptr());
  if (c.add) c.residual.set_data_handle(res.data_ptr());
  c.prim.execute(c.strm, c.args);
  c.strm.wait();
  return out;
}

void build_linear(LinearCtx &c, int64_t rows) {
  const int64_t o = c.weight.size(0), k = c.weight.size(1);
  c.built_rows = -1; /* until the end: a throw leaves it to be built again */
  dnnl::memory::desc src_md({rows, k}, f32, tag::nc), dst_md({rows, o}, f32, tag::nc);
  dnnl::memory::desc w_any({o, k}, f32, tag::any), w_user({o, k}, f32, tag::oi), b_md({o}, f32, tag::x);
  using ip = dnnl::inner_product_forward;
  ip::desc desc = c.bias.defined() ? ip::desc(dnnl::prop_kind::forward_inference, src_md, w_any, b_md, dst_md)
                                   : ip::desc(dnnl::prop_kind::forward_inference, src_md, w_any, dst_md);
  dnnl::post_ops po;
  append(po, c.act);
  dnnl::primitive_attr attr;
  attr.set_post_ops(po);
  ip::primitive_desc pd(desc, attr, cpu_engine());
  c.prim = ip(pd);
  c.src = call_buffer(src_md);
  c.dst = call_buffer(dst_md);
  c.args = {{DNNL_ARG_SRC, c.src},
            {DNNL_ARG_DST, c.dst},
            {DNNL_ARG_WEIGHTS, packed_weights(w_user, c.weight, pd.weights_desc(), c.strm)}};
  if (c.bias.defined()) c.args.emplace(DNNL_ARG_BIAS, dnnl::memory(b_md, cpu_engine(), c.bias.data_ptr()));
  c.built_rows = rows;
}

at::Tensor linear_fused(const at::Tensor &x_in, const c10::intrusive_ptr<LinearCtx> &ctx) {
  LinearCtx &c = *ctx;
  at::Tensor x = x_in.is_mkldnn() ? x_in.to_dense() : x_in;
  if (x.dim() != 2 || x.scalar_type() != at::kFloat || !x.device().is_cpu() || x.size(1) != c.weight.size(1))
    throw std::runtime_error("linear_fused: expects a [N, " + std::to_string(c.weight.size(1)) +
                             "] float32 CPU tensor");
  x = x.contiguous();
  std::lock_guard<std::mutex> hold(c.lock);
  if (c.built_rows != x.size(0)) build_linear(c, x.size(0));
  at::Tensor out = at::empty({x.size(0), c.weight.size(0)}, x.options());
  c.src.set_data_handle(x.data_ptr());
  c.dst.set_data_handle(out.data_ptr());
  c.prim.execute(c.strm, c.args);
  c.strm.wait();
  return out;
}

at::Tensor conv2d_fused(const at::Tensor &x, const c10::intrusive_ptr<ConvCtx> &ctx) {
  return run_conv(x, nullptr, *ctx);
}

at::Tensor conv2d_fused_add(const at::Tensor &x, const at::Tensor &other, const c10::intrusive_ptr<ConvCtx> &ctx) {
  return run_conv(x, &other, *ctx);
}

/* Registered on first use, not by a static initialiser (TORCH_LIBRARY):
** with the registration in every process that merely loads the backend,
** LeakSanitizer's exit-time tracer crashed reading a bogus dynamic-TLS
** record in the sanitizer build (the YOLOv8n e2e tests). */
void register_ops() {
  static std::once_flag once;
  std::call_once(once, [] {
    static torch::Library m(torch::Library::DEF, "wasitorch", c10::nullopt, __FILE__, __LINE__);
    m.class_<ConvCtx>("ConvCtx");
    m.class_<LinearCtx>("LinearCtx");
    m.def(torch::schema("wasitorch::linear_fused(Tensor x, __torch__.torch.classes.wasitorch.LinearCtx ctx) -> Tensor",
                        c10::AliasAnalysisKind::FROM_SCHEMA),
          linear_fused);
    m.def(torch::schema("wasitorch::conv2d_fused(Tensor x, __torch__.torch.classes.wasitorch.ConvCtx ctx) -> Tensor",
                        c10::AliasAnalysisKind::FROM_SCHEMA),
          conv2d_fused);
    m.def(torch::schema("wasitorch::conv2d_fused_add(Tensor x, Tensor other, "
                        "__torch__.torch.classes.wasitorch.ConvCtx ctx) -> Tensor",
                        c10::AliasAnalysisKind::FROM_SCHEMA),
          conv2d_fused_add);
  });
}

/* ---- the graph pass ---- */

using torch::jit::Node;
using torch::jit::Value;

c10::optional<c10::IValue> constant(Value *v) { return torch::jit::toIValue(v); }

bool int_pair(Value *v, int64_t out[2]) {
  c10::optional<c10::IValue> iv = constant(v);
  if (!iv || !iv->isIntList()) return false;
  std::vector<int64_t> l = iv->toIntVector();
  if (l.size() == 1) l.push_back(l[0]);
  if (l.size() != 2) return false;
  out[0] = l[0], out[1] = l[1];
  return true;
}

bool is_kind(Node *n, std::initializer_list<const char *> names) {
  for (const char *name : names)
    if (n->kind() == c10::Symbol::fromQualString(name)) return true;
  return false;
}

bool scalar_const(Value *v, double *out) {
  c10::optional<c10::IValue> iv = constant(v);
  if (!iv) return false;
  if (iv->isDouble()) *out = iv->toDouble();
  else if (iv->isInt()) *out = static_cast<double>(iv->toInt());
  else return false;
  return true;
}

/* The elementwise op `n` applied to its first input, if oneDNN has it as
** a post-op with the same meaning. */
bool eltwise_of(Node *n, Eltwise *e) {
  if (is_kind(n, {"aten::relu", "aten::relu_"})) {
    e->alg = dnnl::algorithm::eltwise_relu;
    return true;
  }
  if (is_kind(n, {"aten::silu", "aten::silu_"})) {
    e->alg = dnnl::algorithm::eltwise_swish, e->alpha = 1.f;
    return true;
  }
  if (is_kind(n, {"aten::relu6", "aten::relu6_"})) {
    e->alg = dnnl::algorithm::eltwise_clip, e->alpha = 0.f, e->beta = 6.f;
    return true;
  }
  double lo, hi;
  if (is_kind(n, {"aten::hardtanh", "aten::hardtanh_", "aten::clamp", "aten::clamp_"}) && n->inputs().size() == 3 &&
      scalar_const(n->input(1), &lo) && scalar_const(n->input(2), &hi) && lo <= hi) {
    e->alg = dnnl::algorithm::eltwise_clip, e->alpha = static_cast<float>(lo), e->beta = static_cast<float>(hi);
    return true;
  }
  return false;
}

/* The single user of v, or null when v has none or several. */
Node *only_user(Value *v) { return v->uses().size() == 1 ? v->uses()[0].user : nullptr; }

/* Reads a convolution node's parameters into a context; false when the
** node is not a plain 2-d convolution with constant float weights. */
bool conv_params(Node *n, ConvCtx &c) {
  bool conv2d = is_kind(n, {"aten::conv2d"}) && n->inputs().size() == 7;
  bool underscore = is_kind(n, {"aten::_convolution"}) && n->inputs().size() >= 9;
  if (!conv2d && !underscore) return false;
  c10::optional<c10::IValue> w = constant(n->input(1)), b = constant(n->input(2));
  if (!w || !w->isTensor() || !b || !(b->isNone() || b->isTensor())) return false;
  at::Tensor wt = w->toTensor();
  if (wt.dim() != 4 || wt.scalar_type() != at::kFloat || wt.is_mkldnn()) return false;
  if (!int_pair(n->input(3), c.stride) || !int_pair(n->input(4), c.padding) || !int_pair(n->input(5), c.dilation))
    return false;
  /* A model file may hold any numbers here (a zero stride would divide by
  ** zero in out_size); whatever is not a plain convolution stays with ATen,
  ** which reports it as an error. */
  const int64_t kLimit = int64_t{1} << 24;
  for (int i = 0; i < 2; i++)
    if (c.stride[i] < 1 || c.stride[i] > kLimit || c.dilation[i] < 1 || c.dilation[i] > kLimit ||
        c.padding[i] < 0 || c.padding[i] > kLimit)
      return false;
  if (wt.numel() == 0) return false;
  c10::optional<c10::IValue> groups = constant(n->input(conv2d ? 6 : 8));
  if (!groups || !groups->isInt() || groups->toInt() < 1 || wt.size(0) % groups->toInt() != 0) return false;
  if (underscore) {
    c10::optional<c10::IValue> transposed = constant(n->input(6));
    if (!transposed || !transposed->isBool() || transposed->toBool()) return false;
  }
  c.groups = groups->toInt();
  c.weight = wt.contiguous().clone();
  if (b->isTensor()) {
    at::Tensor bt = b->toTensor();
    if (bt.scalar_type() != at::kFloat || bt.dim() != 1 || bt.size(0) != wt.size(0)) return false;
    c.bias = bt.contiguous().clone();
  }
  return true;
}

/* An aten::add(a, b, alpha=1) with `mine` as one operand: the other. */
Value *add_partner(Node *n, Value *mine) {
  if (n == nullptr || !is_kind(n, {"aten::add"}) || n->inputs().size() != 3) return nullptr;
  double alpha;
  if (!scalar_const(n->input(2), &alpha) || alpha != 1.0) return nullptr;
  Value *other = n->input(0) == mine ? n->input(1) : n->input(1) == mine ? n->input(0) : nullptr;
  if (other == nullptr || other == mine || other->type()->kind() != c10::TypeKind::TensorType) return nullptr;
  return other;
}

/* One rewrite, planned before any node is changed: the chain of nodes it
** absorbs (in order), where its inputs come from, and the context. Inputs
** are read again when the plan is applied, because an earlier rewrite may
** have replaced the value that feeds this one. */
struct Plan {
  std::vector<Node *> chain;
  const char *op = nullptr;
  Node *add = nullptr;   /* the residual add, if absorbed */
  size_t add_other = 0;  /* which of its inputs is the residual */
  c10::IValue ctx;
};

bool unclaimed(Node *n, const std::unordered_set<Node *> &claimed) { return claimed.count(n) == 0; }

/* Extends a chain ending in value `out` by an elementwise op that is its
** only user; returns the new end. */
Value *take_eltwise(Value *out, Eltwise *e, std::vector<Node *> &chain, const std::unordered_set<Node *> &claimed) {
  Node *next = only_user(out);
  if (next == nullptr || next->inputs().at(0) != out || !unclaimed(next, claimed) || !eltwise_of(next, e)) return out;
  chain.push_back(next);
  return next->output();
}

/* aten::linear(x, W, b) with constant float weights, and the activation
** after it when that is its only user. */
bool plan_linear(Node *lin, const std::unordered_set<Node *> &claimed, Plan *plan) {
  if (!is_kind(lin, {"aten::linear"}) || lin->inputs().size() != 3) return false;
  c10::optional<c10::IValue> w = constant(lin->input(1)), b = constant(lin->input(2));
  if (!w || !w->isTensor() || !b || !(b->isNone() || b->isTensor())) return false;
  at::Tensor wt = w->toTensor();
  if (wt.dim() != 2 || wt.scalar_type() != at::kFloat || wt.is_mkldnn()) return false;
  auto ctx = c10::make_intrusive<LinearCtx>();
  ctx->weight = wt.contiguous().clone();
  if (b->isTensor()) {
    at::Tensor bt = b->toTensor();
    if (bt.scalar_type() != at::kFloat || bt.dim() != 1 || bt.size(0) != wt.size(0)) return false;
    ctx->bias = bt.contiguous().clone();
  }
  plan->chain = {lin};
  take_eltwise(lin->output(), &ctx->act, plan->chain, claimed);
  plan->op = "wasitorch::linear_fused";
  plan->ctx = c10::IValue(ctx);
  return true;
}

/* A convolution, then optionally its activation, an add of another tensor
** and an activation after the add. */
bool plan_conv(Node *conv, const std::unordered_set<Node *> &claimed, Plan *plan) {
  auto ctx = c10::make_intrusive<ConvCtx>();
  if (!conv_params(conv, *ctx)) return false;
  plan->chain = {conv};
  Value *out = take_eltwise(conv->output(), &ctx->before_add, plan->chain, claimed);
  Node *next = only_user(out);
  if (next != nullptr && unclaimed(next, claimed) && add_partner(next, out) != nullptr) {
    ctx->add = true;
    plan->add = next;
    plan->add_other = next->input(0) == out ? 1 : 0;
    plan->chain.push_back(next);
    take_eltwise(next->output(), &ctx->after_add, plan->chain, claimed);
  }
  plan->op = ctx->add ? "wasitorch::conv2d_fused_add" : "wasitorch::conv2d_fused";
  plan->ctx = c10::IValue(ctx);
  return true;
}

void plan_block(torch::jit::Block *block, std::vector<Plan> &plans, std::unordered_set<Node *> &claimed) {
  for (Node *n : block->nodes()) {
    for (torch::jit::Block *sub : n->blocks()) plan_block(sub, plans, claimed);
    if (!unclaimed(n, claimed)) continue;
    Plan plan;
    if (!plan_linear(n, claimed, &plan) && !plan_conv(n, claimed, &plan)) continue;
    for (Node *c : plan.chain) claimed.insert(c);
    plans.push_back(std::move(plan));
  }
}

/* Replaces the plan's chain by one node placed where its last node was,
** so the residual operand (defined before the add) is available to it. */
void apply(torch::jit::Graph &graph, const Plan &plan) {
  Node *last = plan.chain.back();
  torch::jit::WithInsertPoint guard(last);
  std::vector<Value *> ins{plan.chain.front()->input(0)};
  if (plan.add != nullptr) ins.push_back(plan.add->input(plan.add_other));
  ins.push_back(graph.insertConstant(plan.ctx));
  Node *fused = graph.create(c10::Symbol::fromQualString(plan.op), ins, 1);
  fused->insertBefore(last);
  fused->output()->setType(c10::TensorType::get());
  last->output()->replaceAllUsesWith(fused->output());
  for (auto it = plan.chain.rbegin(); it != plan.chain.rend(); ++it) (*it)->destroy();
}

}  // namespace

bool dnnl_fusion_available() { return true; }

int fuse_convolutions(torch::jit::Module &frozen) {
  register_ops();
  std::shared_ptr<torch::jit::Graph> graph = frozen.get_method("forward").graph();
  /* A frozen module read back from a file has its stride/padding lists as
  ** prim::ListConstruct of constants, which the planner cannot read;
  ** freezing in-process folds them, loading does not. */
  torch::jit::ConstantPropagation(graph);
  std::vector<Plan> plans;
  std::unordered_set<Node *> claimed;
  plan_block(graph->block(), plans, claimed);
  for (const Plan &plan : plans) apply(*graph, plan);
  torch::jit::EliminateDeadCode(graph);
  return static_cast<int>(plans.size());
}

}  // namespace wtprep

#else /* !WT_HAVE_DNNL */

namespace wtprep {

bool dnnl_fusion_available() { return false; }

int fuse_convolutions(torch::jit::Module &) {
  throw std::runtime_error("this build has no oneDNN headers (install libdnnl-dev): fused preparation unavailable");
}

}  // namespace wtprep

#endif
