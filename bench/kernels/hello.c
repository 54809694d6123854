/*
 * hello.c — start-up probe: the smallest useful WASI command. The runner
 * times the whole process (native vs `wasitorch run`) to measure runtime
 * start-up: module load, validation, translation, instantiation, WASI set-up.
 */
#include <stdio.h>

int main(void) {
  puts("hello");
  return 0;
}
