/*
** conform_proc.c — preview1 conformance, process level: args and environ
** (exact layout), all four clocks, random_get, sched_yield, proc_raise,
** the sock_* calls, poll_oneoff (clock and fd subscriptions, per-event
** errors) and fd_fdstat_get on the standard streams.
**
** The driver runs:  printf 'ping\n' | RUNNER --env A=1 --env EMPTY= --env 'SP=x y'
**                   conform_proc.wasm a 'b c' ''   > FILE 2>&1
** so stdin is a pipe holding 5 bytes and stdout/stderr are a regular file.
*/
#include "wasi_raw.h"

static void check_args(void) {
  static u32 argc, bytes, vec[8];
  static char buf[512];
  EQ(w_args_sizes_get(P(&argc), P(&bytes)), 0);
  EQ(argc, 4);
  if (argc != 4 || bytes > sizeof buf) return;
  memset(buf, 0x55, sizeof buf);
  EQ(w_args_get(P(vec), P(buf)), 0);
  const char *a0 = (const char *)(uintptr_t)vec[0];
  size_t l0 = strlen(a0);
  OK(l0 >= 17 && strcmp(a0 + l0 - 17, "conform_proc.wasm") == 0);
  EQ(vec[0], P(buf)); /* packed from the start of the buffer, in order */
  EQ(vec[1], vec[0] + l0 + 1);
  EQ(strcmp((const char *)(uintptr_t)vec[1], "a"), 0);
  EQ(vec[2], vec[1] + 2);
  EQ(strcmp((const char *)(uintptr_t)vec[2], "b c"), 0);
  EQ(vec[3], vec[2] + 4);
  EQ(*(const char *)(uintptr_t)vec[3], 0); /* the empty argument */
  EQ(bytes, l0 + 1 + 2 + 4 + 1);
  EQ((uint8_t)buf[bytes], 0x55); /* nothing written past the reported size */
  EQ(w_args_get(mem_end() - 4, P(buf)), E_FAULT);
  EQ(w_args_sizes_get(mem_end() - 2, P(&bytes)), E_FAULT);
}

static void check_environ(void) {
  static u32 n, bytes, vec[8];
  static char buf[256];
  EQ(w_environ_sizes_get(P(&n), P(&bytes)), 0);
  EQ(n, 3); /* only what was granted: the host environment is not inherited */
  EQ(bytes, sizeof "A=1" + sizeof "EMPTY=" + sizeof "SP=x y");
  if (n != 3) return;
  EQ(w_environ_get(P(vec), P(buf)), 0);
  EQ(strcmp((const char *)(uintptr_t)vec[0], "A=1"), 0);
  EQ(strcmp((const char *)(uintptr_t)vec[1], "EMPTY="), 0);
  EQ(strcmp((const char *)(uintptr_t)vec[2], "SP=x y"), 0);
  EQ(w_environ_get(P(vec), mem_end() - 3), E_FAULT);
  EQ(w_environ_sizes_get(P(&n), mem_end()), E_FAULT);
}

/* Burns CPU so the CPU-time clocks must move. */
static volatile u32 sink;
static void spin(void) {
  u32 x = 1;
  for (u32 i = 0; i < 3000000; i++) x = x * 1664525u + 1013904223u;
  sink = x;
}

static void check_clocks(void) {
  static u64 res, t1, t2;
  for (u32 c = CLK_REALTIME; c <= CLK_THREAD; c++) {
    res = 0;
    EQ(w_clock_res_get(c, P(&res)), 0);
    OK(res > 0 && res <= 1000000000u);
    EQ(w_clock_time_get(c, 0, P(&t1)), 0);
  }
  EQ(w_clock_res_get(4, P(&res)), E_INVAL);
  EQ(w_clock_res_get(0xffffffffu, P(&res)), E_INVAL);
  EQ(w_clock_time_get(4, 0, P(&t1)), E_INVAL);
  EQ(w_clock_res_get(CLK_MONOTONIC, mem_end() - 7), E_FAULT);
  EQ(w_clock_time_get(CLK_REALTIME, 0, mem_end() - 7), E_FAULT);
  /* realtime is an epoch time after 2020-01-01 */
  EQ(w_clock_time_get(CLK_REALTIME, 1000, P(&t1)), 0);
  OK(t1 > (u64)1577836800 * 1000000000u);
  /* monotonic never goes back; the precision argument is only a hint */
  EQ(w_clock_time_get(CLK_MONOTONIC, ~(u64)0, P(&t1)), 0);
  EQ(w_clock_time_get(CLK_MONOTONIC, 0, P(&t2)), 0);
  OK(t2 >= t1);
  for (u32 c = CLK_PROCESS; c <= CLK_THREAD; c++) {
    EQ(w_clock_time_get(c, 0, P(&t1)), 0);
    spin();
    EQ(w_clock_time_get(c, 0, P(&t2)), 0);
    OK(t2 > t1);
  }
}

