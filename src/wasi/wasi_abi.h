/*
** wasi_abi.h — constants and struct layouts of wasi_snapshot_preview1, as
** given by the preview1 witx files (typenames.witx). Guest structs are
** never cast to C structs: host code encodes them byte by byte at the
** offsets below, because guest pointers need not be aligned and the guest
** is little-endian whatever the host is.
*/
#ifndef WT_WASI_ABI_H
#define WT_WASI_ABI_H

#include <stdint.h>

/* errno (u16). Only the values this implementation produces. */
enum {
  WASI_ESUCCESS = 0, WASI_E2BIG = 1, WASI_EACCES = 2, WASI_EADDRINUSE = 3,
  WASI_EADDRNOTAVAIL = 4, WASI_EAFNOSUPPORT = 5, WASI_EAGAIN = 6,
  WASI_EALREADY = 7, WASI_EBADF = 8, WASI_EBADMSG = 9, WASI_EBUSY = 10,
  WASI_ECANCELED = 11, WASI_ECHILD = 12, WASI_ECONNABORTED = 13,
  WASI_ECONNREFUSED = 14, WASI_ECONNRESET = 15, WASI_EDEADLK = 16,
  WASI_EDESTADDRREQ = 17, WASI_EDOM = 18, WASI_EDQUOT = 19, WASI_EEXIST = 20,
  WASI_EFAULT = 21, WASI_EFBIG = 22, WASI_EHOSTUNREACH = 23, WASI_EIDRM = 24,
  WASI_EILSEQ = 25, WASI_EINPROGRESS = 26, WASI_EINTR = 27, WASI_EINVAL = 28,
  WASI_EIO = 29, WASI_EISCONN = 30, WASI_EISDIR = 31, WASI_ELOOP = 32,
  WASI_EMFILE = 33, WASI_EMLINK = 34, WASI_EMSGSIZE = 35, WASI_EMULTIHOP = 36,
  WASI_ENAMETOOLONG = 37, WASI_ENETDOWN = 38, WASI_ENETRESET = 39,
  WASI_ENETUNREACH = 40, WASI_ENFILE = 41, WASI_ENOBUFS = 42, WASI_ENODEV = 43,
  WASI_ENOENT = 44, WASI_ENOEXEC = 45, WASI_ENOLCK = 46, WASI_ENOLINK = 47,
  WASI_ENOMEM = 48, WASI_ENOMSG = 49, WASI_ENOPROTOOPT = 50, WASI_ENOSPC = 51,
  WASI_ENOSYS = 52, WASI_ENOTCONN = 53, WASI_ENOTDIR = 54, WASI_ENOTEMPTY = 55,
  WASI_ENOTRECOVERABLE = 56, WASI_ENOTSOCK = 57, WASI_ENOTSUP = 58,
  WASI_ENOTTY = 59, WASI_ENXIO = 60, WASI_EOVERFLOW = 61, WASI_EOWNERDEAD = 62,
  WASI_EPERM = 63, WASI_EPIPE = 64, WASI_EPROTO = 65, WASI_EPROTONOSUPPORT = 66,
  WASI_EPROTOTYPE = 67, WASI_ERANGE = 68, WASI_EROFS = 69, WASI_ESPIPE = 70,
  WASI_ESRCH = 71, WASI_ESTALE = 72, WASI_ETIMEDOUT = 73, WASI_ETXTBSY = 74,
  WASI_EXDEV = 75, WASI_ENOTCAPABLE = 76
};

