/*
 * k_nms.c — detector post-processing kernel (prefix nm_): decode a YOLO-style
 * output tensor (anchors x [cx, cy, w, h, 80 class scores]), pick each
 * anchor's best class, drop low scores, sort the survivors by score and run
 * greedy per-class non-maximum suppression. Branchy scalar code with
 * data-dependent control flow and an arg-max over 80 floats per anchor, the
 * opposite profile of the resize kernel.
 */
#include "bk_common.h"

#define NM_ANCHORS 8400
#define NM_CLASSES 80
#define NM_STRIDE (4 + NM_CLASSES)
#define NM_MAX_KEEP 300
#define NM_FRAMES_PER_SCALE 60

typedef struct {
  float x0, y0, x1, y1, score;
  int cls;
} nm_box;

typedef struct {
  float *raw;            /* NM_ANCHORS * NM_STRIDE, anchor-major */
  nm_box *cand, *tmp;    /* candidates and merge-sort scratch */
  int keep[NM_MAX_KEEP]; /* indices into cand */
} nm_state;

/* Synthetic network output: clustered boxes, mostly low class scores. */
static void nm_fill(nm_state *s, uint32_t seed) {
  bk_rng r;
  bk_seed(&r, seed);
  for (int a = 0; a < NM_ANCHORS; a++) {
    float *p = s->raw + (size_t)a * NM_STRIDE;
    int cluster = (int)(bk_next(&r) % 40u);
    float jx = bk_unit(&r), jy = bk_unit(&r), jw = bk_unit(&r), jh = bk_unit(&r);
    p[0] = 80.0f * (float)(cluster % 8) + 24.0f * jx;
    p[1] = 80.0f * (float)(cluster / 8) + 24.0f * jy;
    p[2] = 40.0f + 2.0f * (float)cluster + 30.0f * jw;
    p[3] = 50.0f + (float)cluster + 30.0f * jh;
    for (int c = 0; c < NM_CLASSES; c++) {
      float u = bk_unit(&r);
      p[4 + c] = u * u * u * u * 0.35f;
    }
    p[4 + cluster % NM_CLASSES] += 0.4f * bk_unit(&r);
  }
}

/* Best class per anchor; keeps anchors scoring above thresh. */
static int nm_decode(nm_state *s, float thresh) {
  int n = 0;
  for (int a = 0; a < NM_ANCHORS; a++) {
    const float *p = s->raw + (size_t)a * NM_STRIDE;
    int best = 0;
    float bs = p[4];
    for (int c = 1; c < NM_CLASSES; c++)
      if (p[4 + c] > bs) { bs = p[4 + c]; best = c; }
    if (bs < thresh) continue;
    nm_box *b = &s->cand[n++];
    b->x0 = p[0] - p[2] * 0.5f;
    b->y0 = p[1] - p[3] * 0.5f;
    b->x1 = p[0] + p[2] * 0.5f;
    b->y1 = p[1] + p[3] * 0.5f;
    b->score = bs;
    b->cls = best;
  }
  return n;
}

/* Stable top-down merge sort by descending score (ties keep anchor order). */
static void nm_sort(nm_box *v, nm_box *tmp, int n) {
  if (n < 2) return;
  int h = n / 2;
  nm_sort(v, tmp, h);
  nm_sort(v + h, tmp, n - h);
  int i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = v[j].score > v[i].score ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, sizeof *v * (size_t)n);
}

static float nm_iou(const nm_box *a, const nm_box *b) {
  float ix0 = a->x0 > b->x0 ? a->x0 : b->x0, iy0 = a->y0 > b->y0 ? a->y0 : b->y0;
  float ix1 = a->x1 < b->x1 ? a->x1 : b->x1, iy1 = a->y1 < b->y1 ? a->y1 : b->y1;
  float iw = ix1 - ix0, ih = iy1 - iy0;
  if (iw <= 0.0f || ih <= 0.0f) return 0.0f;
  float inter = iw * ih;
  float ua = (a->x1 - a->x0) * (a->y1 - a->y0) + (b->x1 - b->x0) * (b->y1 - b->y0) - inter;
  return inter / ua;
}

/* Greedy NMS over score-sorted candidates; returns the number kept. */
static int nm_suppress(nm_state *s, int n, float iou_max) {
  int kept = 0;
  for (int i = 0; i < n && kept < NM_MAX_KEEP; i++) {
    int ok = 1;
    for (int k = 0; k < kept; k++) {
      const nm_box *q = &s->cand[s->keep[k]];
      if (q->cls == s->cand[i].cls && nm_iou(q, &s->cand[i]) > iou_max) { ok = 0; break; }
    }
    if (ok) s->keep[kept++] = i;
  }
  return kept;
}

int main(int argc, char **argv) {
  int scale = bk_scale(argc, argv);
  nm_state s;
  s.raw = malloc(sizeof(float) * NM_ANCHORS * NM_STRIDE);
  s.cand = malloc(sizeof(nm_box) * NM_ANCHORS);
  s.tmp = malloc(sizeof(nm_box) * NM_ANCHORS);
  if (!s.raw || !s.cand || !s.tmp) return 1;
  nm_fill(&s, 0xd37ec7u);
  bk_timer t;
  bk_timer_start(&t);
  uint32_t sum = BK_HASH_INIT;
  for (int f = 0; f < scale * NM_FRAMES_PER_SCALE; f++) {
    float thresh = 0.40f + 0.01f * (float)(f % 5);
    int n = nm_decode(&s, thresh);
    nm_sort(s.cand, s.tmp, n);
    int kept = nm_suppress(&s, n, 0.45f);
    sum = bk_hash_u32(sum, (uint32_t)n);
    for (int k = 0; k < kept; k++) {
      const nm_box *b = &s.cand[s.keep[k]];
      sum = bk_hash_u32(bk_hash_f32(bk_hash_f32(sum, b->x0), b->score), (uint32_t)b->cls);
    }
  }
  bk_report(&t, "nms", scale, sum);
  free(s.raw);
  free(s.cand);
  free(s.tmp);
  return 0;
}
