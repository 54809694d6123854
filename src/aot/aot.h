/*
** aot.h — the ahead-of-time tier (prefix `aot_`): Wasm → C translation,
** compiling the C with the system compiler, artifacts (.cwasm) and running
** the resulting shared object through the embedding API.
**
** Pipeline: aot_translate() turns a validated wt_module into one C file;
** aot_compile() runs `cc -O2 -fPIC -shared` on it and wraps the shared
** object with metadata into an artifact (aot_artifact.c); aot_load() checks
** the metadata and dlopens the object; wt_aot_instantiate() (aot_run.c)
** instantiates the module and points its functions at the native code.
*/
#ifndef WT_AOT_H
#define WT_AOT_H

#include <stddef.h>

#include "wasm/module.h"

/* A growable text buffer; `oom` sticks once an allocation failed. */
typedef struct aot_buf {
  char *p;
  size_t len, cap;
  bool oom;
} aot_buf;

void aot_buf_put(aot_buf *b, const char *s, size_t n);
void aot_buf_puts(aot_buf *b, const char *s);
void aot_buf_printf(aot_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void aot_buf_free(aot_buf *b);

/* Translation options. */
typedef struct aot_options {
  bool guard_pages; /* omit bounds checks: memories carry a guard region */
} aot_options;

/* Revision of the translator's output and of the fixed compiler flags:
** bumped with every change to what is generated, so stale artifacts are
** refused and cached ones rebuilt. The prelude's digest joins it (see
** aot_generation). */
#define AOT_GEN_REVISION 10

/* "<revision>-<first 16 hex digits of the prelude's SHA-256>". */
void aot_generation(char out[40]);

/* prelude.c: the embedded text of aot_abi.h + aot_ops.h. */
extern const char aot_prelude_text[];
extern const char aot_prelude_text_digest[]; /* SHA-256 identity, made at build time */

/* emit_module.c: writes the whole C file for `m` (validated) into `out`. */
wt_status aot_translate(const wt_module *m, const aot_options *opt, const char *wasm_hash,
                        aot_buf *out, wt_error *err);

/* emit_func.c: the body of defined function `i` (module-level helpers
** named as emit_module.c declares them). */
wt_status aot_emit_func(const wt_module *m, uint32_t i, aot_buf *out, wt_error *err);

/* Names of generated C types, for both emitters. */
const char *aot_ctype(uint8_t valtype);
char aot_type_letter(uint8_t valtype);

/* sha256.c: hex digest (65 bytes with the NUL) of `len` bytes. */
void aot_sha256_hex(const void *data, size_t len, char out[65]);

#endif /* WT_AOT_H */