/* rights (u64) */
#define WASI_RIGHT_FD_DATASYNC             (UINT64_C(1) << 0)
#define WASI_RIGHT_FD_READ                 (UINT64_C(1) << 1)
#define WASI_RIGHT_FD_SEEK                 (UINT64_C(1) << 2)
#define WASI_RIGHT_FD_FDSTAT_SET_FLAGS     (UINT64_C(1) << 3)
#define WASI_RIGHT_FD_SYNC                 (UINT64_C(1) << 4)
#define WASI_RIGHT_FD_TELL                 (UINT64_C(1) << 5)
#define WASI_RIGHT_FD_WRITE                (UINT64_C(1) << 6)
#define WASI_RIGHT_FD_ADVISE               (UINT64_C(1) << 7)
#define WASI_RIGHT_FD_ALLOCATE             (UINT64_C(1) << 8)
#define WASI_RIGHT_PATH_CREATE_DIRECTORY   (UINT64_C(1) << 9)
#define WASI_RIGHT_PATH_CREATE_FILE        (UINT64_C(1) << 10)
#define WASI_RIGHT_PATH_LINK_SOURCE        (UINT64_C(1) << 11)
#define WASI_RIGHT_PATH_LINK_TARGET        (UINT64_C(1) << 12)
#define WASI_RIGHT_PATH_OPEN               (UINT64_C(1) << 13)
#define WASI_RIGHT_FD_READDIR              (UINT64_C(1) << 14)
#define WASI_RIGHT_PATH_READLINK           (UINT64_C(1) << 15)
#define WASI_RIGHT_PATH_RENAME_SOURCE      (UINT64_C(1) << 16)
#define WASI_RIGHT_PATH_RENAME_TARGET      (UINT64_C(1) << 17)
#define WASI_RIGHT_PATH_FILESTAT_GET       (UINT64_C(1) << 18)
#define WASI_RIGHT_PATH_FILESTAT_SET_SIZE  (UINT64_C(1) << 19)
#define WASI_RIGHT_PATH_FILESTAT_SET_TIMES (UINT64_C(1) << 20)
#define WASI_RIGHT_FD_FILESTAT_GET         (UINT64_C(1) << 21)
#define WASI_RIGHT_FD_FILESTAT_SET_SIZE    (UINT64_C(1) << 22)
#define WASI_RIGHT_FD_FILESTAT_SET_TIMES   (UINT64_C(1) << 23)
#define WASI_RIGHT_PATH_SYMLINK            (UINT64_C(1) << 24)
#define WASI_RIGHT_PATH_REMOVE_DIRECTORY   (UINT64_C(1) << 25)
#define WASI_RIGHT_PATH_UNLINK_FILE        (UINT64_C(1) << 26)
#define WASI_RIGHT_POLL_FD_READWRITE       (UINT64_C(1) << 27)
#define WASI_RIGHT_SOCK_SHUTDOWN           (UINT64_C(1) << 28)
#define WASI_RIGHT_SOCK_ACCEPT             (UINT64_C(1) << 29)
#define WASI_RIGHTS_ALL                    ((UINT64_C(1) << 30) - 1)

/* Rights meaningful on a regular file / character device / stream. */
#define WASI_RIGHTS_FILE                                                      \
  (WASI_RIGHT_FD_DATASYNC | WASI_RIGHT_FD_READ | WASI_RIGHT_FD_SEEK |         \
   WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC | WASI_RIGHT_FD_TELL |  \
   WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ADVISE | WASI_RIGHT_FD_ALLOCATE |      \
   WASI_RIGHT_FD_FILESTAT_GET | WASI_RIGHT_FD_FILESTAT_SET_SIZE |             \
   WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_POLL_FD_READWRITE)
/* Rights meaningful on a directory. */
#define WASI_RIGHTS_DIR                                                       \
  (WASI_RIGHT_FD_FDSTAT_SET_FLAGS | WASI_RIGHT_FD_SYNC |                      \
   WASI_RIGHT_FD_ADVISE | WASI_RIGHT_PATH_CREATE_DIRECTORY |                  \
   WASI_RIGHT_PATH_CREATE_FILE | WASI_RIGHT_PATH_LINK_SOURCE |                \
   WASI_RIGHT_PATH_LINK_TARGET | WASI_RIGHT_PATH_OPEN |                       \
   WASI_RIGHT_FD_READDIR | WASI_RIGHT_PATH_READLINK |                         \
   WASI_RIGHT_PATH_RENAME_SOURCE | WASI_RIGHT_PATH_RENAME_TARGET |            \
   WASI_RIGHT_PATH_FILESTAT_GET | WASI_RIGHT_PATH_FILESTAT_SET_SIZE |         \
   WASI_RIGHT_PATH_FILESTAT_SET_TIMES | WASI_RIGHT_FD_FILESTAT_GET |          \
   WASI_RIGHT_FD_FILESTAT_SET_TIMES | WASI_RIGHT_PATH_SYMLINK |               \
   WASI_RIGHT_PATH_REMOVE_DIRECTORY | WASI_RIGHT_PATH_UNLINK_FILE)
