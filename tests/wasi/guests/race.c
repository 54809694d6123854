/*
** race.c — symlink-swap races against the sandbox. While this guest runs,
** the host (a thread of wasi_sandbox_test, or its --swap process next to
** the CLI) keeps exchanging rw/swap — a real directory holding
** target.txt ("inside") — with a symlink to ../outside, which holds
** target.txt ("SECRET!!") and victim.txt. Every operation through swap/
** must either act inside or fail with ENOTCAPABLE (or ENOENT / ENOTDIR for
** a name that only exists on the other side); reading "SECRET!!", a size
** of 8, or any success on victim.txt is an escape. rw/swapf likewise flips
** between a file and a symlink to ../outside/target.txt. The host checks
** outside/ afterwards, file times included.
**
** Grant: fd 3 = "/sandbox". Runs for about `argv[1]` ms (default 1500).
*/
#include <stdlib.h>

#include "wasi_raw.h"

static int inside, refused, other;

/* Classifies the errno of an operation that may legitimately fail. */
#define outcome(e, alt) outcome_((e), (alt), __LINE__)
static void outcome_(u32 e, u32 ok_alt, int line) {
  if (e == 0) inside++;
  else if (e == E_NOTCAPABLE || e == ok_alt) refused++;
  else { other++; printf("line %d: unexpected errno %u\n", line, e); EQ(e, 0); }
}

/* swapf flips between a file ("inside") and a symlink to
** ../outside/target.txt: the race is on the last component, and the
** writes (O_TRUNC, set_times, a hard link) would damage the outside file
** if a check and its use ever disagreed. */
static void final_component(int i) {
  static u32 fd, n;
  static char buf[16];
  static uint8_t st[64];
  u32 e = open_at(3, FOLLOW, "swapf", 0, R_READ, 0, 0, &fd);
  outcome(e, E_NOENT);
  if (e == 0) {
    memset(buf, 0, sizeof buf);
    EQ(read_buf(fd, buf, sizeof buf - 1, &n), 0);
    EQ(strcmp(buf, "inside"), 0);
    w_fd_close(fd);
  }
  e = open_at(3, FOLLOW, "swapf", O_TRUNC_, R_WRITE, 0, 0, &fd);
  outcome(e, E_NOENT);
  if (e == 0) {
    EQ(write_str(fd, "inside", &n), 0);
    w_fd_close(fd);
  }
  outcome(w_path_filestat_set_times(3, FOLLOW, S("swapf"), 0, 0, FST_MTIM_NOW), E_NOENT);
  char name[16];
  snprintf(name, sizeof name, "hl%d", i & 3);
  e = w_path_link(3, FOLLOW, S("swapf"), 3, S(name));
  outcome(e, E_EXIST);
  if (e == 0) {
    EQ(w_path_filestat_get(3, 0, S(name), P(st)), 0);
    EQ(ST_SIZE(st) == 8, 0); /* never the outside file */
    EQ(w_path_unlink_file(3, S(name)), 0);
  }
}

static void one_round(int i) {
  static u32 fd, n;
  static char buf[16];
  static uint8_t st[64];
  u32 e = open_at(3, FOLLOW, "swap/target.txt", 0, R_READ, 0, 0, &fd);
  outcome(e, E_NOENT);
  if (e == 0) {
    memset(buf, 0, sizeof buf);
    EQ(read_buf(fd, buf, sizeof buf - 1, &n), 0);
    EQ(strcmp(buf, "inside"), 0);
    w_fd_close(fd);
  }
  e = w_path_filestat_get(3, FOLLOW, S("swap/target.txt"), P(st));
  outcome(e, E_NOENT);
  if (e == 0) EQ(ST_SIZE(st), 6);
  /* creations through swap/ land inside or nowhere */
  e = open_at(3, FOLLOW, "swap/created.txt", O_CREAT_, R_WRITE, 0, 0, &fd);
  outcome(e, E_NOENT);
  if (e == 0) w_fd_close(fd);
  e = w_path_create_directory(3, S("swap/newdir"));
  outcome(e, E_EXIST);
  if (e == 0) outcome(w_path_remove_directory(3, S("swap/newdir")), E_NOENT);
  /* victim.txt exists only outside: nothing may reach it */
  EQ(w_path_unlink_file(3, S("swap/victim.txt")) == 0, 0);
  EQ(w_path_rename(3, S("swap/victim.txt"), 3, S("got_it")) == 0, 0);
  EQ(w_path_link(3, FOLLOW, S("swap/victim.txt"), 3, S("got_it")) == 0, 0);
  e = w_path_filestat_set_times(3, FOLLOW, S("swap/target.txt"), 0, 0, FST_MTIM_NOW);
  outcome(e, E_NOENT);
  char name[32];
  snprintf(name, sizeof name, "swap/sym%d", i & 7);
  e = w_path_symlink(S("target.txt"), 3, S(name));
  outcome(e, E_EXIST);
  final_component(i);
}

int main(int argc, char **argv) {
  u64 budget = (argc > 1 ? (u64)atoi(argv[1]) : 1500) * 1000000u;
  u64 t0 = now_ns(CLK_MONOTONIC);
  int rounds = 0;
  while (now_ns(CLK_MONOTONIC) - t0 < budget) one_round(rounds++);
  printf("race: %d rounds, %d inside, %d refused, %d unexpected\n", rounds, inside, refused, other);
  OK(rounds > 0);
  return finish("race");
}
