/*
** postproc.h — YOLOv8 output decoding and class-aware non-maximum
** suppression. tools/detect_reference.py implements the same rules in
** Python; tests require identical boxes, so any change here must be made
** there too.
*/
#ifndef DETECT_POSTPROC_H
#define DETECT_POSTPROC_H

#include <stddef.h>
#include <stdint.h>

#include "letterbox.h"

/* One box. Coordinates are corners (x1,y1) top-left, (x2,y2) bottom-right. */
typedef struct pp_box {
  float x1, y1, x2, y2;
  float score;
  int cls;
  uint32_t anchor; /* column of the raw output it came from */
} pp_box;

typedef struct pp_params {
  float conf;      /* keep anchors whose best class score is > conf */
  float iou;       /* suppress a box whose IoU with a kept one is > iou */
  size_t max_det;  /* stop after this many kept boxes */
} pp_params;

/*
** Candidates from a raw [4 + classes, anchors] f32 output (row-major:
** cx, cy, w, h, then one score row per class). Per anchor the best class
** wins (ties: lower class; a NaN loses to any later score, so an anchor
** is NaN only when all its scores are); anchors scoring > conf become
** boxes in model-input pixels: x1 = cx − w·0.5, x2 = cx + w·0.5 (same for y).
** Writes at most `anchors` boxes to out; returns their count.
** `best` is scratch space for `anchors` floats, `cls` for `anchors` ints.
*/
size_t pp_candidates(const float *raw, size_t classes, size_t anchors,
                     float conf, float *best, int *cls, pp_box *out);

/*
** Sort boxes by descending score (ties: lower anchor first), then keep a
** box unless it overlaps an already kept box of the same class with
** IoU > iou; at most max_det are kept, in order, at the front of `boxes`.
** Returns the number kept.
*/
size_t pp_nms(pp_box *boxes, size_t n, const pp_params *p);

/* IoU of two boxes in float arithmetic, 0 when the union is empty. */
float pp_iou(const pp_box *a, const pp_box *b);

/*
** Map boxes from letterboxed input pixels back to the original image:
** v' = (v − pad) / scale, clamped to [0, width] / [0, height].
*/
void pp_unletterbox(pp_box *boxes, size_t n, const lb_geom *g);

#endif /* DETECT_POSTPROC_H */
