;; open_combos.wat — path_open the way toolchains other than wasi-libc call
;; it, plus fd_fdstat_get on the standard streams, with exact results.
;;   * Rust std (OpenOptions): every open asks for the "common" rights (path
;;     rights included, even on files), inheriting = base, lookup FOLLOW;
;;     File::open / File::create / append / read_dir.
;;   * Zig-style: base and inheriting all ones (64 bits) on a directory.
;;   * AssemblyScript (as-wasi) style: a small read set, FOLLOW, RSYNC|SYNC.
;;   * lookupflags with undefined high bits.
;; Grants: fd 3 = /sandbox (rw), fd 4 = /ro (read-only, data.txt "hello").
;; stdin is /dev/null, stdout a regular file. Exit status = the number of
;; the first failed check (0 = all passed).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fdstat (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "combo.txt")      ;; 9
  (data (i32.const 1040) "data.txt")       ;; 8
  (data (i32.const 1056) ".")              ;; 1
  (data (i32.const 1072) "hello from wat\n") ;; 15
  (data (i32.const 1104) "abc")            ;; 3
  ;; 2048: new fd   2064: fdstat (24)   2112: iovec   2128: count   2144: read buffer

  (func $expect (param $got i32) (param $want i32) (param $id i32)
    (if (i32.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $id)))))
  (func $expect64 (param $got i64) (param $want i64) (param $id i32)
    (if (i64.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $id)))))
  (func $fd (result i32) (i32.load (i32.const 2048)))
  ;; fdstat of $fd at 2064; checks type, flags, base and inheriting
  (func $stat (param $fd i32) (param $type i32) (param $flags i32) (param $base i64) (param $inh i64)
              (param $id i32)
    (call $expect (call $fdstat (local.get $fd) (i32.const 2064)) (i32.const 0) (local.get $id))
    (call $expect (i32.load8_u (i32.const 2064)) (local.get $type) (local.get $id))
    (call $expect (i32.load16_u (i32.const 2066)) (local.get $flags) (local.get $id))
    (call $expect64 (i64.load (i32.const 2072)) (local.get $base) (local.get $id))
    (call $expect64 (i64.load (i32.const 2080)) (local.get $inh) (local.get $id)))
  (func $write (param $fd i32) (param $ptr i32) (param $len i32) (result i32)
    (i32.store (i32.const 2112) (local.get $ptr))
    (i32.store (i32.const 2116) (local.get $len))
    (call $fd_write (local.get $fd) (i32.const 2112) (i32.const 1) (i32.const 2128)))

  (func $stdio
    ;; stdin /dev/null: a character device, no seek/tell (so not a tty only by type)
    (call $stat (i32.const 0) (i32.const 2) (i32.const 0) (i64.const 0x8e001db) (i64.const 0) (i32.const 1))
    (call $stat (i32.const 1) (i32.const 4) (i32.const 0) (i64.const 0x8e001ff) (i64.const 0) (i32.const 2))
    (call $stat (i32.const 3) (i32.const 3) (i32.const 0) (i64.const 0x7bffe98) (i64.const 0x3fffffff) (i32.const 3))
    (call $expect (call $write (i32.const 1) (i32.const 1072) (i32.const 15)) (i32.const 0) (i32.const 4))
    (call $expect (i32.load (i32.const 2128)) (i32.const 15) (i32.const 5))
    (call $expect (call $fdstat (i32.const 9) (i32.const 2064)) (i32.const 8) (i32.const 6)))

  (func $rust
    ;; File::create: FOLLOW, CREAT|TRUNC, write+common rights, inheriting = base
    (call $expect (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (i32.const 9)
                    (i32.const 9) (i64.const 0xfe7bffd) (i64.const 0xfe7bffd) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 10))
    (call $stat (call $fd) (i32.const 4) (i32.const 0) (i64.const 0x8e001fd) (i64.const 0) (i32.const 11))
    (call $expect (call $write (call $fd) (i32.const 1104) (i32.const 3)) (i32.const 0) (i32.const 12))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 13))
    ;; OpenOptions::append: APPEND fdflag
    (call $expect (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (i32.const 9)
                    (i32.const 0) (i64.const 0xfe7bffd) (i64.const 0xfe7bffd) (i32.const 1) (i32.const 2048))
                  (i32.const 0) (i32.const 14))
    (call $stat (call $fd) (i32.const 4) (i32.const 1) (i64.const 0x8e001fd) (i64.const 0) (i32.const 15))
    (call $expect (call $write (call $fd) (i32.const 1104) (i32.const 3)) (i32.const 0) (i32.const 16))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 17))
    ;; File::open (read + common) on the sandbox: reads "abcabc"
    (call $expect (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (i32.const 9)
                    (i32.const 0) (i64.const 0xfa7febe) (i64.const 0xfa7febe) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 18))
    (call $stat (call $fd) (i32.const 4) (i32.const 0) (i64.const 0x8a000be) (i64.const 0) (i32.const 19))
    (i32.store (i32.const 2112) (i32.const 2144))
    (i32.store (i32.const 2116) (i32.const 64))
    (call $expect (call $fd_read (call $fd) (i32.const 2112) (i32.const 1) (i32.const 2128)) (i32.const 0) (i32.const 20))
    (call $expect (i32.load (i32.const 2128)) (i32.const 6) (i32.const 21))
    (call $expect (i32.load (i32.const 2144)) (i32.const 0x61636261) (i32.const 22)) ;; "abca"
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 23))
    ;; File::open on the read-only grant: allowed (SET_TIMES is asked, never used)
    (call $expect (call $path_open (i32.const 4) (i32.const 1) (i32.const 1040) (i32.const 8)
                    (i32.const 0) (i64.const 0xfa7febe) (i64.const 0xfa7febe) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 24))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 25))
    ;; File::create on the read-only grant: EROFS
    (call $expect (call $path_open (i32.const 4) (i32.const 1) (i32.const 1040) (i32.const 8)
                    (i32.const 9) (i64.const 0xfe7bffd) (i64.const 0xfe7bffd) (i32.const 0) (i32.const 2048))
                  (i32.const 69) (i32.const 26))
    ;; read_dir: DIRECTORY, read + common; a directory keeps the dir rights
    (call $expect (call $path_open (i32.const 3) (i32.const 1) (i32.const 1056) (i32.const 1)
                    (i32.const 2) (i64.const 0xfa7febe) (i64.const 0xfa7febe) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 27))
    (call $stat (call $fd) (i32.const 3) (i32.const 0) (i64.const 0x7a7fe98) (i64.const 0xfa7febe) (i32.const 28))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 29)))

  (func $others
    ;; Zig-style: all 64 bits on a directory opened with O_DIRECTORY
    (call $expect (call $path_open (i32.const 3) (i32.const 1) (i32.const 1056) (i32.const 1)
                    (i32.const 2) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 40))
    (call $stat (call $fd) (i32.const 3) (i32.const 0) (i64.const 0x7bffe98) (i64.const 0x3fffffff) (i32.const 41))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 42))
    ;; ... and on a file: narrowed to the file rights
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 9)
                    (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 43))
    (call $stat (call $fd) (i32.const 4) (i32.const 0) (i64.const 0x8e001ff) (i64.const 0) (i32.const 44))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 45))
    ;; all ones below the read-only grant: refused, write rights included
    (call $expect (call $path_open (i32.const 4) (i32.const 1) (i32.const 1040) (i32.const 8)
                    (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 2048))
                  (i32.const 69) (i32.const 46))
    ;; as-wasi style read: READ|SEEK|TELL|FILESTAT_GET|READDIR, FOLLOW
    (call $expect (call $path_open (i32.const 4) (i32.const 1) (i32.const 1040) (i32.const 8)
                    (i32.const 0) (i64.const 0x204026) (i64.const 0x204026) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 47))
    (call $stat (call $fd) (i32.const 4) (i32.const 0) (i64.const 0x200026) (i64.const 0) (i32.const 48))
    (call $expect (call $fd_seek (call $fd) (i64.const -2) (i32.const 2) (i32.const 2128)) (i32.const 0) (i32.const 49))
    (call $expect64 (i64.load (i32.const 2128)) (i64.const 3) (i32.const 50))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 51))
    ;; write with SYNC|RSYNC|DSYNC fdflags: opened, reported as SYNC
    (call $expect (call $path_open (i32.const 3) (i32.const 1) (i32.const 1024) (i32.const 9)
                    (i32.const 0) (i64.const 0x40) (i64.const 0) (i32.const 0x1a) (i32.const 2048))
                  (i32.const 0) (i32.const 52))
    (call $expect (call $fdstat (call $fd) (i32.const 2064)) (i32.const 0) (i32.const 53))
    (call $expect (i32.and (i32.load16_u (i32.const 2066)) (i32.const 0x10)) (i32.const 0x10) (i32.const 54))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 55))
    ;; lookupflags: only bit 0 means anything
    (call $expect (call $path_open (i32.const 3) (i32.const 0x80000001) (i32.const 1024) (i32.const 9)
                    (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 56))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 57))
    ;; rights and flags on a fresh fd number: lowest free slot
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 9)
                    (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 58))
    (call $expect (call $fd) (i32.const 5) (i32.const 59))
    (call $stat (call $fd) (i32.const 4) (i32.const 0) (i64.const 0) (i64.const 0) (i32.const 60))
    (call $expect (call $write (call $fd) (i32.const 1104) (i32.const 1)) (i32.const 76) (i32.const 61))
    (call $expect (call $fd_close (call $fd)) (i32.const 0) (i32.const 62)))

  (func (export "_start")
    (call $stdio)
    (call $rust)
    (call $others))
)
