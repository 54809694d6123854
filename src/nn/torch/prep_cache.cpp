/*
** prep_cache.cpp — the on-disk memory of the preparation selector.
**
** One small text file per (model content, thread count, CPU, libtorch
** version, preparations on offer), named by a hash of those five, holding
** the key again in full plus the input signature the choice was measured
** for:
**
**     wasitorch-prep 1
**     model 9f0c...-4a31c0
**     threads 1
**     cpu AMD EPYC
**     torch 1.13.0
**     offered asis,freeze,ofi,freeze_cl,ofi_cl,fused
**     input f32 1,3,224,224
**     choice ofi_cl
**     # asis 79.5 ms | freeze 13.1 ms ... (informational, ignored)
**
** Reading is defensive: the file is a cache, so anything unexpected (too
** big, missing or repeated fields, a key that is not ours, an unknown
** choice) makes it "absent" and the selector measures again; it never makes
** a load fail.
*/
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include <torch/version.h>

#include "torch_prep.h"

namespace wtprep {

namespace {

constexpr size_t kMaxCacheFile = 16 * 1024;
constexpr const char *kMagic = "wasitorch-prep 1";

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

uint64_t fnv1a(const void *data, size_t len, uint64_t h = 1469598103934665603ull) {
  const unsigned char *p = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < len; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

/* The first "model name" of /proc/cpuinfo: the choice depends on the
** micro-architecture, so a cache copied to another machine is foreign. */
std::string cpu_model() {
  std::ifstream f("/proc/cpuinfo");
  std::string line;
  while (std::getline(f, line)) {
    if (line.compare(0, 10, "model name") != 0) continue;
    size_t colon = line.find(':');
    if (colon == std::string::npos) break;
    size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "unknown" : line.substr(start);
  }
  return "unknown";
}

/* Creates every missing directory of `dir` (mode 0700: the cache is
** per-user). */
bool make_dirs(const std::string &dir) {
  for (size_t pos = 1; pos <= dir.size(); pos++) {
    if (pos != dir.size() && dir[pos] != '/') continue;
    std::string part = dir.substr(0, pos);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return false;
  }
  return true;
}

std::string cache_dir() {
  const char *v = std::getenv("WASITORCH_PREP_CACHE");
  if (v != nullptr && *v != '\0') return v;
  v = std::getenv("XDG_CACHE_HOME");
  if (v != nullptr && *v == '/') return std::string(v) + "/wasitorch/prep";
  v = std::getenv("HOME");
  if (v != nullptr && *v == '/') return std::string(v) + "/.cache/wasitorch/prep";
  return "";
}

/* Splits the file into "field value" pairs; false for a repeated field,
** a line without a value, or a missing magic line. */
bool parse_fields(const std::string &text, std::map<std::string, std::string> *fields, std::string *why) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) {
    *why = "not a wasitorch-prep v1 file";
    return false;
  }
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t sp = line.find(' ');
    if (sp == std::string::npos || sp == 0 || sp + 1 >= line.size()) {
      *why = "malformed line";
      return false;
    }
    if (!fields->emplace(line.substr(0, sp), line.substr(sp + 1)).second) {
      *why = "repeated field " + line.substr(0, sp);
      return false;
    }
  }
  return true;
}

}  // namespace

std::string model_hash(const uint8_t *bytes, size_t len) {
  return hex64(fnv1a(bytes, len)) + "-" + hex64(len).substr(8);
}

CacheKey make_key(const std::string &model, int threads) {
  return CacheKey{model, threads, cpu_model(), TORCH_VERSION, offered_preps()};
}

std::string input_signature(const std::vector<c10::IValue> &args) {
  std::string s;
  for (const c10::IValue &a : args) {
    if (!s.empty()) s += ";";
    if (!a.isTensor()) {
      s += a.tagKind();
      continue;
    }
    const at::Tensor &t = a.toTensor();
    s += std::string(c10::toString(t.scalar_type())) + " ";
    for (int64_t d = 0; d < t.dim(); d++) s += (d ? "," : "") + std::to_string(t.size(d));
  }
  return s;
}

std::string cache_path(const CacheKey &key) {
  std::string dir = cache_dir();
  if (dir.empty()) return "";
  std::string id =
      key.model + "|" + std::to_string(key.threads) + "|" + key.cpu + "|" + key.torch + "|" + key.offered;
  return dir + "/" + hex64(fnv1a(id.data(), id.size())) + ".txt";
}

bool cache_read(const std::string &path, const CacheKey &key, CacheRecord *out, std::string *why) {
  try {
    std::ifstream f(path, std::ios_base::binary);
    if (!f) {
      *why = "no cache file";
      return false;
    }
    std::string text(kMaxCacheFile + 1, '\0');
    f.read(&text[0], static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<size_t>(f.gcount()));
    if (text.size() > kMaxCacheFile || text.find('\0') != std::string::npos) {
      *why = "oversized or binary cache file";
      return false;
    }
    std::map<std::string, std::string> fl;
    if (!parse_fields(text, &fl, why)) return false;
    if (fl["model"] != key.model || fl["threads"] != std::to_string(key.threads) || fl["cpu"] != key.cpu ||
        fl["torch"] != key.torch || fl["offered"] != key.offered) {
      *why = "cache file is for another model, thread count, CPU, libtorch or set of preparations";
      return false;
    }
    if (fl["input"].empty() || !prep_by_name(fl["choice"], &out->prep)) {
      *why = "missing input or unknown choice";
      return false;
    }
    out->signature = fl["input"];
    return true;
  } catch (const std::exception &e) {
    *why = e.what();
    return false;
  }
}

bool cache_write(const std::string &path, const CacheKey &key, const CacheRecord &rec,
                 const std::vector<Measurement> &table, std::string *why) {
  try {
    size_t slash = path.rfind('/');
    if (slash != std::string::npos && !make_dirs(path.substr(0, slash))) {
      *why = "cannot create " + path.substr(0, slash) + ": " + std::strerror(errno);
      return false;
    }
    std::string tmp = path + ".tmp" + std::to_string(getpid());
    {
      std::ofstream f(tmp, std::ios_base::binary | std::ios_base::trunc);
      f << kMagic << "\nmodel " << key.model << "\nthreads " << key.threads << "\ncpu " << key.cpu << "\ntorch "
        << key.torch << "\noffered " << key.offered << "\ninput " << rec.signature << "\nchoice " << prep_name(rec.prep) << "\n# "
        << describe(table) << "\n";
      if (!f.flush()) {
        *why = "cannot write " + tmp;
        std::remove(tmp.c_str());
        return false;
      }
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      *why = "cannot rename to " + path + ": " + std::strerror(errno);
      std::remove(tmp.c_str());
      return false;
    }
    return true;
  } catch (const std::exception &e) {
    *why = e.what();
    return false;
  }
}

}  // namespace wtprep
