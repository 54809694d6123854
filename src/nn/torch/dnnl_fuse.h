/*
** dnnl_fuse.h — the "fused" graph preparation: 2-d convolutions of a frozen
** TorchScript graph, together with the activation and residual add that
** follow them, run as single oneDNN primitives on channels-last tensors
** (internal to libwasitorch_torch.so; C++ only).
**
** Why: libtorch 1.13's optimize_for_inference fuses only Conv+ReLU. ReLU6
** (MobileNetV2) runs as a separate pass over every activation, and SiLU
** (YOLOv8) cannot stay in oneDNN's layout at all, so each one costs a
** layout round trip. oneDNN itself (the same libdnnl.so.2 libtorch links)
** applies clip, swish and a residual sum as post-ops inside the
** convolution's own loop. See docs/torch-performance.md.
*/
#ifndef WT_DNNL_FUSE_H
#define WT_DNNL_FUSE_H

#include <torch/script.h>

namespace wtprep {

/* True when this build has the oneDNN fusion (the headers were found). */
bool dnnl_fusion_available();

/* Rewrites the forward graph of a frozen module in place: every
** aten::conv2d / aten::_convolution with constant float weights becomes a
** wasitorch::conv2d_fused node (optionally absorbing a following relu,
** hardtanh, clamp or silu, then an add of a same-shaped tensor). Returns
** the number of convolutions rewritten. Throws when fusion is unavailable. */
int fuse_convolutions(torch::jit::Module &frozen);

}  // namespace wtprep

#endif /* WT_DNNL_FUSE_H */
