/*
** memory.c — linear memories: reservation, growth, bounds-checked access.
**
** Each memory reserves address space for the largest size it may reach
** (its declared maximum, capped by wt_config.max_memory_pages) with one
** PROT_NONE mapping, and makes pages accessible with mprotect as it grows.
** So the base pointer never moves: host code may keep it across calls, and
** bytes beyond the accessible size fault instead of aliasing other data.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "wasm/runtime.h"

/* Creates a memory of `min_pages` accessible pages. max_pages UINT32_MAX
** means no declared maximum. NULL when min exceeds the cap or the
** reservation fails. */
wt_memory *rt_memory_new(wt_store *store, uint32_t min_pages, uint32_t max_pages) {
  uint32_t cap = store->engine->config.max_memory_pages;
  if (max_pages != UINT32_MAX && max_pages < cap) cap = max_pages;
  if (min_pages > cap) return NULL;
  wt_memory *m = calloc(1, sizeof *m);
  if (!m) return NULL;
  /* Reserve at least one page so even a zero-sized memory has a real,
  ** unique base address. */
  size_t reserve = (size_t)(cap ? cap : 1) * RT_PAGE_SIZE;
#if UINTPTR_MAX > 0xffffffffu
  /* Guard regions (WT_CONFIG_GUARD_REGIONS): base + any u32 address + any
  ** u32 offset + a 16-byte access stays inside the reservation, so AOT code
  ** compiled for guard pages needs no bounds checks — an access beyond the
  ** accessible size faults on PROT_NONE pages and becomes a trap. */
  if (store->engine->config.flags & WT_CONFIG_GUARD_REGIONS)
    reserve = ((size_t)8 << 30) + RT_PAGE_SIZE;
#endif
  void *p = mmap(NULL, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) {
    free(m);
    return NULL;
  }
  size_t bytes = (size_t)min_pages * RT_PAGE_SIZE;
  if (bytes && mprotect(p, bytes, PROT_READ | PROT_WRITE) != 0) {
    munmap(p, reserve);
    free(m);
    return NULL;
  }
  m->base = p;
  m->reserved = reserve;
  m->pages = min_pages;
  m->size = bytes;
  m->max_pages = max_pages;
  m->cap_pages = cap;
  rt_store_adopt(store, &m->obj, RT_MEMORY);
  return m;
}

void rt_memory_release(wt_memory *m) {
  if (m->base) munmap(m->base, m->reserved);
}

int64_t rt_memory_grow(wt_memory *m, uint32_t delta) {
  uint32_t old = m->pages;
  if (delta == 0) return old;
  if ((uint64_t)old + delta > m->cap_pages) return -1;
  size_t add = (size_t)delta * RT_PAGE_SIZE;
  if (mprotect(m->base + m->size, add, PROT_READ | PROT_WRITE) != 0) return -1;
  m->pages = old + delta;
  m->size += add;
  return old;
}

wt_memory *wt_memory_new(wt_store *store, uint32_t min_pages, uint32_t max_pages) {
  if (!store || min_pages > MOD_MAX_PAGES) return NULL;
  if (max_pages != UINT32_MAX && (max_pages < min_pages || max_pages > MOD_MAX_PAGES))
    return NULL;
  return rt_memory_new(store, min_pages, max_pages);
}

uint8_t *wt_memory_data(wt_memory *memory) { return memory ? memory->base : NULL; }

uint64_t wt_memory_size(const wt_memory *memory) { return memory ? memory->size : 0; }

void *wt_memory_ptr(wt_memory *memory, uint32_t ptr, uint32_t len) {
  if (!memory) return NULL;
  /* 64-bit arithmetic: ptr + len cannot wrap. */
  if ((uint64_t)ptr + len > memory->size) return NULL;
  return memory->base + ptr;
}

wt_trap_kind rt_memory_init(wt_instance *inst, uint32_t seg, uint32_t dst, uint32_t src,
                            uint32_t n) {
  wt_memory *m = inst->mem0;
  uint64_t seglen = inst->data_len[seg];
  if ((uint64_t)src + n > seglen || !m || (uint64_t)dst + n > m->size)
    return WT_TRAP_MEMORY_OOB;
  if (n) memcpy(m->base + dst, inst->module->datas[seg].bytes + src, n);
  return WT_TRAP_NONE;
}
