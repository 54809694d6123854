/*
** image.h — decoding and ImageNet preprocessing for the classify example.
*/
#ifndef CLASSIFY_IMAGE_H
#define CLASSIFY_IMAGE_H

#include <stddef.h>
#include <stdint.h>

/* An 8-bit RGB image, rows packed (stride = 3 * width). */
typedef struct img_rgb {
  uint8_t *pixels; /* malloc'ed by stb_image; release with img_free */
  int width;
  int height;
  int channels_in_file; /* what the file held before conversion to RGB */
} img_rgb;

/* Decode a JPEG or PNG held in memory into RGB. Returns 0, or -1 with a
** static reason in *why ("unknown image type", "corrupt JPEG", …). */
int img_decode(const uint8_t *bytes, size_t len, img_rgb *out,
               const char **why);

void img_free(img_rgb *img);

/*
** Resize to side×side (bilinear, edge clamp, linear colour space) and write
** the ImageNet-normalised planar tensor: chw[c*side*side + y*side + x] =
** (v/255 - mean[c]) / std[c], c in R,G,B. chw holds 3*side*side floats.
** Returns 0, or -1 when the resampler fails (out of memory).
*/
int img_to_chw(const img_rgb *img, int side, float *chw);

#endif /* CLASSIFY_IMAGE_H */
