/* fake_memory.h — see fake_memory.c. */
#ifndef WT_TEST_FAKE_MEMORY_H
#define WT_TEST_FAKE_MEMORY_H

#include "wasitorch.h"

wt_memory *fake_memory_new(uint32_t size);
void fake_memory_free(wt_memory *m);
uint8_t *fake_memory_data(wt_memory *m);

#endif