/* Rights that modify the file system: refused (EROFS) below a read-only
** preopen even when the descriptor holds them. LINK_SOURCE is here because a
** hard link made elsewhere would give write access to a read-only file. */
#define WASI_RIGHTS_MUTATING                                                  \
  (WASI_RIGHT_FD_WRITE | WASI_RIGHT_FD_ALLOCATE |                             \
   WASI_RIGHT_PATH_CREATE_DIRECTORY | WASI_RIGHT_PATH_CREATE_FILE |           \
   WASI_RIGHT_PATH_LINK_SOURCE | WASI_RIGHT_PATH_LINK_TARGET |                \
   WASI_RIGHT_PATH_RENAME_SOURCE | WASI_RIGHT_PATH_RENAME_TARGET |            \
   WASI_RIGHT_PATH_FILESTAT_SET_SIZE | WASI_RIGHT_PATH_FILESTAT_SET_TIMES |    \
   WASI_RIGHT_FD_FILESTAT_SET_SIZE | WASI_RIGHT_FD_FILESTAT_SET_TIMES |       \
   WASI_RIGHT_PATH_SYMLINK | WASI_RIGHT_PATH_REMOVE_DIRECTORY |               \
   WASI_RIGHT_PATH_UNLINK_FILE)

/* filetype (u8) */
enum {
  WASI_FILETYPE_UNKNOWN = 0, WASI_FILETYPE_BLOCK_DEVICE = 1,
  WASI_FILETYPE_CHARACTER_DEVICE = 2, WASI_FILETYPE_DIRECTORY = 3,
  WASI_FILETYPE_REGULAR_FILE = 4, WASI_FILETYPE_SOCKET_DGRAM = 5,
  WASI_FILETYPE_SOCKET_STREAM = 6, WASI_FILETYPE_SYMBOLIC_LINK = 7
};

/* clockid (u32) */
enum { WASI_CLOCK_REALTIME = 0, WASI_CLOCK_MONOTONIC = 1,
       WASI_CLOCK_PROCESS_CPUTIME = 2, WASI_CLOCK_THREAD_CPUTIME = 3 };

/* whence (u8) */
enum { WASI_WHENCE_SET = 0, WASI_WHENCE_CUR = 1, WASI_WHENCE_END = 2 };

/* fdflags (u16) */
#define WASI_FDFLAG_APPEND   0x01u
#define WASI_FDFLAG_DSYNC    0x02u
#define WASI_FDFLAG_NONBLOCK 0x04u
#define WASI_FDFLAG_RSYNC    0x08u
#define WASI_FDFLAG_SYNC     0x10u
#define WASI_FDFLAGS_ALL     0x1fu

/* oflags (u16) */
#define WASI_OFLAG_CREAT     0x01u
#define WASI_OFLAG_DIRECTORY 0x02u
#define WASI_OFLAG_EXCL      0x04u
#define WASI_OFLAG_TRUNC     0x08u
#define WASI_OFLAGS_ALL      0x0fu

/* lookupflags (u32) */
#define WASI_LOOKUP_SYMLINK_FOLLOW 0x01u

/* fstflags (u16) */
#define WASI_FST_ATIM     0x01u
#define WASI_FST_ATIM_NOW 0x02u
#define WASI_FST_MTIM     0x04u
#define WASI_FST_MTIM_NOW 0x08u

/* advice (u8): normal .. noreuse */
#define WASI_ADVICE_MAX 5u

/* eventtype (u8), subclockflags (u16), eventrwflags (u16) */
enum { WASI_EVENT_CLOCK = 0, WASI_EVENT_FD_READ = 1, WASI_EVENT_FD_WRITE = 2 };
#define WASI_SUBCLOCK_ABSTIME 0x01u
#define WASI_EVENTRW_HANGUP   0x01u

/* Struct sizes (bytes). Field offsets are spelled out where encoded. */
#define WASI_IOVEC_SIZE        8   /* buf u32 @0, buf_len u32 @4 */
#define WASI_FDSTAT_SIZE       24  /* filetype u8 @0, flags u16 @2, base u64 @8, inh u64 @16 */
#define WASI_FILESTAT_SIZE     64  /* dev @0 ino @8 filetype u8 @16 nlink @24 size @32 atim @40 mtim @48 ctim @56 */
#define WASI_PRESTAT_SIZE      8   /* tag u8 @0, pr_name_len u32 @4 */
#define WASI_DIRENT_SIZE       24  /* d_next @0 d_ino @8 d_namlen u32 @16 d_type u8 @20 */
#define WASI_SUBSCRIPTION_SIZE 48  /* userdata @0, tag u8 @8, union @16 */
#define WASI_EVENT_SIZE        32  /* userdata @0 error u16 @8 type u8 @10 nbytes @16 flags u16 @24 */

#endif /* WT_WASI_ABI_H */
