/*
** preload.c — the --nn-preload NAME:ENCODING:TARGET:PATH syntax and the
** names of graph encodings and execution targets.
*/
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include "nn/nn_internal.h"

/* witx / WasmEdge numbering; the WIT swaps 5 and 6, see nn_encoding_is_pytorch. */
static const char *const encoding_names[] = {
    "openvino", "onnx", "tensorflow", "pytorch", "tensorflowlite", "autodetect", "ggml",
};
#define NENCODINGS (sizeof encoding_names / sizeof encoding_names[0])

int nn_encoding_from_name(const char *name) {
  for (size_t i = 0; i < NENCODINGS; i++)
    if (!strcasecmp(name, encoding_names[i])) return (int)i;
  return -1;
}

const char *nn_encoding_name(uint32_t encoding) {
  return encoding < NENCODINGS ? encoding_names[encoding] : "unknown";
}

/* 5 and 6 are autodetect/ggml in witx but ggml/autodetect in the WIT; with
** PyTorch as the only backend both can only mean "autodetect". */
bool nn_encoding_is_pytorch(uint32_t encoding) {
  return encoding == 3 || encoding == 5 || encoding == 6;
}

/* "auto" is accepted (as cpu) because WasmEdge command lines use it. */
int nn_target_from_name(const char *name) {
  if (!strcasecmp(name, "cpu") || !strcasecmp(name, "auto")) return NN_TARGET_CPU;
  if (!strcasecmp(name, "gpu")) return NN_TARGET_GPU;
  if (!strcasecmp(name, "tpu")) return NN_TARGET_TPU;
  return -1;
}

static bool parse_fail(wt_error *err, const char *fmt, const char *arg) {
  if (err) {
    memset(err, 0, sizeof *err);
    err->status = WT_ERR_ARG;
    err->func_index = UINT32_MAX;
    err->offset = UINT64_MAX;
    snprintf(err->message, sizeof err->message, fmt, arg);
  }
  return false;
}

/* Splits a copy of spec at its first three ':' (so PATH keeps any further
** colons) and checks each field. */
bool nn_parse_preload(const char *spec, nn_preload *out, char **storage, wt_error *err) {
  *storage = NULL;
  if (!spec) return parse_fail(err, "%s", "no preload spec given");
  char *copy = strdup(spec);
  if (!copy) return parse_fail(err, "%s", "out of memory");
  char *field[4] = {copy, NULL, NULL, NULL};
  for (int i = 1; i < 4; i++) {
    char *colon = strchr(field[i - 1], ':');
    if (!colon) {
      free(copy);
      return parse_fail(err, "expected NAME:ENCODING:TARGET:PATH, got '%s'", spec);
    }
    *colon = '\0';
    field[i] = colon + 1;
  }
  static const char *const what[4] = {"name", "encoding", "target", "path"};
  for (int i = 0; i < 4; i++) {
    if (!*field[i]) {
      free(copy);
      return parse_fail(err, "empty %s (expected NAME:ENCODING:TARGET:PATH)", what[i]);
    }
  }
  bool ok = true;
  if (nn_encoding_from_name(field[1]) < 0) {
    ok = parse_fail(err, "unknown encoding '%s' (pytorch, autodetect, onnx, openvino, "
                         "tensorflow, tensorflowlite, ggml)", field[1]);
  } else if (nn_target_from_name(field[2]) < 0) {
    ok = parse_fail(err, "unknown target '%s' (cpu, gpu, tpu)", field[2]);
  }
  if (!ok) {
    free(copy);
    return false;
  }
  *out = (nn_preload){.name = field[0], .encoding = field[1], .target = field[2], .path = field[3]};
  *storage = copy;
  return true;
}
