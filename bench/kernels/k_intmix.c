/*
 * k_intmix.c — integer kernel in the style of CoreMark (prefix im_).
 *
 * Four workloads that stress what integer-heavy guest code does: pointer
 * chasing through a linked list (find, reverse, merge sort), small int16
 * matrix arithmetic, a character-classifying state machine with a dense
 * switch, and a bitwise CRC-16 that folds every result together. Like
 * CoreMark, each iteration derives its inputs from the previous CRC, so the
 * compiler cannot hoist work out of the loop and all builds must agree on
 * every intermediate value.
 */
#include "bk_common.h"

#define IM_NODES 400
#define IM_MAT 24
#define IM_TEXT 2048
#define IM_ITERS_PER_SCALE 420

typedef struct im_node {
  struct im_node *next;
  int16_t data;
  int16_t idx;
} im_node;

typedef struct {
  im_node pool[IM_NODES];
  int16_t ma[IM_MAT * IM_MAT], mb[IM_MAT * IM_MAT];
  int32_t mc[IM_MAT * IM_MAT];
  char text[IM_TEXT];
} im_state;

/* Bitwise CRC-16/CCITT step over one byte, deliberately table-free. */
static uint16_t im_crc8(uint8_t b, uint16_t crc) {
  crc ^= (uint16_t)(b << 8);
  for (int i = 0; i < 8; i++)
    crc = (uint16_t)((crc & 0x8000u) ? ((unsigned)crc << 1) ^ 0x1021u : (unsigned)crc << 1);
  return crc;
}

static uint16_t im_crc16(uint16_t v, uint16_t crc) {
  return im_crc8((uint8_t)(v >> 8), im_crc8((uint8_t)v, crc));
}

static uint16_t im_crc32v(uint32_t v, uint16_t crc) {
  return im_crc16((uint16_t)(v >> 16), im_crc16((uint16_t)v, crc));
}

/* ---- linked list ------------------------------------------------------ */

/* Links the pool in index order with data derived from seed. */
static im_node *im_list_build(im_state *s, uint16_t seed) {
  for (int i = 0; i < IM_NODES; i++) {
    s->pool[i].idx = (int16_t)i;
    s->pool[i].data = (int16_t)(((i * 0x1f3d) ^ seed) & 0x3fff);
    s->pool[i].next = i + 1 < IM_NODES ? &s->pool[i + 1] : NULL;
  }
  return &s->pool[0];
}

static im_node *im_list_reverse(im_node *l) {
  im_node *prev = NULL;
  while (l) {
    im_node *n = l->next;
    l->next = prev;
    prev = l;
    l = n;
  }
  return prev;
}

/* Position of the first node whose data equals v (low bits), or -1. */
static int im_list_find(const im_node *l, int16_t v) {
  for (int pos = 0; l; l = l->next, pos++)
    if ((l->data & 0xff) == (v & 0xff)) return pos;
  return -1;
}

static int im_cmp(const im_node *a, const im_node *b, int by_data) {
  return by_data ? (a->data != b->data ? a->data - b->data : a->idx - b->idx) : a->idx - b->idx;
}

/* Bottom-up merge sort of a singly linked list (no recursion, no allocation). */
static im_node *im_list_sort(im_node *list, int by_data) {
  for (int k = 1;; k *= 2) {
    im_node *p = list, *tail = NULL;
    int merges = 0;
    list = NULL;
    while (p) {
      merges++;
      im_node *q = p;
      int psize = 0, qsize = k;
      for (; psize < k && q; psize++) q = q->next;
      while (psize > 0 || (qsize > 0 && q)) {
        im_node *e;
        if (psize == 0) { e = q; q = q->next; qsize--; }
        else if (qsize == 0 || !q || im_cmp(p, q, by_data) <= 0) { e = p; p = p->next; psize--; }
        else { e = q; q = q->next; qsize--; }
        if (tail) tail->next = e; else list = e;
        tail = e;
      }
      p = q;
    }
    tail->next = NULL;
    if (merges <= 1) return list;
  }
}

static uint16_t im_bench_list(im_state *s, uint16_t seed) {
  im_node *l = im_list_build(s, seed);
  uint16_t crc = seed;
  for (int i = 0; i < 12; i++) {
    int pos = im_list_find(l, (int16_t)(seed + i * 37));
    crc = im_crc16((uint16_t)pos, crc);
    l = im_list_reverse(l);
  }
  l = im_list_sort(l, 1);
  for (const im_node *n = l; n; n = n->next) crc = im_crc16((uint16_t)n->data, crc);
  l = im_list_sort(l, 0);
  for (int i = 0; l && i < 64; l = l->next, i++) crc = im_crc16((uint16_t)l->data, crc);
  return crc;
}

/* ---- matrix ----------------------------------------------------------- */

static void im_mat_init(im_state *s, uint16_t seed) {
  uint32_t v = seed | 1u;
  for (int i = 0; i < IM_MAT * IM_MAT; i++) {
    v = v * 1103515245u + 12345u;
    s->ma[i] = (int16_t)((v >> 16) & 0xff) - 128;
    s->mb[i] = (int16_t)((v >> 8) & 0x7f) - 64;
  }
}

/* Sums matrix elements, with a data-dependent term like CoreMark's. */
static uint16_t im_mat_sum(const int32_t *m, int32_t clip) {
  int32_t acc = 0, prev = 0;
  uint16_t ret = 0;
  for (int i = 0; i < IM_MAT * IM_MAT; i++) {
    acc += m[i];
    if (acc > clip) { ret = (uint16_t)(ret + 10); acc = 0; }
    else ret = (uint16_t)(ret + (m[i] > prev ? 1 : 0));
    prev = m[i];
  }
  return ret;
}

