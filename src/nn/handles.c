/*
** handles.c — bounded handle tables for graphs and execution contexts.
**
** Guests hold plain u32 handles. Each encodes a slot and the slot's
** generation (see nn_internal.h), so freeing an object and reusing its slot
** never lets an old handle reach the new object: the generations differ.
*/
#include "nn/nn_internal.h"

void nn_table_init(nn_table *t, uint32_t tag) {
  t->tag = tag;
  for (uint32_t i = 0; i < NN_TABLE_CAP; i++) {
    t->slots[i].obj = NULL;
    t->slots[i].gen = 1;
  }
  t->live = 0;
}

/* First free, non-retired slot. A linear scan is fine at 1024 slots and
** runs only when a guest loads a model or makes a context. */
bool nn_table_add(nn_table *t, void *obj, uint32_t *handle) {
  for (uint32_t i = 0; i < NN_TABLE_CAP; i++) {
    nn_slot *s = &t->slots[i];
    if (s->obj || s->gen > NN_GEN_MAX) continue;
    s->obj = obj;
    t->live++;
    *handle = t->tag | s->gen << NN_INDEX_BITS | i;
    return true;
  }
  return false;
}

static nn_slot *lookup(const nn_table *t, uint32_t handle) {
  if ((handle & NN_TAG_EXEC) != t->tag) return NULL;
  const nn_slot *s = &t->slots[handle & (NN_TABLE_CAP - 1)];
  if (!s->obj || s->gen != (handle & ~NN_TAG_EXEC) >> NN_INDEX_BITS) return NULL;
  return (nn_slot *)s;
}

void *nn_table_get(const nn_table *t, uint32_t handle) {
  nn_slot *s = lookup(t, handle);
  return s ? s->obj : NULL;
}

/* Frees the slot and advances its generation; once the generation would no
** longer fit in a handle the slot stays retired (gen == NN_GEN_MAX + 1). */
void *nn_table_remove(nn_table *t, uint32_t handle) {
  nn_slot *s = lookup(t, handle);
  if (!s) return NULL;
  void *obj = s->obj;
  s->obj = NULL;
  s->gen++;
  t->live--;
  return obj;
}