static void check_misc(void) {
  static uint8_t a[64], b[64];
  EQ(w_random_get(P(a), 0), 0);
  EQ(w_random_get(mem_end(), 0), 0); /* empty range at the very end is in bounds */
  EQ(w_random_get(P(a), sizeof a), 0);
  EQ(w_random_get(P(b), sizeof b), 0);
  OK(memcmp(a, b, sizeof a) != 0);
  EQ(w_random_get(mem_end() - 8, 9), E_FAULT);
  EQ(w_random_get(0xffffff00u, 0x200), E_FAULT);
  EQ(w_sched_yield(), 0);
  EQ(w_proc_raise(2), E_NOSYS);
  EQ(w_proc_raise(0), E_NOSYS);
  static u32 n, flags, iov[2];
  iov[0] = P(a); iov[1] = 4;
  EQ(w_sock_accept(3, 0, P(&n)), E_NOTSUP);
  EQ(w_sock_recv(0, P(iov), 1, 0, P(&n), P(&flags)), E_NOTSUP);
  EQ(w_sock_send(1, P(iov), 1, 0, P(&n)), E_NOTSUP);
  EQ(w_sock_shutdown(1, 3), E_NOTSUP);
  EQ(w_sock_accept(99, 0, P(&n)), E_BADF);
  EQ(w_sock_recv(99, P(iov), 1, 0, P(&n), P(&flags)), E_BADF);
  EQ(w_sock_send(99, P(iov), 1, 0, P(&n)), E_BADF);
  EQ(w_sock_shutdown(99, 3), E_BADF);
}

