;; wild_pointers.wat — guest pointers at and beyond the edge of a one-page
;; memory (64 KiB, no growth), negative-looking pointers, and checks that a
;; call failing with EFAULT has no side effect (path_open with a bad result
;; pointer creates nothing). Grant: fd 3 = /sandbox (rw).
;; Exit status = the number of the first failed check.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_filestat_get"
    (func $path_stat (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir" (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name" (func $dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_readlink"
    (func $readlink (param i32 i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink" (func $symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 1024) "edge.txt")   ;; 8
  (data (i32.const 1040) "never.txt")  ;; 9
  (data (i32.const 1056) "lnk")        ;; 3
  (data (i32.const 65535) "x")         ;; the very last byte
  ;; 2048: fd   2056: count   2064: iovec   2080: filestat (64)

  (func $expect (param $got i32) (param $want i32) (param $id i32)
    (if (i32.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $id)))))
  (func $fd (result i32) (i32.load (i32.const 2048)))
  (func $iov (param $at i32) (param $ptr i32) (param $len i32)
    (i32.store (local.get $at) (local.get $ptr))
    (i32.store (i32.add (local.get $at) (i32.const 4)) (local.get $len)))

  (func $io
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 8) (i32.const 1)
                    (i64.const 0x66) (i64.const 0) (i32.const 0) (i32.const 2048)) (i32.const 0) (i32.const 1))
    ;; the last byte of memory is a valid one-byte buffer; two bytes are not
    (call $iov (i32.const 2064) (i32.const 65535) (i32.const 1))
    (call $expect (call $fd_write (call $fd) (i32.const 2064) (i32.const 1) (i32.const 2056)) (i32.const 0) (i32.const 2))
    (call $expect (i32.load (i32.const 2056)) (i32.const 1) (i32.const 3))
    (call $iov (i32.const 2064) (i32.const 65535) (i32.const 2))
    (call $expect (call $fd_write (call $fd) (i32.const 2064) (i32.const 1) (i32.const 2056)) (i32.const 21) (i32.const 4))
    (call $iov (i32.const 2064) (i32.const 0x80000000) (i32.const 1))
    (call $expect (call $fd_write (call $fd) (i32.const 2064) (i32.const 1) (i32.const 2056)) (i32.const 21) (i32.const 5))
    (call $iov (i32.const 2064) (i32.const 65536) (i32.const 0))  ;; empty, at the end: fine
    (call $expect (call $fd_write (call $fd) (i32.const 2064) (i32.const 1) (i32.const 2056)) (i32.const 0) (i32.const 6))
    (call $expect (i32.load (i32.const 2056)) (i32.const 0) (i32.const 7))
    ;; the iovec array itself straddling the end, or at a wrapped address
    (call $iov (i32.const 65528) (i32.const 1024) (i32.const 1))
    (call $expect (call $fd_write (call $fd) (i32.const 65528) (i32.const 1) (i32.const 2056)) (i32.const 0) (i32.const 8))
    (call $expect (call $fd_write (call $fd) (i32.const 65528) (i32.const 2) (i32.const 2056)) (i32.const 21) (i32.const 9))
    (call $expect (call $fd_write (call $fd) (i32.const -8) (i32.const 1) (i32.const 2056)) (i32.const 21) (i32.const 10))
    ;; the count cell
    (call $expect (call $fd_write (call $fd) (i32.const 65528) (i32.const 1) (i32.const 65533)) (i32.const 21) (i32.const 11))
    (call $expect (call $fd_write (call $fd) (i32.const 65528) (i32.const 1) (i32.const 65532)) (i32.const 0) (i32.const 12))
    ;; reading into the last byte (at the end of the file: nothing read)
    (call $iov (i32.const 2064) (i32.const 65535) (i32.const 1))
    (call $expect (call $fd_read (call $fd) (i32.const 2064) (i32.const 1) (i32.const 2056)) (i32.const 0) (i32.const 13))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 14))
    (call $expect (call $path_stat (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 8) (i32.const 2080))
                  (i32.const 0) (i32.const 15))
    (call $expect (i32.load (i32.const 2112)) (i32.const 3) (i32.const 16)))  ;; size: 1 + 0 + 1 + 1

  (func $paths
    (i32.store8 (i32.const 65535) (i32.const 0x78)) ;; "x" again ($io put an iovec there)
    ;; a path ending on the last byte is in bounds; one byte more is not
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 65535) (i32.const 1) (i32.const 0)
                    (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 2048)) (i32.const 44) (i32.const 20))
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 65535) (i32.const 2) (i32.const 0)
                    (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 2048)) (i32.const 21) (i32.const 21))
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1040) (i32.const -1) (i32.const 0)
                    (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 2048)) (i32.const 21) (i32.const 22))
    ;; a bad result pointer fails before anything is created
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1040) (i32.const 9) (i32.const 1)
                    (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 65533)) (i32.const 21) (i32.const 23))
    (call $expect (call $path_stat (i32.const 3) (i32.const 0) (i32.const 1040) (i32.const 9) (i32.const 2080))
                  (i32.const 44) (i32.const 24))
    (call $expect (call $path_stat (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 8) (i32.const 65473))
                  (i32.const 21) (i32.const 25))
    (call $expect (call $path_stat (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 8) (i32.const 65472))
                  (i32.const 0) (i32.const 26))
    ;; readlink: buffer at the edge, used-cell outside
    (call $expect (call $symlink (i32.const 1024) (i32.const 8) (i32.const 3) (i32.const 1056) (i32.const 3))
                  (i32.const 0) (i32.const 27))
    (call $expect (call $readlink (i32.const 3) (i32.const 1056) (i32.const 3) (i32.const 65528) (i32.const 8)
                    (i32.const 2056)) (i32.const 0) (i32.const 28))
    (call $expect (i32.load (i32.const 2056)) (i32.const 8) (i32.const 29))
    (call $expect (call $readlink (i32.const 3) (i32.const 1056) (i32.const 3) (i32.const 65529) (i32.const 8)
                    (i32.const 2056)) (i32.const 21) (i32.const 30))
    (call $expect (call $readlink (i32.const 3) (i32.const 1056) (i32.const 3) (i32.const 4096) (i32.const 8)
                    (i32.const 65534)) (i32.const 21) (i32.const 31)))

  (func $misc
    (call $expect (call $clock (i32.const 1) (i64.const 0) (i32.const 65528)) (i32.const 0) (i32.const 40))
    (call $expect (call $clock (i32.const 1) (i64.const 0) (i32.const 65529)) (i32.const 21) (i32.const 41))
    (call $expect (call $random (i32.const 65536) (i32.const 0)) (i32.const 0) (i32.const 42))
    (call $expect (call $random (i32.const 65536) (i32.const 1)) (i32.const 21) (i32.const 43))
    (call $expect (call $random (i32.const 1) (i32.const -1)) (i32.const 21) (i32.const 44))
    (call $expect (call $args_sizes (i32.const 65534) (i32.const 2056)) (i32.const 21) (i32.const 45))
    (call $expect (call $args_sizes (i32.const 2056) (i32.const -4)) (i32.const 21) (i32.const 46))
    (call $expect (call $dir_name (i32.const 3) (i32.const 65528) (i32.const 8)) (i32.const 0) (i32.const 47))
    (call $expect (call $dir_name (i32.const 3) (i32.const 65529) (i32.const 8)) (i32.const 21) (i32.const 48))
    (call $expect (call $readdir (i32.const 3) (i32.const 65500) (i32.const 100) (i64.const 0) (i32.const 2056))
                  (i32.const 21) (i32.const 49))
    (call $expect (call $readdir (i32.const 3) (i32.const 65436) (i32.const 100) (i64.const 0) (i32.const 2056))
                  (i32.const 0) (i32.const 50))
    ;; poll_oneoff: one clock subscription in the last 48 bytes, its event in
    ;; the 32 before, nevents just before that
    (i64.store (i32.const 65488) (i64.const 99))         ;; userdata
    (i32.store8 (i32.const 65496) (i32.const 0))         ;; clock
    (i32.store (i32.const 65504) (i32.const 1))          ;; monotonic
    (i64.store (i32.const 65512) (i64.const 1000))       ;; 1 us
    (i32.store16 (i32.const 65528) (i32.const 0))
    (call $expect (call $poll (i32.const 65488) (i32.const 65456) (i32.const 1) (i32.const 65452))
                  (i32.const 0) (i32.const 51))
    (call $expect (i32.load (i32.const 65452)) (i32.const 1) (i32.const 52))
    (call $expect (i32.load (i32.const 65456)) (i32.const 99) (i32.const 53))
    (call $expect (call $poll (i32.const 65489) (i32.const 65456) (i32.const 1) (i32.const 65452))
                  (i32.const 21) (i32.const 54))
    (call $expect (call $poll (i32.const 65488) (i32.const 65456) (i32.const 2) (i32.const 65452))
                  (i32.const 21) (i32.const 55)))

  (func (export "_start")
    (call $io)
    (call $paths)
    (call $misc))
)
