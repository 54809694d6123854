/*
** stb_impl.c — the one translation unit that instantiates Debian's stb_image,
** stb_image_resize and stb_image_write for the detect guest.
**
** Same configuration as examples/classify/stb_impl.c (see there for why):
** no TLS, no SIMD, JPEG/PNG only, no stdio. stb_image_write also goes without
** stdio: the guest encodes the PNG to memory and writes it itself, so a
** failed write is reported with its errno instead of silently ignored.
*/
#define STBI_NO_THREAD_LOCALS
#define STBI_NO_SIMD
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO
#define STBI_WRITE_NO_STDIO
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION
#define STB_IMAGE_WRITE_IMPLEMENTATION

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Weverything"
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <stb/stb_image_write.h>
#pragma clang diagnostic pop
