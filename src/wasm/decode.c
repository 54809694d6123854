/*
** decode.c — the Wasm binary decoder: module header, section framing and
** order, and the sections that declare types, imports, functions, tables,
** memories, globals, exports, the start function and code.
**
** The decoder checks everything the binary format itself defines (the
** "malformed" errors): encodings, lengths, section order, the structure of
** function bodies (every instruction is read once here, so a body that
** reaches the validator is known to be well-formed). Type and index rules
** are left to validate.c. Element/data segments, constant expressions and
** the "name" section live in decode_segs.c.
**
** Robustness: every vector length is checked against the bytes left before
** anything is allocated for it, so memory use is bounded by a constant
** times the input size; every failure path leaves a module that mod_free()
** can release (counts are set together with the zeroed arrays they count).
*/
#include <stdlib.h>

#include "wasm/decode_priv.h"

/* Section ids of the binary format. */
enum {
  SEC_CUSTOM = 0, SEC_TYPE, SEC_IMPORT, SEC_FUNCTION, SEC_TABLE, SEC_MEMORY,
  SEC_GLOBAL, SEC_EXPORT, SEC_START, SEC_ELEMENT, SEC_CODE, SEC_DATA,
  SEC_DATACOUNT, SEC_LAST = SEC_DATACOUNT
};

/* Position of each known section in the required order (datacount sits
** between element and code although its id is the largest). */
static const uint8_t k_sec_rank[SEC_LAST + 1] = {
  [SEC_TYPE] = 1, [SEC_IMPORT] = 2, [SEC_FUNCTION] = 3, [SEC_TABLE] = 4,
  [SEC_MEMORY] = 5, [SEC_GLOBAL] = 6, [SEC_EXPORT] = 7, [SEC_START] = 8,
  [SEC_ELEMENT] = 9, [SEC_DATACOUNT] = 10, [SEC_CODE] = 11, [SEC_DATA] = 12,
};

/* Cap on the expanded locals of all functions together, tied to the input
** size, so a small module cannot make the host hold gigabytes of
** local-type arrays (each function may declare MOD_MAX_LOCALS locals in a
** few bytes). Real code stays far below 64 locals per byte of binary. */
#define DEC_MAX_TOTAL_LOCALS(len) (((uint64_t)1 << 20) + (uint64_t)(len) * 64)

/* ----------------------------------------------------------------------
** Shared helpers
*/

wt_status dec_fail_rd(dec *d, const dec_rd *rd) {
  wt_status st = rd->unsupported ? WT_ERR_UNSUPPORTED : WT_ERR_MALFORMED;
  return mod_fail(d->err, st, rd->why_at, "%s", rd->why ? rd->why : "malformed module");
}

void *dec_alloc(dec *d, size_t n, size_t size, size_t at) {
  void *p = calloc(n ? n : 1, size);
  if (!p) mod_fail(d->err, WT_ERR_NOMEM, at, "out of memory");
  return p;
}

bool dec_count(dec_rd *rd, uint32_t *out, size_t min_bytes) {
  size_t at = rd->pos;
  if (!dec_u32(rd, out)) return false;
  if ((uint64_t)*out * min_bytes > dec_rd_left(rd))
    return dec_rd_fail(rd, at, "length out of bounds");
  return true;
}

