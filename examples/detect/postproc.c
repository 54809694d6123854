/*
** postproc.c — decode YOLOv8 outputs and run class-aware NMS.
**
** Everything is plain float arithmetic in a fixed order (wasm has no FMA
** contraction and evaluates float in float), which is what lets the Python
** reference reproduce the boxes exactly.
*/
#include <stdlib.h>

#include "postproc.h"

size_t pp_candidates(const float *raw, size_t classes, size_t anchors,
                     float conf, float *best, int *cls, pp_box *out)
{
  if (classes == 0)
    return 0;
  /* Row by row over the class scores: sequential memory access, which
  ** matters in the interpreter more than in native code. */
  const float *row = raw + 4 * anchors;
  for (size_t a = 0; a < anchors; a++) {
    best[a] = row[a];
    cls[a] = 0;
  }
  for (size_t c = 1; c < classes; c++) {
    row = raw + (4 + c) * anchors;
    for (size_t a = 0; a < anchors; a++) {
      /* best != best: a NaN so far loses to anything, NaN or not. */
      if (row[a] > best[a] || best[a] != best[a]) {
        best[a] = row[a];
        cls[a] = (int)c;
      }
    }
  }
  size_t n = 0;
  for (size_t a = 0; a < anchors; a++) {
    if (!(best[a] > conf))
      continue; /* also drops NaN */
    float cx = raw[a], cy = raw[anchors + a];
    float w = raw[2 * anchors + a], h = raw[3 * anchors + a];
    pp_box *b = &out[n++];
    b->x1 = cx - w * 0.5f;
    b->y1 = cy - h * 0.5f;
    b->x2 = cx + w * 0.5f;
    b->y2 = cy + h * 0.5f;
    b->score = best[a];
    b->cls = cls[a];
    b->anchor = (uint32_t)a;
  }
  return n;
}

/* Descending score, then ascending anchor: a total order, so the result
** does not depend on qsort's (unstable) algorithm. */
static int by_score(const void *pa, const void *pb)
{
  const pp_box *a = pa, *b = pb;
  if (a->score != b->score)
    return a->score > b->score ? -1 : 1;
  return (a->anchor > b->anchor) - (a->anchor < b->anchor);
}

static float max_f(float a, float b) { return a > b ? a : b; }
static float min_f(float a, float b) { return a < b ? a : b; }

float pp_iou(const pp_box *a, const pp_box *b)
{
  float iw = min_f(a->x2, b->x2) - max_f(a->x1, b->x1);
  float ih = min_f(a->y2, b->y2) - max_f(a->y1, b->y1);
  if (!(iw > 0.0f) || !(ih > 0.0f))
    return 0.0f;
  float inter = iw * ih;
  float area_a = (a->x2 - a->x1) * (a->y2 - a->y1);
  float area_b = (b->x2 - b->x1) * (b->y2 - b->y1);
  float uni = area_a + area_b - inter;
  return uni > 0.0f ? inter / uni : 0.0f;
}

size_t pp_nms(pp_box *boxes, size_t n, const pp_params *p)
{
  qsort(boxes, n, sizeof *boxes, by_score);
  size_t kept = 0;
  for (size_t i = 0; i < n && kept < p->max_det; i++) {
    int keep = 1;
    for (size_t k = 0; k < kept && keep; k++)
      if (boxes[k].cls == boxes[i].cls && pp_iou(&boxes[k], &boxes[i]) > p->iou)
        keep = 0;
    if (keep)
      boxes[kept++] = boxes[i]; /* kept <= i: never overwrites unvisited boxes */
  }
  return kept;
}

static float clampf(float v, float hi)
{
  return v < 0.0f ? 0.0f : v > hi ? hi : v;
}

void pp_unletterbox(pp_box *boxes, size_t n, const lb_geom *g)
{
  const float left = (float)g->left, top = (float)g->top;
  const float w = (float)g->src_w, h = (float)g->src_h;
  for (size_t i = 0; i < n; i++) {
    pp_box *b = &boxes[i];
    b->x1 = clampf((b->x1 - left) / g->scale, w);
    b->y1 = clampf((b->y1 - top) / g->scale, h);
    b->x2 = clampf((b->x2 - left) / g->scale, w);
    b->y2 = clampf((b->y2 - top) / g->scale, h);
  }
}
