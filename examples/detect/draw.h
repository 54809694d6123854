/*
** draw.h — annotate an RGB image with detection boxes and encode it as PNG.
*/
#ifndef DETECT_DRAW_H
#define DETECT_DRAW_H

#include <stddef.h>
#include <stdint.h>

#include "postproc.h"

/* Colour of class `cls` in the annotation (RGB), from a fixed palette. */
void draw_class_colour(int cls, uint8_t rgb[3]);

/*
** Draw each box (already in image coordinates) onto packed RGB8 pixels as
** a rectangle outline max(2, min(w,h)/160) px thick in its class colour,
** with a filled tab holding "name score" in stb_easy_font. Coordinates are
** clamped into the image first, so any float (NaN, ±inf) is safe.
*/
void draw_boxes(uint8_t *rgb, int w, int h, const pp_box *boxes, size_t n);

/* Encode packed RGB8 as PNG into a malloc'ed buffer. Returns 0 or -1. */
int draw_encode_png(const uint8_t *rgb, int w, int h, uint8_t **png,
                    size_t *len);

#endif /* DETECT_DRAW_H */