static uint16_t im_bench_matrix(im_state *s, uint16_t seed) {
  int n = IM_MAT;
  im_mat_init(s, seed);
  uint16_t crc = 0;
  for (int i = 0; i < n * n; i++) s->ma[i] = (int16_t)(s->ma[i] + (int16_t)(seed & 7));
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      int32_t acc = 0;
      for (int k = 0; k < n; k++) acc += (int32_t)s->ma[i * n + k] * s->mb[k * n + j];
      s->mc[i * n + j] = acc;
    }
  crc = im_crc16(im_mat_sum(s->mc, 60000), crc);
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      int32_t acc = 0;
      for (int k = 0; k < n; k++) {
        int32_t t = (int32_t)s->ma[i * n + k] * s->mb[k * n + j];
        acc += ((t >> 2) & 0xf) * ((t >> 5) & 0x7f);
      }
      s->mc[i * n + j] = acc;
    }
  crc = im_crc16(im_mat_sum(s->mc, 30000), crc);
  return crc;
}

/* ---- state machine ---------------------------------------------------- */

enum { IM_START, IM_INT, IM_S1, IM_FLOAT, IM_EXP, IM_S2, IM_SCI, IM_HEX0, IM_HEX, IM_BAD, IM_NSTATES };

/* Fills the text with comma-separated tokens: ints, floats, sci, hex, junk. */
static void im_text_init(im_state *s, uint16_t seed) {
  static const char *const toks[] = {"5012", "1234", "-874", "+122", "35.54400", ".1234500",
                                     "-110.700", "+0.64400", "5.500e+3", "-.123e-2", "-87e+832",
                                     "+0.6e-12", "T0.3e-1F", "-T.T++Tq", "1T3.4e4z", "34.0e-T^",
                                     "0x1f3a", "0xZZ", "077", "0x"};
  int n = (int)(sizeof toks / sizeof toks[0]);
  uint32_t v = seed;
  int pos = 0;
  while (1) {
    v = v * 1664525u + 1013904223u;
    const char *t = toks[(v >> 16) % (uint32_t)n];
    int len = (int)strlen(t);
    if (pos + len + 2 >= IM_TEXT) break;
    memcpy(s->text + pos, t, (size_t)len);
    pos += len;
    s->text[pos++] = ',';
  }
  s->text[pos] = '\0';
}

static int im_is_digit(char c) { return c >= '0' && c <= '9'; }

/* One transition of the number recogniser. */
static int im_step(int st, char c) {
  switch (st) {
  case IM_START:
    if (c == '0') return IM_HEX0;
    if (im_is_digit(c)) return IM_INT;
    if (c == '+' || c == '-') return IM_S1;
    if (c == '.') return IM_FLOAT;
    return IM_BAD;
  case IM_S1: return im_is_digit(c) ? IM_INT : c == '.' ? IM_FLOAT : IM_BAD;
  case IM_INT: return im_is_digit(c) ? IM_INT : c == '.' ? IM_FLOAT : (c == 'e' || c == 'E') ? IM_EXP : IM_BAD;
  case IM_FLOAT: return im_is_digit(c) ? IM_FLOAT : (c == 'e' || c == 'E') ? IM_EXP : IM_BAD;
  case IM_EXP: return (c == '+' || c == '-') ? IM_S2 : im_is_digit(c) ? IM_SCI : IM_BAD;
  case IM_S2: return im_is_digit(c) ? IM_SCI : IM_BAD;
  case IM_SCI: return im_is_digit(c) ? IM_SCI : IM_BAD;
  case IM_HEX0: return (c == 'x' || c == 'X') ? IM_HEX : im_is_digit(c) ? IM_INT : c == '.' ? IM_FLOAT : IM_BAD;
  case IM_HEX:
    return (im_is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) ? IM_HEX : IM_BAD;
  default: return IM_BAD;
  }
}

static uint16_t im_bench_fsm(im_state *s, uint16_t seed) {
  uint32_t final[IM_NSTATES] = {0}, trans[IM_NSTATES] = {0};
  im_text_init(s, seed);
  /* Corrupt a few characters per run, as CoreMark does, so runs differ. */
  for (int i = seed % 13; i < IM_TEXT - 1 && s->text[i]; i += 97) s->text[i] ^= (char)(seed & 3);
  const char *p = s->text;
  while (*p) {
    int st = IM_START;
    for (; *p && *p != ','; p++) {
      int nst = im_step(st, *p);
      if (nst != st) trans[nst]++;
      st = nst;
    }
    final[st]++;
    if (*p) p++;
  }
  uint16_t crc = seed;
  for (int i = 0; i < IM_NSTATES; i++) crc = im_crc32v(final[i] ^ (trans[i] << 8), crc);
  return crc;
}

int main(int argc, char **argv) {
  int scale = bk_scale(argc, argv);
  im_state *s = malloc(sizeof *s);
  if (!s) return 1;
  bk_timer t;
  bk_timer_start(&t);
  uint16_t crc = 0x1234;
  uint32_t sum = BK_HASH_INIT;
  for (int it = 0; it < scale * IM_ITERS_PER_SCALE; it++) {
    crc = im_crc16(im_bench_list(s, crc), crc);
    crc = im_crc16(im_bench_matrix(s, crc), crc);
    crc = im_crc16(im_bench_fsm(s, crc), crc);
    sum = bk_hash_u32(sum, crc);
  }
  bk_report(&t, "intmix", scale, sum);
  free(s);
  return 0;
}
