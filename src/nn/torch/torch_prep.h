/*
** torch_prep.h — graph preparations of a TorchScript model and the selector
** that times them (internal to libwasitorch_torch.so; C++ only).
**
** A preparation turns the loaded (eval-mode) module into the module that
** compute runs: as is, frozen, frozen + optimize_for_inference, and the
** channels-last variants of the last two. With the backend's "auto" mode the
** selector builds every candidate on the first compute, checks each output
** against the as-is output on the same input (rejecting any beyond the
** tolerance), times the survivors round-robin and keeps the fastest. The
** choice is remembered in a cache file (prep_cache.cpp) so later loads of the
** same model at the same thread count on the same CPU skip the measurement.
** See docs/torch-performance.md for the figures behind the candidate list.
*/
#ifndef WT_TORCH_PREP_H
#define WT_TORCH_PREP_H

#include <torch/script.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace wtprep {

enum class Prep : int { AsIs = 0, Freeze, Ofi, FreezeCL, OfiCL, Fused };

const char *prep_name(Prep p);
/* Every preparation this build can offer, comma-separated ("asis,...,fused"). */
std::string offered_preps();
/* Parses a name written by prep_name; false for anything else. */
bool prep_by_name(const std::string &name, Prep *out);

/* A module ready to run, and how its inputs must be laid out. */
struct Prepared {
  Prep prep = Prep::AsIs;
  torch::jit::Module module;
  bool channels_last = false; /* 4-d float inputs are passed channels-last */
};

/* True when the module is already frozen (freezing removes "training"). */
bool is_frozen(const torch::jit::Module &m);

/* Builds preparation `p` from the loaded module, never modifying `loaded`
** (passes that work in place run on a clone). Throws on failure. */
Prepared build(const torch::jit::Module &loaded, Prep p);

/* Runs forward() of a prepared module (inputs converted as it needs);
** the caller holds an InferenceMode guard. */
c10::IValue run(Prepared &p, std::vector<c10::IValue> args);

/* One candidate's result on the measurement input. */
struct Measurement {
  Prep prep = Prep::AsIs;
  bool ok = false;          /* built, ran, and within tolerance */
  double build_ms = 0;      /* time to build the preparation */
  double median_ms = 0;     /* median forward() wall time over the rounds */
  double score_ms = 0;      /* what the pick minimises (see select()) */
  double max_abs_diff = 0;  /* against the as-is output */
  double rel_diff = 0;      /* max_abs_diff / max |as-is output| */
  std::string note;         /* why it was rejected */
};

/* Knobs, read from the environment by settings_from_env():
**   WASITORCH_PREP_RUNS  timed rounds per candidate (default 5, 1..1000)
**   WASITORCH_PREP_RTOL  relative tolerance (default 1e-4); the absolute
**                        tolerance is RTOL x max |as-is output|          */
struct Settings {
  int runs = 5;
  double rtol = 1e-4;
};
Settings settings_from_env();

struct Selection {
  Prepared best;
  std::vector<Measurement> table;
};

/* Builds, checks and times every candidate on `args` (the first compute's
** inputs). The as-is module is always a valid fallback, so this only throws
** when the as-is forward itself fails. The score is robust to a shared
** machine, where other processes only ever add time: at one intra-op
** thread all work runs on the calling thread, so its median thread CPU
** time; with more threads the minimum wall time over the rounds. */
Selection select(const torch::jit::Module &loaded, const std::vector<c10::IValue> &args, const Settings &s);

/* "asis 12.3 ms | freeze 8.1 ms diff 1.2e-07 | ofi rejected: ..." */
std::string describe(const std::vector<Measurement> &table);

/* A line for the preparation log: WASITORCH_PREP_LOG unset = silent,
** "-" or "stderr" = standard error, anything else = a file appended to. */
void log_line(const std::string &text);

/* ---- prep_cache.cpp ---- */

/* What a cached choice is valid for. */
struct CacheKey {
  std::string model;   /* content hash of the model bytes */
  int threads = 0;
  std::string cpu;     /* /proc/cpuinfo model name */
  std::string torch;   /* libtorch version */
  std::string offered; /* the preparations this build can choose from:
                       ** a build that offers a new one measures again */
};

/* 64-bit FNV-1a of the bytes plus their length, as hex. Identifies a model
** file for caching; it is not a security boundary (a collision only picks
** another valid preparation). */
std::string model_hash(const uint8_t *bytes, size_t len);
CacheKey make_key(const std::string &model, int threads);

/* The input signature a choice was measured for: "f32 1,3,224,224;...". */
std::string input_signature(const std::vector<c10::IValue> &args);

struct CacheRecord {
  std::string signature;
  Prep prep = Prep::AsIs;
};

/* The cache file for a key, or "" when no cache directory can be found:
** $WASITORCH_PREP_CACHE, else $XDG_CACHE_HOME/wasitorch/prep, else
** $HOME/.cache/wasitorch/prep. */
std::string cache_path(const CacheKey &key);

/* Reads and validates a cache file. False (with `why`) for a missing,
** unreadable, oversized, malformed or foreign file: never throws. */
bool cache_read(const std::string &path, const CacheKey &key, CacheRecord *out, std::string *why);

/* Writes the record atomically (temp file + rename), creating the
** directories. False (with `why`) on failure: never throws. */
bool cache_write(const std::string &path, const CacheKey &key, const CacheRecord &rec,
                 const std::vector<Measurement> &table, std::string *why);

}  // namespace wtprep

#endif /* WT_TORCH_PREP_H */
