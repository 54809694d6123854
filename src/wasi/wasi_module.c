/*
** wasi_module.c — the wasi_snapshot_preview1 import table. Signatures
** follow wasi_snapshot_preview1.witx lowered to core Wasm: every pointer,
** size, fd and flag set is i32 ("i"); filesize, timestamp, rights, cookie,
** filedelta and userdata are i64 ("I"); every function returns its errno
** as i32 except proc_exit, which returns nothing.
*/
#include "wasi/wasi_internal.h"

#define F(name, sig) {#name, sig, wasi_fn_##name}

static const host_fn_def wasi_fns[] = {
    F(args_get, "(ii)i"),
    F(args_sizes_get, "(ii)i"),
    F(environ_get, "(ii)i"),
    F(environ_sizes_get, "(ii)i"),
    F(clock_res_get, "(ii)i"),
    F(clock_time_get, "(iIi)i"),
    F(fd_advise, "(iIIi)i"),
    F(fd_allocate, "(iII)i"),
    F(fd_close, "(i)i"),
    F(fd_datasync, "(i)i"),
    F(fd_fdstat_get, "(ii)i"),
    F(fd_fdstat_set_flags, "(ii)i"),
    F(fd_fdstat_set_rights, "(iII)i"),
    F(fd_filestat_get, "(ii)i"),
    F(fd_filestat_set_size, "(iI)i"),
    F(fd_filestat_set_times, "(iIIi)i"),
    F(fd_pread, "(iiiIi)i"),
    F(fd_prestat_get, "(ii)i"),
    F(fd_prestat_dir_name, "(iii)i"),
    F(fd_pwrite, "(iiiIi)i"),
    F(fd_read, "(iiii)i"),
    F(fd_readdir, "(iiiIi)i"),
    F(fd_renumber, "(ii)i"),
    F(fd_seek, "(iIii)i"),
    F(fd_sync, "(i)i"),
    F(fd_tell, "(ii)i"),
    F(fd_write, "(iiii)i"),
    F(path_create_directory, "(iii)i"),
    F(path_filestat_get, "(iiiii)i"),
    F(path_filestat_set_times, "(iiiiIIi)i"),
    F(path_link, "(iiiiiii)i"),
    F(path_open, "(iiiiiIIii)i"),
    F(path_readlink, "(iiiiii)i"),
    F(path_remove_directory, "(iii)i"),
    F(path_rename, "(iiiiii)i"),
    F(path_symlink, "(iiiii)i"),
    F(path_unlink_file, "(iii)i"),
    F(poll_oneoff, "(iiii)i"),
    F(proc_exit, "(i)"),
    F(proc_raise, "(i)i"),
    F(sched_yield, "()i"),
    F(random_get, "(ii)i"),
    F(sock_accept, "(iii)i"),
    F(sock_recv, "(iiiiii)i"),
    F(sock_send, "(iiiii)i"),
    F(sock_shutdown, "(ii)i"),
};

host_module wasi_host_module(wasi_ctx *ctx) {
  host_module m = {"wasi_snapshot_preview1", wasi_fns, sizeof wasi_fns / sizeof wasi_fns[0], ctx};
  return m;
}
