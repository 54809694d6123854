/*
** detect_stb_resize.c — stb_image_resize's implementation for the native
** build of examples/detect/letterbox.c in test_detect_postproc (compiled
** with warnings off: third-party code).
*/
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#include <stb/stb_image_resize.h>
