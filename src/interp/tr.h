/*
** tr.h — the translator's state and its small helpers, shared by
** translate.c (the walk over a function body) and peephole.c (the fusions
** that rewrite the code just emitted). Private to src/interp/.
*/
#ifndef WT_INTERP_TR_H
#define WT_INTERP_TR_H

#include <stdlib.h>
#include <string.h>

#include "interp/code.h"
#include "interp/interp.h"

#define NONE UINT32_MAX

/* Constant slots per function (distinct scalar values; more are emitted
** as const ops) and the size of their hash table (a power of two, at least
** twice as large, so probes stay short). */
#define TR_CONST_MAX 256u
#define TR_CONST_HASH_BITS 9u
#define TR_CONST_HASH (1u << TR_CONST_HASH_BITS)

/* Block pre-scan (scan_block): at most this many body bytes are looked at
** (past that every lazy entry is materialized, as if all locals were
** written), and at most this many distinct written locals are kept. */
#define TR_SCAN_BYTES 4096u
#define TR_SCAN_LOCALS 32u

enum { CT_BLOCK, CT_LOOP, CT_IF, CT_ELSE, CT_FUNC };

typedef struct tr_ctrl {
  uint8_t kind;
  uint8_t vt;         /* single result type (ti == NONE), 0 for none */
  uint32_t ti;        /* block type index, or NONE */
  uint32_t height;    /* stack height below the block's parameters */
  uint32_t base_off;  /* slot offset of that height */
  uint32_t nparams, nresults;
  uint32_t start;     /* loop: code index of the header */
  uint32_t patches;   /* chain of unresolved forward rel words */
  uint32_t else_site; /* if: rel word of the br_z to the else arm */
  uint32_t res_slot;  /* block/if with one result stored into a local right
                      ** after its end: that local's slot (the result is
                      ** written there on every exit), or NONE = home */
} tr_ctrl;

/* One simulated stack entry. */
typedef struct tr_ent {
  uint32_t src;  /* slot of the local it lazily refers to, or NONE = home */
  uint32_t off;  /* home slot minus the locals' slot count */
  uint32_t w;    /* width in slots */
} tr_ent;

typedef struct tr {
  const wt_module *mod;
  wt_engine *eng;
  const uint8_t *p, *start, *end;
  uint32_t base;             /* module offset of `start` */
  uint32_t nvals;            /* locals (params included), in values */
  uint32_t nlocals;          /* the same in slots */
  uint32_t hbase;            /* first operand-stack slot: nlocals + nconst */
  uint32_t nconst;           /* constant slots [nlocals, hbase), values in cval */
  uint64_t cval[TR_CONST_MAX];
  uint16_t chash[TR_CONST_HASH]; /* open addressing: index + 1, 0 = empty */
  bool cpair[TR_CONST_MAX];  /* entry i starts a v128 pair (i, i + 1) */
  uint32_t *lslot;           /* per local: its slot */
  uint8_t *lwidth;           /* per local: its width */
  uint32_t *code;            uint32_t ncode, capcode;
  tr_ent *stack;             uint32_t height, capstack, maxtop; /* maxtop: slots */
  tr_ctrl *ctrl;             uint32_t nctrl, capctrl;
  uint32_t *pcmap;           uint32_t npc, cappc; /* pairs */
  uint32_t last_pos;         /* start of the single producer just emitted */
  uint32_t prev_pos;         /* last_pos as it was before this instruction */
  uint32_t cur_off;          /* module offset of the instruction being translated */
  uint32_t tee_pos;          /* producer whose dst the last local.tee rewrote, or NONE */
  uint32_t label_pos;        /* code index of the latest branch target placed */
  uint32_t last_mov;         /* start of the latest scalar mov emitted (for mov2) */
  uint32_t add_cur, add_prev; /* an i32_add_imm that was all the code emitted by
                             ** the latest emitting step / the one before (or NONE) */
  uint32_t wr[TR_SCAN_LOCALS]; /* slots of the locals the block being opened writes */
  uint32_t nwr;              /* their count, or NONE: unknown, assume all */
  bool dead;
  uint32_t dead_depth;
  bool oom, bad, ticks;
} tr;

