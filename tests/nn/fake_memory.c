/*
** fake_memory.c — a guest linear memory for testing host functions without
** the engine: the one engine entry the host module uses (wt_memory_ptr),
** over a malloc'ed block of exactly the requested size, so ASan reports any
** host access past its end.
*/
#include <stdlib.h>

#include "fake_memory.h"

struct wt_memory {
  uint8_t *data;
  uint64_t size;
};

wt_memory *fake_memory_new(uint32_t size) {
  wt_memory *m = malloc(sizeof *m);
  if (!m) return NULL;
  m->data = calloc(1, size);
  m->size = size;
  if (!m->data) {
    free(m);
    return NULL;
  }
  return m;
}

void fake_memory_free(wt_memory *m) {
  if (!m) return;
  free(m->data);
  free(m);
}

uint8_t *fake_memory_data(wt_memory *m) { return m->data; }

/* Same contract as the engine's: the whole range or NULL. */
void *wt_memory_ptr(wt_memory *m, uint32_t ptr, uint32_t len) {
  if ((uint64_t)ptr + len > m->size) return NULL;
  return m->data + ptr;
}
