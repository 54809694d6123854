/*
** embedder.c — the guest half of wasi_sandbox_test's embedding scenario.
** It checks exactly what the embedder configured in code: argv, environ,
** stdin (a pipe with "input line\n"), stdout (a pipe the host reads),
** stderr (closed: -1), fd 3 = "/data" (rw) and fd 4 = the read-only
** models directory under its host path (guest_path NULL), which the
** embedder also passes as $MODELS. It reports on stdout and exits with
** proc_exit(7) when every check passed (the host checks the code).
*/
#include <stdlib.h>

#include "wasi_raw.h"

IMPORT(proc_exit) _Noreturn void w_proc_exit(u32);

static char line[128];

static void emit(const char *s) {
  static u32 n;
  EQ(write_str(1, s, &n), 0);
}

int main(int argc, char **argv) {
  static u32 fd, n;
  static uint8_t fs[24], pre[8];
  static char name[256];
  EQ(argc, 3);
  if (argc == 3) {
    EQ(strcmp(argv[0], "embedder"), 0);
    EQ(strcmp(argv[1], "--flag"), 0);
    EQ(strcmp(argv[2], "\xc3\xbcnic\xc3\xb6" "de"), 0);
  }
  static u32 envc, envb;
  EQ(w_environ_sizes_get(P(&envc), P(&envb)), 0);
  EQ(envc, 4);
  const char *models = getenv("MODELS");
  EQ(models != NULL, 1);
  EQ(strcmp(getenv("X") ? getenv("X") : "", "a=b"), 0);
  EQ(getenv("EMPTY") != NULL && getenv("EMPTY")[0] == 0, 1);
  EQ(getenv("HOME"), 0); /* nothing inherited */
  /* stdio as configured */
  EQ(w_fd_fdstat_get(2, P(fs)), E_BADF);
  EQ(write_str(2, "x", &n), E_BADF);
  EQ(w_fd_fdstat_get(0, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_UNKNOWN); /* a pipe */
  memset(line, 0, sizeof line);
  EQ(read_buf(0, line, sizeof line - 1, &n), 0);
  EQ(strcmp(line, "input line\n"), 0);
  for (char *p = line; *p; p++) if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
  emit("ECHO:");
  emit(line);
  /* grants: names and rights */
  EQ(w_fd_prestat_get(3, P(pre)), 0);
  EQ(rd32(pre + 4), 5);
  EQ(w_fd_prestat_dir_name(3, P(name), 5), 0);
  EQ(memcmp(name, "/data", 5), 0);
  EQ(w_fd_prestat_get(4, P(pre)), 0);
  if (models) {
    EQ(rd32(pre + 4), strlen(models));
    memset(name, 0, sizeof name);
    EQ(w_fd_prestat_dir_name(4, P(name), sizeof name - 1), 0);
    EQ(strcmp(name, models), 0);
  }
  EQ(w_fd_prestat_get(5, P(pre)), E_BADF);
  EQ(make_file(3, "out.txt", "written by the guest"), 0);
  EQ(size_of(4, "weights.bin"), 4);
  EQ(make_file(4, "weights.bin", "evil"), E_ROFS);
  EQ(w_path_unlink_file(4, S("weights.bin")), E_ROFS);
  EQ(open_at(4, 0, "../data/out.txt", 0, R_READ, 0, 0, &fd), E_NOTCAPABLE);
  EQ(open_at(3, 0, "../outside/secret.txt", 0, R_READ, 0, 0, &fd), E_NOTCAPABLE);
  /* status flags set on our stdio are the embedder's again after the run */
  EQ(w_fd_fdstat_set_flags(0, FD_NONBLOCK), 0);
  EQ(w_fd_fdstat_set_flags(1, FD_NONBLOCK | FD_APPEND), 0);
  EQ(w_fd_fdstat_get(1, P(fs)), 0);
  EQ(FS_FLAGS(fs), FD_NONBLOCK | FD_APPEND);
  /* closing our stdio must not close the embedder's descriptors */
  snprintf(line, sizeof line, "%d checks, %d failed\n", g_checks, g_failures);
  emit(line);
  EQ(w_fd_close(0), 0);
  EQ(w_fd_close(1), 0);
  w_proc_exit(g_failures ? 1 : 7);
}