static inline uint32_t width_of(uint8_t valtype) { return valtype == WT_V128 ? 2 : 1; }

/* Grows *arr to hold at least `need` elements of `size` bytes. */
static inline bool grow(void *arrp, uint32_t *cap, uint64_t need, size_t size) {
  if (need <= *cap) return true;
  uint64_t n = *cap ? (uint64_t)*cap * 2 : 64;
  while (n < need) n *= 2;
  if (n > UINT32_MAX / 2) return false;
  void **arr = arrp;
  void *q = realloc(*arr, (size_t)n * size);
  if (!q) return false;
  *arr = q;
  *cap = (uint32_t)n;
  return true;
}

/* ---- reading -------------------------------------------------------------- */

static inline uint64_t rd_uleb(tr *t) {
  uint64_t r = 0;
  unsigned shift = 0;
  while (t->p < t->end) {
    uint8_t b = *t->p++;
    if (shift < 64) r |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return r;
}

static inline int64_t rd_sleb(tr *t) {
  uint64_t r = 0;
  unsigned shift = 0;
  uint8_t b = 0;
  while (t->p < t->end) {
    b = *t->p++;
    if (shift < 64) r |= (uint64_t)(b & 0x7f) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  if (shift < 64 && (b & 0x40)) r |= ~(uint64_t)0 << shift;
  return (int64_t)r;
}

static inline uint32_t rd_u32(tr *t) { return (uint32_t)rd_uleb(t); }

static inline uint64_t rd_bytes(tr *t, unsigned n) {
  uint64_t v = 0;
  for (unsigned i = 0; i < n && t->p < t->end; i++) v |= (uint64_t)*t->p++ << (8 * i);
  return v;
}

/* ---- emitting ------------------------------------------------------------- */

static inline uint32_t emit(tr *t, uint32_t w) {
  if (!grow(&t->code, &t->capcode, (uint64_t)t->ncode + 1, sizeof *t->code)) {
    t->oom = true;
    return t->ncode;
  }
  t->code[t->ncode] = w;
  return t->ncode++;
}

static inline void put(tr *t, uint32_t pos, uint32_t w) {
  if (pos < t->ncode) t->code[pos] = w;
}

static inline uint32_t home(const tr *t, uint32_t h) { return t->hbase + t->stack[h].off; }

/* Slot offset of height h (h may be the next free height). */
static inline uint32_t off_at(const tr *t, uint32_t h) {
  if (h < t->height) return t->stack[h].off;
  if (t->height == 0) return 0;
  const tr_ent *e = &t->stack[t->height - 1];
  return e->off + e->w;
}

static inline uint32_t slot_at(const tr *t, uint32_t h) {
  return t->stack[h].src == NONE ? home(t, h) : t->stack[h].src;
}

static inline void push_entry(tr *t, uint32_t v, uint32_t w) {
  if (!grow(&t->stack, &t->capstack, (uint64_t)t->height + 1, sizeof *t->stack)) {
    t->oom = true;
    return;
  }
  uint32_t off = off_at(t, t->height);
  t->stack[t->height++] = (tr_ent){v, off, w};
  if (off + w > t->maxtop) t->maxtop = off + w;
}

/* Pushes a value produced into its home slot; returns that slot. */
static inline uint32_t push_home(tr *t, uint32_t w) {
  push_entry(t, NONE, w);
  return home(t, t->height - 1);
}

/* Emits a copy of a value of width w. */
static inline void emit_mov(tr *t, uint32_t dst, uint32_t src, uint32_t w) {
  uint32_t m = t->last_mov;
  if (w == 1 && m != NONE && m + 3 == t->ncode && t->code[m] == IOP_mov && t->label_pos != t->ncode) {
    /* Directly after another mov with no branch target between: one
    ** mov2 (copies at block exits and loop back-edges come in runs). */
    t->code[m] = IOP_mov2;
    emit(t, dst);
    emit(t, src);
    t->last_mov = NONE;
    return;
  }
  t->last_mov = w == 1 ? t->ncode : NONE;
  emit(t, w == 2 ? IOP_mov128 : IOP_mov);
  emit(t, dst);
  emit(t, src);
}

static inline uint32_t pop_slot(tr *t) {
  if (t->height == 0 || (t->nctrl && t->height < t->ctrl[t->nctrl - 1].height)) {
    t->bad = true;
    return home(t, 0);
  }
  t->height--;
  return slot_at(t, t->height);
}

/* Copies lazy entries at heights [from, height) to their home slots. */
static inline void mat_range(tr *t, uint32_t from) {
  for (uint32_t h = from; h < t->height; h++) {
    if (t->stack[h].src == NONE) continue;
    emit_mov(t, home(t, h), t->stack[h].src, t->stack[h].w);
    t->stack[h].src = NONE;
  }
}

/* True when the block being opened may write the local in slot s (see
** scan_block); constant slots are never written. */
static inline bool block_writes(const tr *t, uint32_t s) {
  if (s >= t->nlocals) return false;
  if (t->nwr == NONE) return true;
  for (uint32_t i = 0; i < t->nwr; i++)
    if (t->wr[i] == s) return true;
  return false;
}

/* Block entry: the block's parameters (heights from `base` up) go home;
** a lazy entry below them stays lazy unless the block may write its
** local. Nothing inside a block changes the entries below its base, so
** such an entry is valid on every path through the block and after it. */
static inline void mat_block(tr *t, uint32_t base) {
  for (uint32_t h = 0; h < t->height; h++) {
    uint32_t src = t->stack[h].src;
    if (src == NONE || (h < base && !block_writes(t, src))) continue;
    emit_mov(t, home(t, h), src, t->stack[h].w);
    t->stack[h].src = NONE;
  }
}

/* Materializes every lazy reference to the local in slot x; true if any
** was. */
static inline bool mat_local(tr *t, uint32_t x) {
  bool any = false;
  for (uint32_t h = 0; h < t->height; h++) {
    if (t->stack[h].src != x) continue;
    emit_mov(t, home(t, h), x, t->stack[h].w);
    t->stack[h].src = NONE;
    any = true;
  }
  return any;
}

static inline void record_pc(tr *t, uint32_t code_index, uint32_t offset) {
  if (t->npc && t->pcmap[2 * (t->npc - 1)] == code_index) {
    t->pcmap[2 * (t->npc - 1) + 1] = offset;
    return;
  }
  if (t->npc && t->pcmap[2 * (t->npc - 1) + 1] == offset) return; /* same instruction */
  if (!grow(&t->pcmap, &t->cappc, 2 * ((uint64_t)t->npc + 1), sizeof *t->pcmap)) {
    t->oom = true;
    return;
  }
  t->pcmap[2 * t->npc] = code_index;
  t->pcmap[2 * t->npc + 1] = offset;
  t->npc++;
}

static inline bool is_const_slot(const tr *t, uint32_t s) {
  return s != NONE && s >= t->nlocals && s < t->hbase;
}


/* A fused instruction now starting at `pos` traps as the instruction being
** translated: drops the map entries of the ops it replaced. */
static inline void repoint_pc(tr *t, uint32_t pos) {
  while (t->npc && t->pcmap[2 * (t->npc - 1)] >= pos) t->npc--;
  record_pc(t, pos, t->cur_off);
}


/* ---- peephole.c ------------------------------------------------------------ */

uint32_t tr_emit_cond_branch(tr *t, uint32_t cond, bool negate, uint32_t mat_from);
bool tr_fold_const(tr *t, uint32_t op);
bool tr_fuse_load(tr *t, uint32_t op);
bool tr_fuse_pair(tr *t, uint32_t op);
bool tr_fuse_load_convert(tr *t, uint32_t op);
bool tr_fuse_cmp_select(tr *t);

#endif /* WT_INTERP_TR_H */