/* One code point starting at p[0] (n bytes available); returns its length
** or 0 when malformed. */
static size_t utf8_char(const uint8_t *p, size_t n) {
  uint8_t b = p[0];
  size_t len;
  uint32_t cp, min;
  if (b < 0x80) return 1;
  if (b >= 0xc2 && b <= 0xdf) { len = 2; cp = b & 0x1fu; min = 0x80; }
  else if (b >= 0xe0 && b <= 0xef) { len = 3; cp = b & 0x0fu; min = 0x800; }
  else if (b >= 0xf0 && b <= 0xf4) { len = 4; cp = b & 0x07u; min = 0x10000; }
  else return 0;
  if (len > n) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((p[i] & 0xc0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3fu);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
  return len;
}

bool dec_utf8_ok(const uint8_t *p, size_t n) {
  size_t i = 0;
  while (i < n) {
    size_t k = utf8_char(p + i, n - i);
    if (!k) return false;
    i += k;
  }
  return true;
}

bool dec_name(dec_rd *rd, char **out, uint32_t *len, bool *nomem) {
  *out = NULL;
  *nomem = false;
  size_t at = rd->pos;
  if (!dec_count(rd, len, 1)) return false;
  const uint8_t *p = dec_bytes(rd, *len);
  if (!p) return false;
  if (!dec_utf8_ok(p, *len)) return dec_rd_fail(rd, at, "malformed UTF-8 encoding");
  char *s = malloc((size_t)*len + 1);
  if (!s) {
    *nomem = true;
    return false;
  }
  memcpy(s, p, *len);
  s[*len] = '\0';
  *out = s;
  return true;
}

/* dec_name with the error turned into a status. */
static wt_status read_name(dec *d, dec_rd *rd, const char **out, uint32_t *len) {
  char *s = NULL;
  bool nomem = false;
  size_t at = rd->pos;
  if (!dec_name(rd, &s, len, &nomem))
    return nomem ? mod_fail(d->err, WT_ERR_NOMEM, at, "out of memory") : dec_fail_rd(d, rd);
  *out = s;
  return WT_OK;
}

/* limits: flag 0x00 (min) or 0x01 (min, max), u32 values. */
static bool read_limits(dec_rd *rd, mod_limits *lim) {
  size_t at = rd->pos;
  uint8_t flag = 0;
  uint32_t v = 0;
  if (!dec_u8(rd, &flag)) return false;
  /* The flag is a 1-bit LEB128 in the reference interpreter's reading. */
  if (flag & 0x80) return dec_rd_fail(rd, at, "integer representation too long");
  if (flag > 1) return dec_rd_fail(rd, at, "integer too large");
  if (!dec_u32(rd, &v)) return false;
  lim->min = v;
  lim->has_max = flag == 1;
  lim->max = UINT32_MAX;
  if (lim->has_max) {
    if (!dec_u32(rd, &v)) return false;
    lim->max = v;
  }
  return true;
}

static bool read_tabletype(dec_rd *rd, mod_tabletype *t) {
  return dec_reftype(rd, &t->elem_type) && read_limits(rd, &t->limits);
}

static bool read_globaltype(dec_rd *rd, mod_globaltype *g) {
  uint8_t mut = 0;
  if (!dec_valtype(rd, &g->type)) return false;
  size_t at = rd->pos;
  if (!dec_u8(rd, &mut)) return false;
  if (mut > 1) return dec_rd_fail(rd, at, "malformed mutability");
  g->is_mutable = mut == 1;
  return true;
}

/* ----------------------------------------------------------------------
** Type, import, function, table, memory, global sections
*/

/* One function type: 0x60 vec(valtype) vec(valtype). */
static wt_status read_functype(dec *d, dec_rd *rd, mod_functype *t) {
  size_t at = rd->pos;
  uint8_t form = 0;
  uint32_t np = 0, nr = 0;
  if (!dec_u8(rd, &form)) return dec_fail_rd(d, rd);
  if (form != 0x60)
    return mod_fail(d->err, WT_ERR_MALFORMED, at, "%s 0x%02x",
                    form & 0x80 ? "integer representation too long: function type form" : "malformed function type", form);
  if (!dec_count(rd, &np, 1)) return dec_fail_rd(d, rd);
  size_t pstart = rd->pos;
  if (!dec_bytes(rd, np) || !dec_count(rd, &nr, 1)) return dec_fail_rd(d, rd);
  size_t rstart = rd->pos;
  if (!dec_bytes(rd, nr)) return dec_fail_rd(d, rd);
  if (np > MOD_MAX_PARAMS || nr > MOD_MAX_PARAMS)
    return mod_fail(d->err, WT_ERR_NOMEM, at, "function type has more than %u params or results", MOD_MAX_PARAMS);
  t->types = dec_alloc(d, (size_t)np + nr, 1, at);
  if (!t->types) return WT_ERR_NOMEM;
  t->nparams = np;
  t->nresults = nr;
  memcpy(t->types, rd->buf + pstart, np);
  memcpy(t->types + np, rd->buf + rstart, nr);
  for (uint32_t i = 0; i < np + nr; i++) {
    size_t pos = i < np ? pstart + i : rstart + (i - np);
    if (!dec_valtype_ok(rd, pos, t->types[i])) return dec_fail_rd(d, rd);
  }
  return WT_OK;
}

static wt_status sec_type(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (!(m->types = dec_alloc(d, n, sizeof *m->types, rd->pos))) return WT_ERR_NOMEM;
  m->ntypes = n;
  for (uint32_t i = 0; i < n; i++) {
    wt_status st = read_functype(d, rd, &m->types[i]);
    if (st != WT_OK) return st;
  }
  return WT_OK;
}

/* The kind-specific part of one import. */
static bool read_import_desc(dec_rd *rd, wt_module *m, mod_import *imp) {
  size_t at = rd->pos;
  uint8_t kind = 0;
  if (!dec_u8(rd, &kind)) return false;
  imp->kind = (wt_extern_kind)kind;
  switch (kind) {
    case WT_EXTERN_FUNC: m->nfunc_imports++; return dec_u32(rd, &imp->desc.func_type);
    case WT_EXTERN_TABLE: m->ntable_imports++; return read_tabletype(rd, &imp->desc.table);
    case WT_EXTERN_MEMORY: m->nmemory_imports++; return read_limits(rd, &imp->desc.memory);
    case WT_EXTERN_GLOBAL: m->nglobal_imports++; return read_globaltype(rd, &imp->desc.global);
    default: return dec_rd_fail(rd, at, "malformed import kind");
  }
}

static wt_status sec_import(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (!(m->imports = dec_alloc(d, n, sizeof *m->imports, rd->pos))) return WT_ERR_NOMEM;
  m->nimports = n;
  for (uint32_t i = 0; i < n; i++) {
    mod_import *imp = &m->imports[i];
    wt_status st = read_name(d, rd, &imp->module, &imp->module_len);
    if (st == WT_OK) st = read_name(d, rd, &imp->name, &imp->name_len);
    if (st != WT_OK) return st;
    if (!read_import_desc(rd, m, imp)) return dec_fail_rd(d, rd);
  }
  return WT_OK;
}

static wt_status sec_function(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (!(m->funcs = dec_alloc(d, n, sizeof *m->funcs, rd->pos))) return WT_ERR_NOMEM;
  m->nfuncs = n;
  for (uint32_t i = 0; i < n; i++)
    if (!dec_u32(rd, &m->funcs[i].type_index)) return dec_fail_rd(d, rd);
  return WT_OK;
}

static wt_status sec_table(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  size_t total = (size_t)m->ntable_imports + n;
  if (!(m->tables = dec_alloc(d, total, sizeof *m->tables, rd->pos))) return WT_ERR_NOMEM;
  m->ntables = (uint32_t)total;
  for (uint32_t i = 0; i < n; i++)
    if (!read_tabletype(rd, &m->tables[m->ntable_imports + i])) return dec_fail_rd(d, rd);
  return WT_OK;
}

static wt_status sec_memory(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  size_t total = (size_t)m->nmemory_imports + n;
  if (!(m->memories = dec_alloc(d, total, sizeof *m->memories, rd->pos))) return WT_ERR_NOMEM;
  m->nmemories = (uint32_t)total;
  for (uint32_t i = 0; i < n; i++)
    if (!read_limits(rd, &m->memories[m->nmemory_imports + i])) return dec_fail_rd(d, rd);
  return WT_OK;
}

static wt_status sec_global(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (!(m->globals = dec_alloc(d, n, sizeof *m->globals, rd->pos))) return WT_ERR_NOMEM;
  m->nglobals = n;
  for (uint32_t i = 0; i < n; i++) {
    mod_global *g = &m->globals[i];
    if (!read_globaltype(rd, &g->type) || !dec_const_expr(d, rd, &g->init)) return dec_fail_rd(d, rd);
  }
  return WT_OK;
}

/* ----------------------------------------------------------------------
** Export, start, datacount sections
*/

static wt_status sec_export(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (!(m->exports = dec_alloc(d, n, sizeof *m->exports, rd->pos))) return WT_ERR_NOMEM;
  m->nexports = n;
  for (uint32_t i = 0; i < n; i++) {
    mod_export *ex = &m->exports[i];
    wt_status st = read_name(d, rd, &ex->name, &ex->name_len);
    if (st != WT_OK) return st;
    size_t at = rd->pos;
    uint8_t kind = 0;
    if (!dec_u8(rd, &kind)) return dec_fail_rd(d, rd);
    if (kind > WT_EXTERN_GLOBAL) return mod_fail(d->err, WT_ERR_MALFORMED, at, "malformed export kind");
    ex->kind = (wt_extern_kind)kind;
    if (!dec_u32(rd, &ex->index)) return dec_fail_rd(d, rd);
  }
  return WT_OK;
}

static wt_status sec_start(dec *d, dec_rd *rd) {
  if (!dec_u32(rd, &d->m->start)) return dec_fail_rd(d, rd);
  d->m->has_start = true;
  return WT_OK;
}

static wt_status sec_datacount(dec *d, dec_rd *rd) {
  if (!dec_u32(rd, &d->m->data_count)) return dec_fail_rd(d, rd);
  d->m->has_data_count = true;
  return WT_OK;
}

/* ----------------------------------------------------------------------
** Code section
*/

/* Locals: vec((count, valtype)), expanded into f->local_types. The sum is
** checked (in 64 bits) before anything is allocated. */
static wt_status read_locals(dec *d, dec_rd *rd, mod_func *f) {
  uint32_t ngroups = 0;
  size_t at = rd->pos;
  if (!dec_count(rd, &ngroups, 2)) return dec_fail_rd(d, rd);
  size_t groups = rd->pos;
  uint64_t total = 0;
  for (uint32_t i = 0; i < ngroups; i++) {
    uint32_t cnt = 0;
    uint8_t t = 0;
    if (!dec_u32(rd, &cnt) || !dec_valtype(rd, &t)) return dec_fail_rd(d, rd);
    total += cnt;
  }
  if (total > MOD_MAX_LOCALS) return mod_fail(d->err, WT_ERR_MALFORMED, at, "too many locals");
  d->total_locals += total;
  if (d->total_locals > DEC_MAX_TOTAL_LOCALS(d->m->len))
    return mod_fail(d->err, WT_ERR_NOMEM, at, "too many locals in the module (resource limit)");
  if (!(f->local_types = dec_alloc(d, total, 1, at))) return WT_ERR_NOMEM;
  f->nlocals = (uint32_t)total;
  /* Second pass over the groups (already known to be well-formed). */
  dec_rd again = dec_rd_make(rd->buf, groups, rd->pos);
  uint32_t k = 0;
  for (uint32_t i = 0; i < ngroups; i++) {
    uint32_t cnt = 0;
    uint8_t t = 0;
    dec_u32(&again, &cnt);
    dec_u8(&again, &t);
    memset(f->local_types + k, t, cnt);
    k += cnt;
  }
  return WT_OK;
}

/* Reads every instruction of a body once, so that the validator sees only
** well-formed code. Tracks block nesting as a counter (no recursion, no
** stack): the body must end with the `end` that closes depth 1 exactly at
** its last byte. */
static wt_status scan_body(dec *d, dec_rd *rd) {
  dec_instr ins;
  uint64_t depth = 1;
  while (depth > 0) {
    if (dec_rd_eof(rd)) return mod_fail(d->err, WT_ERR_MALFORMED, rd->pos, "END opcode expected");
    if (!dec_instr_next(rd, &ins)) return dec_fail_rd(d, rd);
    if (dec_instr_simd(&ins)) d->m->uses_simd = true;
    if (ins.op == WASM_OP_block || ins.op == WASM_OP_loop || ins.op == WASM_OP_if)
      depth++;
    else if (ins.op == WASM_OP_end)
      depth--;
    else if (ins.op == WASM_PREFIX_FC && !d->m->has_data_count && !d->data_use_at &&
             (ins.sub == WASM_OPFC_memory_init || ins.sub == WASM_OPFC_data_drop))
      d->data_use_at = ins.offset; /* judged in finish_module */
  }
  if (!dec_rd_eof(rd))
    return mod_fail(d->err, WT_ERR_MALFORMED, rd->pos, "END opcode expected");
  return WT_OK;
}

static wt_status read_code(dec *d, dec_rd *rd, mod_func *f) {
  uint32_t size = 0;
  size_t at = rd->pos;
  if (!dec_u32(rd, &size)) return dec_fail_rd(d, rd);
  if (size > dec_rd_left(rd))
    return mod_fail(d->err, WT_ERR_MALFORMED, at, "unexpected end of section or function");
  dec_rd body = dec_rd_make(rd->buf, rd->pos, rd->pos + size);
  rd->pos += size;
  wt_status st = read_locals(d, &body, f);
  if (st != WT_OK) return st;
  f->code = body.buf + body.pos;
  f->code_offset = (uint32_t)body.pos;
  f->code_len = (uint32_t)(body.end - body.pos);
  return scan_body(d, &body);
}

static wt_status sec_code(dec *d, dec_rd *rd) {
  wt_module *m = d->m;
  uint32_t n = 0;
  size_t at = rd->pos;
  if (!dec_count(rd, &n, 1)) return dec_fail_rd(d, rd);
  if (n != m->nfuncs)
    return mod_fail(d->err, WT_ERR_MALFORMED, at, "function and code section have inconsistent lengths");
  d->has_code = true;
  for (uint32_t i = 0; i < n; i++) {
    wt_status st = read_code(d, rd, &m->funcs[i]);
    if (st != WT_OK) return st;
    d->ncode++;
  }
  return WT_OK;
}

/* ----------------------------------------------------------------------
** Sections and the module
*/

/* A custom section: a UTF-8 name, then anything. "name" is kept for the
** end, when the functions it names exist. */
static wt_status sec_custom(dec *d, dec_rd *rd) {
  uint32_t len = 0;
  size_t at = rd->pos;
  if (!dec_u32(rd, &len)) return dec_fail_rd(d, rd);
  const uint8_t *p = dec_bytes(rd, len);
  if (!p) return dec_fail_rd(d, rd);
  if (!dec_utf8_ok(p, len)) return mod_fail(d->err, WT_ERR_MALFORMED, at, "malformed UTF-8 encoding");
  if (len == 4 && !memcmp(p, "name", 4)) {
    d->has_name = true;
    d->name_pos = rd->pos;
    d->name_end = rd->end;
  }
  rd->pos = rd->end;
  return WT_OK;
}

static wt_status decode_section(dec *d, uint8_t id, dec_rd *rd) {
  switch (id) {
    case SEC_CUSTOM: return sec_custom(d, rd);
    case SEC_TYPE: return sec_type(d, rd);
    case SEC_IMPORT: return sec_import(d, rd);
    case SEC_FUNCTION: return sec_function(d, rd);
    case SEC_TABLE: return sec_table(d, rd);
    case SEC_MEMORY: return sec_memory(d, rd);
    case SEC_GLOBAL: return sec_global(d, rd);
    case SEC_EXPORT: return sec_export(d, rd);
    case SEC_START: return sec_start(d, rd);
    case SEC_ELEMENT: return dec_elem_section(d, rd);
    case SEC_CODE: return sec_code(d, rd);
    case SEC_DATA: return dec_data_section(d, rd);
    case SEC_DATACOUNT: return sec_datacount(d, rd);
    default: return mod_fail(d->err, WT_ERR_MALFORMED, rd->pos, "malformed section id");
  }
}

/* Reads sections in order until the end of the binary. */
static wt_status decode_sections(dec *d, dec_rd *rd) {
  unsigned last_rank = 0;
  while (!dec_rd_eof(rd)) {
    size_t at = rd->pos;
    uint8_t id = 0;
    uint32_t size = 0;
    dec_u8(rd, &id);
    if (id > SEC_LAST) return mod_fail(d->err, WT_ERR_MALFORMED, at, "malformed section id %u", id);
    if (!dec_u32(rd, &size)) return dec_fail_rd(d, rd);
    if (size > dec_rd_left(rd))
      return mod_fail(d->err, WT_ERR_MALFORMED, at, "section size mismatch: length out of bounds");
    if (id != SEC_CUSTOM) {
      if (k_sec_rank[id] <= last_rank)
        return mod_fail(d->err, WT_ERR_MALFORMED, at, "unexpected content after last section");
      last_rank = k_sec_rank[id];
    }
    dec_rd sec = dec_rd_make(rd->buf, rd->pos, rd->pos + size);
    wt_status st = decode_section(d, id, &sec);
    if (st != WT_OK) return st;
    if (!dec_rd_eof(&sec))
      return mod_fail(d->err, WT_ERR_MALFORMED, sec.pos, "section size mismatch");
    rd->pos = sec.end;
  }
  return WT_OK;
}

/* Builds one "imports first" index space: grows `*arr` (which holds
** `*count` entries with the defined ones already at the end, or is NULL)
** to cover the imports, then copies the import descriptions in. */
static wt_status import_space(dec *d, void **arr, uint32_t *count, uint32_t nimp, size_t esize) {
  if (!*arr) {
    if (!(*arr = dec_alloc(d, nimp, esize, 0))) return WT_ERR_NOMEM;
    *count = nimp;
  }
  return WT_OK;
}

/* Whether a v128 appears in a declared type: function types, global types
** (imports included) or locals. Instructions are seen by scan_body. */
static bool has_v128(const uint8_t *types, size_t n) {
  return n && memchr(types, WT_V128, n); /* memchr(NULL, .., 0) is undefined */
}

static bool types_use_simd(const wt_module *m) {
  for (uint32_t i = 0; i < m->ntypes; i++)
    if (has_v128(m->types[i].types, (size_t)m->types[i].nparams + m->types[i].nresults)) return true;
  for (uint32_t i = 0; i < m->nglobals_total; i++)
    if (m->global_types[i].type == WT_V128) return true;
  for (uint32_t i = 0; i < m->nfuncs; i++)
    if (has_v128(m->funcs[i].local_types, m->funcs[i].nlocals)) return true;
  return false;
}

/* After all sections: check cross-section counts and fill the index
** spaces (func_types, tables, memories, global_types) imports first. */
static wt_status finish_module(dec *d) {
  wt_module *m = d->m;
  if (m->nfuncs && !d->has_code)
    return mod_fail(d->err, WT_ERR_MALFORMED, m->len, "function and code section have inconsistent lengths");
  /* The spec requires a datacount section for memory.init/data.drop. A
  ** module without data segments gets a pass here (wabt omits the section
  ** then) and fails validation with "unknown data segment" instead. */
  if (d->data_use_at && m->ndatas)
    return mod_fail(d->err, WT_ERR_MALFORMED, d->data_use_at, "data count section required");
  if (m->has_data_count && m->data_count != m->ndatas)
    return mod_fail(d->err, WT_ERR_MALFORMED, m->len, "data count and data section have inconsistent lengths");
  if (import_space(d, (void **)&m->tables, &m->ntables, m->ntable_imports, sizeof *m->tables) ||
      import_space(d, (void **)&m->memories, &m->nmemories, m->nmemory_imports, sizeof *m->memories))
    return WT_ERR_NOMEM;
  m->nfuncs_total = m->nfunc_imports + m->nfuncs;
  m->nglobals_total = m->nglobal_imports + m->nglobals;
  m->func_types = dec_alloc(d, m->nfuncs_total, sizeof *m->func_types, 0);
  m->global_types = dec_alloc(d, m->nglobals_total, sizeof *m->global_types, 0);
  if (!m->func_types || !m->global_types) return WT_ERR_NOMEM;
  uint32_t fi = 0, ti = 0, mi = 0, gi = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const mod_import *imp = &m->imports[i];
    switch (imp->kind) {
      case WT_EXTERN_FUNC: m->func_types[fi++] = imp->desc.func_type; break;
      case WT_EXTERN_TABLE: m->tables[ti++] = imp->desc.table; break;
      case WT_EXTERN_MEMORY: m->memories[mi++] = imp->desc.memory; break;
      case WT_EXTERN_GLOBAL: m->global_types[gi++] = imp->desc.global; break;
    }
  }
  for (uint32_t i = 0; i < m->nfuncs; i++) m->func_types[fi++] = m->funcs[i].type_index;
  for (uint32_t i = 0; i < m->nglobals; i++) m->global_types[gi++] = m->globals[i].type;
  if (types_use_simd(m)) m->uses_simd = true;
  return WT_OK;
}