/* fd_fdstat_get on the standard streams: stdin is a pipe (no seek/tell,
** so wasi-libc's isatty() is false for it only because of the file type),
** stdout and stderr are a regular file. */
static void check_stdio(void) {
  static uint8_t fs[24];
  const u64 stream = R_FILE_ALL & ~(R_SEEK | R_TELL);
  EQ(w_fd_fdstat_get(0, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_UNKNOWN);
  EQ(FS_BASE(fs), stream);
  EQ(FS_INH(fs), 0);
  for (u32 fd = 1; fd <= 2; fd++) {
    EQ(w_fd_fdstat_get(fd, P(fs)), 0);
    EQ(FS_TYPE(fs), FT_REG);
    EQ(FS_BASE(fs), R_FILE_ALL);
    EQ(FS_INH(fs), 0);
  }
  EQ(w_fd_fdstat_get(1, mem_end() - 23), E_FAULT);
  EQ(w_fd_fdstat_get(3, P(fs)), 0);
  EQ(FS_TYPE(fs), FT_DIR);
  EQ(FS_BASE(fs), R_DIR_ALL);
  EQ(FS_INH(fs), R_ALL);
  static u64 pos;
  EQ(w_fd_seek(0, 0, WH_CUR, P(&pos)), E_NOTCAPABLE);
  EQ(w_fd_tell(0, P(&pos)), E_NOTCAPABLE);
}

/* ---- poll_oneoff ---- */
static uint8_t subs[6][48], evs[6][32];
static u32 nev;

static void sub_clock(int i, u64 ud, u32 clock, u64 timeout, uint16_t flags) {
  memset(subs[i], 0, 48);
  memcpy(subs[i], &ud, 8);
  subs[i][8] = 0;
  memcpy(subs[i] + 16, &clock, 4);
  memcpy(subs[i] + 24, &timeout, 8);
  memcpy(subs[i] + 40, &flags, 2);
}
static void sub_fd(int i, u64 ud, uint8_t type, u32 fd) {
  memset(subs[i], 0, 48);
  memcpy(subs[i], &ud, 8);
  subs[i][8] = type;
  memcpy(subs[i] + 16, &fd, 4);
}
#define EV_UD(i) rd64(evs[i])
#define EV_ERR(i) rd16(evs[i] + 8)
#define EV_TYPE(i) (evs[i][10])
#define EV_NBYTES(i) rd64(evs[i] + 16)
#define EV_FLAGS(i) rd16(evs[i] + 24)
static u32 poll(u32 n) {
  nev = 0xdead;
  memset(evs, 0xee, sizeof evs);
  return w_poll_oneoff(P(subs), P(evs), n, P(&nev));
}

static void check_poll_clocks(void) {
  u64 t0 = now_ns(CLK_MONOTONIC);
  sub_clock(0, 0x1122334455667788ull, CLK_MONOTONIC, 20000000, 0);
  EQ(poll(1), 0);
  EQ(nev, 1);
  EQ(EV_UD(0), 0x1122334455667788ull);
  EQ(EV_ERR(0), 0);
  EQ(EV_TYPE(0), 0);
  OK(now_ns(CLK_MONOTONIC) - t0 >= 20000000);
  /* absolute realtime deadline 15 ms ahead */
  t0 = now_ns(CLK_MONOTONIC);
  sub_clock(0, 7, CLK_REALTIME, now_ns(CLK_REALTIME) + 15000000, 1);
  EQ(poll(1), 0);
  EQ(nev, 1);
  OK(now_ns(CLK_MONOTONIC) - t0 >= 14000000);
  /* an absolute deadline in the past is due at once */
  t0 = now_ns(CLK_MONOTONIC);
  sub_clock(0, 8, CLK_MONOTONIC, 1, 1);
  EQ(poll(1), 0);
  EQ(nev, 1);
  EQ(EV_UD(0), 8);
  OK(now_ns(CLK_MONOTONIC) - t0 < 500000000);
  /* two timers: only the first to expire is reported */
  t0 = now_ns(CLK_MONOTONIC);
  sub_clock(0, 1, CLK_MONOTONIC, 5000000000ull, 0);
  sub_clock(1, 2, CLK_MONOTONIC, 5000000, 0);
  EQ(poll(2), 0);
  EQ(nev, 1);
  EQ(EV_UD(0), 2);
  OK(now_ns(CLK_MONOTONIC) - t0 < 4000000000ull);
  /* CPU-time clocks and unknown clocks / event types: per-event errors */
  sub_clock(0, 3, CLK_PROCESS, 1000, 0);
  sub_clock(1, 4, 9, 1000, 0);
  sub_fd(2, 5, 7, 1);
  EQ(poll(3), 0);
  EQ(nev, 3);
  EQ(EV_UD(0), 3); EQ(EV_ERR(0), E_NOTSUP); EQ(EV_TYPE(0), 0);
  EQ(EV_UD(1), 4); EQ(EV_ERR(1), E_INVAL);
  EQ(EV_UD(2), 5); EQ(EV_ERR(2), E_INVAL);
  EQ(w_poll_oneoff(P(subs), P(evs), 0, P(&nev)), E_INVAL);
  EQ(w_poll_oneoff(P(subs), mem_end() - 32, 2, P(&nev)), E_FAULT);
  EQ(w_poll_oneoff(P(subs), P(evs), 1, mem_end() - 3), E_FAULT);
}

static void check_poll_fds(void) {
  static u32 fd, n;
  static char buf[16];
  EQ(make_file(3, "poll.txt", "0123456789a"), 0);
  EQ(open_at(3, 0, "poll.txt", 0, R_READ | R_SEEK | R_POLL, 0, 0, &fd), 0);
  EQ(read_buf(fd, buf, 3, &n), 0);
  /* a regular file is always ready; nbytes is what is left to read */
  sub_fd(0, 10, 1, fd);
  sub_fd(1, 11, 2, 1);
  sub_clock(2, 12, CLK_MONOTONIC, 5000000000ull, 0);
  u64 t0 = now_ns(CLK_MONOTONIC);
  EQ(poll(3), 0);
  OK(now_ns(CLK_MONOTONIC) - t0 < 4000000000ull);
  EQ(nev, 2);
  EQ(EV_UD(0), 10); EQ(EV_ERR(0), 0); EQ(EV_TYPE(0), 1); EQ(EV_NBYTES(0), 8);
  EQ(EV_UD(1), 11); EQ(EV_ERR(1), 0); EQ(EV_TYPE(1), 2);
  /* bad descriptors and missing POLL_FD_READWRITE are per-event errors */
  static u32 fd2;
  EQ(open_at(3, 0, "poll.txt", 0, R_READ, 0, 0, &fd2), 0);
  sub_fd(0, 20, 1, 99);
  sub_fd(1, 21, 1, fd2);
  EQ(poll(2), 0);
  EQ(nev, 2);
  EQ(EV_UD(0), 20); EQ(EV_ERR(0), E_BADF); EQ(EV_TYPE(0), 1);
  EQ(EV_UD(1), 21); EQ(EV_ERR(1), E_NOTCAPABLE);
  EQ(w_fd_close(fd), 0);
  EQ(w_fd_close(fd2), 0);
  /* stdin: a pipe with "ping\n"; once drained and closed, a hang-up */
  sub_fd(0, 30, 1, 0);
  EQ(poll(1), 0);
  EQ(nev, 1);
  EQ(EV_ERR(0), 0);
  EQ(EV_NBYTES(0), 5);
  memset(buf, 0, sizeof buf);
  EQ(read_buf(0, buf, sizeof buf, &n), 0);
  EQ(n, 5);
  EQ(strcmp(buf, "ping\n"), 0);
  EQ(read_buf(0, buf, sizeof buf, &n), 0);
  EQ(n, 0);
  EQ(poll(1), 0);
  EQ(nev, 1);
  EQ(EV_NBYTES(0), 0);
  EQ(EV_FLAGS(0), 1); /* fd_readwrite_hangup */
}

int main(void) {
  check_args();
  check_environ();
  check_clocks();
  check_misc();
  check_stdio();
  check_poll_clocks();
  check_poll_fds();
  return finish("conform_proc");
}
