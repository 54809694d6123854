/*
** nn_harness.c — see nn_harness.h.
*/
#include "nn_harness.h"


harness *harness_new(const nn_config *base, const char *backend_dir) {
  harness *h = calloc(1, sizeof *h);
  assert_non_null(h);
  h->log = tmpfile();
  assert_non_null(h->log);
  nn_config cfg = base ? *base : (nn_config){0};
  cfg.backend_dir = backend_dir;
  cfg.log = h->log;
  h->nn = nn_new(&cfg, &h->err);
  if (!h->nn) print_error("nn_new: %s\n", h->err.message);
  assert_non_null(h->nn);
  h->mem = fake_memory_new(MEM_SIZE);
  assert_non_null(h->mem);
  h->mod = nn_host_module(h->nn);
  h->call = (wt_host_call){.memory = h->mem, .userdata = h->nn, .error = &h->err};
  return h;
}

void harness_free(harness *h) {
  nn_free(h->nn);
  fake_memory_free(h->mem);
  fclose(h->log);
  free(h);
}

/* Calls a host function by name with i32 args; it must not trap. */
uint32_t call_nn(harness *h, const char *name, int nargs, ...) {
  uint64_t slots[8] = {0};
  va_list ap;
  va_start(ap, nargs);
  for (int i = 0; i < nargs; i++) slots[i] = va_arg(ap, uint32_t);
  va_end(ap);
  for (size_t i = 0; i < h->mod.nfns; i++) {
    if (strcmp(h->mod.fns[i].name, name)) continue;
    assert_int_equal(h->mod.fns[i].fn(&h->call, slots), WT_TRAP_NONE);
    return (uint32_t)slots[0];
  }
  fail_msg("no host function %s", name);
  return 99;
}

void put(harness *h, uint32_t addr, const void *data, size_t len) {
  memcpy(fake_memory_data(h->mem) + addr, data, len);
}

void put_u32(harness *h, uint32_t addr, uint32_t v) {
  uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
  put(h, addr, b, 4);
}

uint32_t get_u32(harness *h, uint32_t addr) {
  const uint8_t *b = fake_memory_data(h->mem) + addr;
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* The log written since the last check (a buffer: tests are serial). */
const char *new_log(harness *h) {
  static char buf[8192];
  fflush(h->log);
  long end = ftell(h->log);
  long n = end - h->mark;
  if (n > (long)sizeof buf - 1) n = (long)sizeof buf - 1;
  fseek(h->log, h->mark, SEEK_SET);
  size_t got = fread(buf, 1, (size_t)n, h->log);
  buf[got] = '\0';
  fseek(h->log, 0, SEEK_END);
  h->mark = end;
  return buf;
}

/* The log since the last check must contain `text`. */
void expect_log(harness *h, const char *text) {
  const char *log = new_log(h);
  if (!strstr(log, text)) fail_msg("log lacks \"%s\"; log was:\n%s", text, log);
}

void expect_no_log(harness *h) {
  const char *log = new_log(h);
  if (log[0]) fail_msg("unexpected log: %s", log);
}

/* Writes the tensor struct at A_TENSOR (padding bytes set to garbage). */
void put_tensor(harness *h, const uint32_t *dims, uint32_t ndims, uint8_t type,
                       uint32_t data, uint32_t len) {
  for (uint32_t i = 0; i < ndims; i++) put_u32(h, A_DIMS + 4 * i, dims[i]);
  uint8_t t[20];
  memset(t, 0xAB, sizeof t);
  memcpy(t, &(uint32_t){A_DIMS}, 4);
  memcpy(t + 4, &ndims, 4);
  t[8] = type;
  memcpy(t + 12, &data, 4);
  memcpy(t + 16, &len, 4);
  put(h, A_TENSOR, t, sizeof t);
}

uint32_t load_at(harness *h, uint32_t addr, const void *model, size_t len, uint32_t enc,
                 uint32_t target) {
  put(h, addr, model, len);
  put_u32(h, A_BUILDERS, addr);
  put_u32(h, A_BUILDERS + 4, (uint32_t)len);
  return call_nn(h, "load", 5, A_BUILDERS, 1u, enc, target, A_OUT);
}