/* Module header: magic "\0asm" and version 1. */
static wt_status decode_header(dec *d, dec_rd *rd) {
  static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
  static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};
  const uint8_t *p = dec_bytes(rd, 4);
  if (!p) return dec_fail_rd(d, rd);
  if (memcmp(p, magic, 4)) return mod_fail(d->err, WT_ERR_MALFORMED, 0, "magic header not detected");
  p = dec_bytes(rd, 4);
  if (!p) return dec_fail_rd(d, rd);
  if (memcmp(p, version, 4)) return mod_fail(d->err, WT_ERR_MALFORMED, 4, "unknown binary version");
  return WT_OK;
}

wt_status dec_decode(wt_engine *engine, const uint8_t *bytes, size_t len,
                     wt_module **out, wt_error *err) {
  *out = NULL;
  if (!bytes && len) return mod_fail(err, WT_ERR_ARG, UINT64_MAX, "no module bytes");
  if (len > UINT32_MAX) return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "module larger than 4 GiB");
  wt_module *m = calloc(1, sizeof *m);
  uint8_t *copy = malloc(len ? len : 1);
  if (!m || !copy) {
    free(m);
    free(copy);
    return mod_fail(err, WT_ERR_NOMEM, UINT64_MAX, "out of memory");
  }
  if (len) memcpy(copy, bytes, len);
  m->engine = engine;
  m->bytes = copy;
  m->len = len;
  dec d = {.m = m, .err = err};
  dec_rd rd = dec_rd_make(copy, 0, len);
  wt_status st = decode_header(&d, &rd);
  if (st == WT_OK) st = decode_sections(&d, &rd);
  if (st == WT_OK) st = finish_module(&d);
  if (st != WT_OK) {
    mod_free(m);
    return st;
  }
  if (d.has_name) dec_name_section(&d);
  *out = m;
  return WT_OK;
}
