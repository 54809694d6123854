/*
** stb_impl.c — the one translation unit that instantiates Debian's stb_image
** and stb_image_resize for the guest.
**
** Kept apart so the third-party code can be compiled with its warnings
** silenced while our own files keep -Wall -Wextra -Werror.
** Configuration for wasm32-wasi:
**   STBI_NO_THREAD_LOCALS  wasi-libc is built without threads here, and the
**                          failure-reason string needs no TLS in one thread.
**   STBI_NO_SIMD           no SSE/NEON on wasm32; scalar code is portable.
**   STBI_ONLY_JPEG/PNG     the formats the example promises; smaller module.
*/
#define STBI_NO_THREAD_LOCALS
#define STBI_NO_SIMD
#define STBI_ONLY_JPEG
#define STBI_ONLY_PNG
#define STBI_NO_STDIO /* the guest reads files itself, to tell I/O errors apart */
#define STB_IMAGE_IMPLEMENTATION
#define STB_IMAGE_RESIZE_IMPLEMENTATION

#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Weverything"
#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#pragma clang diagnostic pop
