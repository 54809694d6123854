/*
** nn_harness.h — calling the wasi_ephemeral_nn host functions directly
** (raw ABI, no engine) on a fake guest memory, for the tests in this folder.
** Guest addresses used by the tests are fixed (A_*); WILD is never mapped.
*/
#ifndef WT_TEST_NN_HARNESS_H
#define WT_TEST_NN_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_memory.h"
#include "nn/nn.h"

#define MEM_SIZE (16u * 65536u) /* 1 MiB */
#define A_OUT 0x100u      /* u32 out-parameter */
#define A_OUT2 0x104u
#define A_BUILDERS 0x200u
#define A_MODEL 0x300u
#define A_NAME 0x380u
#define A_TENSOR 0x400u
#define A_DIMS 0x500u
#define A_DATA 0x1000u
#define A_BUF 0x20000u
#define A_BIG 0x40000u    /* room for real model files (up to 768 KiB) */
#define WILD 0xFFFFFFF0u

enum { E_OK = 0, E_ARG = 1, E_ENC = 2, E_BUSY = 4, E_RUNTIME = 5, E_UNSUPPORTED = 6,
       E_TOO_LARGE = 7, E_NOT_FOUND = 8 };

typedef struct harness {
  nn_ctx *nn;
  wt_memory *mem;
  wt_host_call call;
  wt_error err;
  host_module mod;
  FILE *log;   /* a tmpfile the nn_ctx logs to */
  long mark;   /* log text before this offset has been checked */
} harness;

harness *harness_new(const nn_config *base, const char *backend_dir);
void harness_free(harness *h);
/* Calls a host function by name with i32 args; it must not trap. */
uint32_t call_nn(harness *h, const char *name, int nargs, ...);
void put(harness *h, uint32_t addr, const void *data, size_t len);
void put_u32(harness *h, uint32_t addr, uint32_t v);
uint32_t get_u32(harness *h, uint32_t addr);
/* The log written since the last check (a static buffer: tests are serial). */
const char *new_log(harness *h);
/* The log since the last check must contain `text` / be empty. */
void expect_log(harness *h, const char *text);
void expect_no_log(harness *h);
/* Writes the tensor struct at A_TENSOR (padding bytes set to garbage) and
** the dims at A_DIMS. */
void put_tensor(harness *h, const uint32_t *dims, uint32_t ndims, uint8_t type, uint32_t data,
                uint32_t len);
/* Puts bytes at `addr`, one builder at A_BUILDERS, and calls load. */
uint32_t load_at(harness *h, uint32_t addr, const void *model, size_t len, uint32_t enc,
                 uint32_t target);

#endif
