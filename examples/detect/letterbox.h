/*
** letterbox.h — fit an RGB image into the square model input without
** distorting it: scale by one factor, centre, pad with grey 114.
*/
#ifndef DETECT_LETTERBOX_H
#define DETECT_LETTERBOX_H

#include <stdint.h>

/* Where the image landed in the square: input = image × scale + (left, top). */
typedef struct lb_geom {
  int side;       /* model input side (640) */
  int src_w, src_h; /* original image size */
  int new_w, new_h; /* scaled size inside the square */
  int left, top;  /* padding before the image */
  float scale;    /* new / original, the same on both axes */
} lb_geom;

/*
** Geometry for a src_w×src_h image in a side×side square:
** g = min(side/w, side/h) (double), new = floor(w·g + 0.5) clamped to
** 1..side, left = (side − new_w) / 2 (the odd pixel goes right/bottom, as in
** Ultralytics' LetterBox), scale = (float)g. Returns -1 for non-positive sizes.
*/
int lb_compute(int src_w, int src_h, int side, lb_geom *g);

/*
** Letterbox packed RGB8 pixels into chw (3·side·side floats, planar RGB,
** value/255). Scaling uses stb_image_resize (triangle filter, edge clamp,
** linear colour space); an image that needs no scaling is copied exactly.
** Returns 0, or -1 when out of memory.
*/
int lb_to_chw(const uint8_t *rgb, const lb_geom *g, float *chw);

#endif /* DETECT_LETTERBOX_H */
