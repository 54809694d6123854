/*
** image.c — decode (stb_image) and preprocess (stb_image_resize) images into
** the tensor layout torchvision's ImageNet models expect.
*/
#include <stdlib.h>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include "image.h"

/* torchvision's ImageNet statistics, per RGB channel. */
static const float k_mean[3] = {0.485f, 0.456f, 0.406f};
static const float k_std[3] = {0.229f, 0.224f, 0.225f};

int img_decode(const uint8_t *bytes, size_t len, img_rgb *out,
               const char **why)
{
  out->pixels = NULL;
  if (len > (size_t)INT32_MAX) {
    *why = "image file too large";
    return -1;
  }
  int w, h, n;
  /* req_comp 3: grey, grey+alpha and RGBA all become RGB (alpha dropped). */
  out->pixels = stbi_load_from_memory(bytes, (int)len, &w, &h, &n, 3);
  if (!out->pixels) {
    *why = stbi_failure_reason();
    return -1;
  }
  out->width = w;
  out->height = h;
  out->channels_in_file = n;
  return 0;
}

void img_free(img_rgb *img)
{
  stbi_image_free(img->pixels);
  img->pixels = NULL;
}

/*
** Resize first in 8 bits (what torchvision does on PIL images), then
** normalise. TRIANGLE is stb's bilinear (tent) filter; LINEAR colour space
** keeps values as stored, as PIL does, rather than converting from sRGB.
*/
int img_to_chw(const img_rgb *img, int side, float *chw)
{
  size_t plane = (size_t)side * (size_t)side;
  uint8_t *rgb = malloc(plane * 3);
  if (!rgb)
    return -1;
  int ok = stbir_resize_uint8_generic(
      img->pixels, img->width, img->height, 0, rgb, side, side, 0, 3,
      STBIR_ALPHA_CHANNEL_NONE, 0, STBIR_EDGE_CLAMP, STBIR_FILTER_TRIANGLE,
      STBIR_COLORSPACE_LINEAR, NULL);
  if (!ok) {
    free(rgb);
    return -1;
  }
  for (int c = 0; c < 3; c++) {
    float *dst = chw + (size_t)c * plane;
    for (size_t i = 0; i < plane; i++)
      dst[i] = ((float)rgb[i * 3 + (size_t)c] / 255.0f - k_mean[c]) / k_std[c];
  }
  free(rgb);
  return 0;
}
