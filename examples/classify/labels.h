/*
** labels.h — class-name lists (one name per line, e.g. imagenet_classes.txt).
*/
#ifndef CLASSIFY_LABELS_H
#define CLASSIFY_LABELS_H

#include <stddef.h>
#include <stdint.h>

/* The file's text with line ends replaced by NULs, and a pointer per line. */
typedef struct labels {
  char *text;
  char **lines;
  size_t count;
} labels;

/* Load a label file. Returns 0, or -1 with errno set (ENOMEM, or the
** reason the file could not be read). An empty file yields count 0. */
int labels_load(const char *path, labels *out);

/* Name of class i, or "-" when there is no such line (or no list at all). */
const char *labels_get(const labels *l, uint32_t i);

void labels_free(labels *l);

#endif /* CLASSIFY_LABELS_H */
