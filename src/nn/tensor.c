/*
** tensor.c — decoding the guest's tensor struct for set_input.
**
**   offset 0  u32 dims ptr      offset 8  u8 type (bytes 9..11 are padding
**   offset 4  u32 dims count              and may hold garbage: ignored)
**   offset 12 u32 data ptr      offset 16 u32 data length in bytes
**
** The data length must equal product(dims) x element size exactly; the
** product is computed so that no overflow can make a short buffer pass.
*/
#include <stdio.h>

#include "nn/nn_internal.h"

#define TENSOR_SIZE 20u

size_t nn_type_size(nn_tensor_type type) {
  switch (type) {
  case NN_TYPE_F16: return 2;
  case NN_TYPE_F32: return 4;
  case NN_TYPE_F64: return 8;
  case NN_TYPE_U8: return 1;
  case NN_TYPE_I32: return 4;
  case NN_TYPE_I64: return 8;
  }
  return 0;
}

const char *nn_type_name(nn_tensor_type type) {
  static const char *const names[] = {"f16", "f32", "f64", "u8", "i32", "i64"};
  return (unsigned)type < 6 ? names[type] : "?";
}

/* Maps the guest's type byte to nn_tensor_type, under the current witx
** order or the old one (f16 0, f32 1, u8 2, i32 3); false if unknown. */
static bool map_type(bool legacy, uint8_t raw, nn_tensor_type *out) {
  static const nn_tensor_type old[] = {NN_TYPE_F16, NN_TYPE_F32, NN_TYPE_U8, NN_TYPE_I32};
  if (legacy) {
    if (raw >= 4) return false;
    *out = old[raw];
    return true;
  }
  if (raw > NN_TYPE_I64) return false;
  *out = (nn_tensor_type)raw;
  return true;
}

/* "1x3x224x224 f32" for messages. */
static void describe(char *buf, size_t cap, const uint32_t *dims, uint32_t n, nn_tensor_type type) {
  size_t used = 0;
  buf[0] = '\0';
  for (uint32_t i = 0; i < n && used < cap; i++) {
    int w = snprintf(buf + used, cap - used, i ? "x%u" : "%u", dims[i]);
    if (w < 0) break;
    used += (size_t)w;
  }
  if (n == 0 && cap > 8) used = (size_t)snprintf(buf, cap, "scalar");
  if (used < cap) snprintf(buf + used, cap - used, " %s", nn_type_name(type));
}

/* product(dims) x elem, or false when it exceeds 4 GiB - 1 (no wasm32
** buffer can be that long, so such dims can never match a data length).
** A zero dimension makes the product 0 whatever the others are. */
static bool tensor_bytes(const uint32_t *dims, uint32_t n, size_t elem, uint64_t *out) {
  for (uint32_t i = 0; i < n; i++) {
    if (dims[i] == 0) {
      *out = 0;
      return true;
    }
  }
  uint64_t total = elem;
  for (uint32_t i = 0; i < n; i++) {
    total *= dims[i]; /* total <= 2^32 before, dims < 2^32: no u64 overflow */
    if (total > UINT32_MAX) return false;
  }
  *out = total;
  return true;
}

/* Reads the dims array and the type; the data range is checked by the caller. */
static nn_errno read_shape(nn_ctx *nn, wt_host_call *call, const char *fn, uint32_t ptr,
                           nn_tensor *t, uint32_t dims[NN_MAX_DIMS]) {
  const uint8_t *raw = host_mem(call, ptr, TENSOR_SIZE);
  if (!raw)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "tensor 0x%x is outside guest memory", ptr);
  uint32_t dims_ptr = 0, ndims = 0;
  host_read_u32(call, ptr, &dims_ptr);
  host_read_u32(call, ptr + 4, &ndims);
  if (ndims > NN_MAX_DIMS)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "tensor has %u dimensions (at most %u)", ndims,
                   NN_MAX_DIMS);
  if (ndims && !host_mem(call, dims_ptr, ndims * 4))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "dims array 0x%x (%u entries) is outside guest "
                   "memory", dims_ptr, ndims);
  for (uint32_t i = 0; i < ndims; i++) host_read_u32(call, dims_ptr + 4 * i, &dims[i]);
  if (!map_type(nn->legacy_types, raw[8], &t->type))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "unknown tensor type %u (%s)", raw[8],
                   nn->legacy_types ? "legacy order: f16 0, f32 1, u8 2, i32 3"
                                    : "f16 0, f32 1, f64 2, u8 3, i32 4, i64 5");
  t->dims = dims;
  t->ndims = ndims;
  return NN_SUCCESS;
}

nn_errno nn_tensor_decode(nn_ctx *nn, wt_host_call *call, const char *fn, uint32_t ptr,
                          nn_tensor *t, uint32_t dims[NN_MAX_DIMS]) {
  nn_errno rc = read_shape(nn, call, fn, ptr, t, dims);
  if (rc != NN_SUCCESS) return rc;
  uint32_t data_ptr = 0, data_len = 0;
  host_read_u32(call, ptr + 12, &data_ptr);
  host_read_u32(call, ptr + 16, &data_len);
  char shape[NN_MSG_MAX / 2];
  describe(shape, sizeof shape, dims, t->ndims, t->type);
  uint64_t want;
  if (!tensor_bytes(dims, t->ndims, nn_type_size(t->type), &want))
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "data length %u != product of dims (%s), "
                   "which exceeds 4 GiB", data_len, shape);
  if (want != data_len)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "data length %u != %llu (dims %s)", data_len,
                   (unsigned long long)want, shape);
  /* An empty tensor's data is never read; host_mem may refuse len 0 at
  ** the end of memory, so point it at the (valid) dims array instead. */
  t->data = data_len ? host_mem(call, data_ptr, data_len) : (const void *)dims;
  if (!t->data)
    return nn_fail(nn, NN_INVALID_ARGUMENT, fn, "tensor data 0x%x+%u is outside guest memory",
                   data_ptr, data_len);
  t->size = data_len;
  return NN_SUCCESS;
}
