;; readdir_cookies.wat — fd_readdir driven the way Rust's std and
;; AssemblyScript read directories: small buffers, entries cut at the end
;; of the buffer, resuming from the d_next cookie of the last complete
;; entry, rewinding to an earlier cookie, tiny and empty buffers, and a
;; cookie that was never handed out. Grant: fd 3 = /sandbox (rw).
;; Exit status = the number of the first failed check.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory"
    (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir"
    (func $readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 1024) "rdw")
  (data (i32.const 1040) "f0")
  ;; 2048: fd out   2056: bufused   4096: small buffer   8192: full listing buffer
  (global $dir (mut i32) (i32.const 0))

  (func $expect (param $got i32) (param $want i32) (param $id i32)
    (if (i32.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $id)))))
  (func $expect64 (param $got i64) (param $want i64) (param $id i32)
    (if (i64.ne (local.get $got) (local.get $want)) (then (call $proc_exit (local.get $id)))))

  (func $setup (local $i i32)
    (call $expect (call $mkdir (i32.const 3) (i32.const 1024) (i32.const 3)) (i32.const 0) (i32.const 1))
    (call $expect (call $path_open (i32.const 3) (i32.const 0) (i32.const 1024) (i32.const 3)
                    (i32.const 2) (i64.const 0x6400) (i64.const 0) (i32.const 0) (i32.const 2048))
                  (i32.const 0) (i32.const 2))
    (global.set $dir (i32.load (i32.const 2048)))
    ;; files f0..f4, created through the directory descriptor
    (loop $files
      (i32.store8 (i32.const 1041) (i32.add (i32.const 48) (local.get $i)))
      (call $expect (call $path_open (global.get $dir) (i32.const 0) (i32.const 1040) (i32.const 2)
                      (i32.const 1) (i64.const 0) (i64.const 0) (i32.const 0) (i32.const 2048))
                    (i32.const 0) (i32.const 3))
      (call $expect (call $fd_close (i32.load (i32.const 2048))) (i32.const 0) (i32.const 4))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $files (i32.lt_u (local.get $i) (i32.const 5)))))

  ;; Lists the directory with $size-byte reads at 4096, resuming by cookie;
  ;; returns the number of complete entries seen.
  (func $list (param $size i32) (result i32)
    (local $cookie i64) (local $used i32) (local $off i32) (local $len i32) (local $count i32)
    (local $before i32) (local $calls i32)
    (loop $calls_loop
      (call $expect (call $readdir (global.get $dir) (i32.const 4096) (local.get $size)
                      (local.get $cookie) (i32.const 2056))
                    (i32.const 0) (i32.const 10))
      (local.set $used (i32.load (i32.const 2056)))
      (if (i32.gt_u (local.get $used) (local.get $size)) (then (call $proc_exit (i32.const 11))))
      (local.set $off (i32.const 0))
      (local.set $before (local.get $count))
      (block $done
        (loop $entries
          (br_if $done (i32.gt_u (i32.add (local.get $off) (i32.const 24)) (local.get $used)))
          (local.set $len (i32.load (i32.add (i32.const 4112) (local.get $off))))
          (br_if $done (i32.gt_u (i32.add (i32.add (local.get $off) (i32.const 24)) (local.get $len))
                                 (local.get $used)))
          (local.set $cookie (i64.load (i32.add (i32.const 4096) (local.get $off))))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (local.set $off (i32.add (local.get $off) (i32.add (i32.const 24) (local.get $len))))
          (br $entries)))
      (local.set $calls (i32.add (local.get $calls) (i32.const 1)))
      (if (i32.gt_u (local.get $calls) (i32.const 100)) (then (call $proc_exit (i32.const 12))))
      (if (i32.eq (local.get $used) (local.get $size))
        (then
          ;; a full buffer without one complete entry: the caller must grow it
          (if (i32.eq (local.get $count) (local.get $before)) (then (call $proc_exit (i32.const 13))))
          (br $calls_loop))))
    (local.get $count))

  (func $cookies (local $c2 i64) (local $ino2 i64) (local $len0 i32) (local $off i32)
    ;; the whole listing in one call: ".", "..", f0..f4
    (call $expect (call $readdir (global.get $dir) (i32.const 8192) (i32.const 4096) (i64.const 0)
                    (i32.const 2056)) (i32.const 0) (i32.const 20))
    ;; the cookie after entry 1 and the inode of entry 2
    (local.set $len0 (i32.load (i32.const 8208)))
    (local.set $off (i32.add (i32.const 24) (local.get $len0)))
    (local.set $c2 (i64.load (i32.add (i32.const 8192) (local.get $off))))
    (local.set $off (i32.add (local.get $off)
                      (i32.add (i32.const 24) (i32.load (i32.add (i32.const 8208) (local.get $off))))))
    (local.set $ino2 (i64.load (i32.add (i32.const 8200) (local.get $off))))
    ;; rewinding to that cookie yields entry 2 again
    (call $expect (call $readdir (global.get $dir) (i32.const 4096) (i32.const 256) (local.get $c2)
                    (i32.const 2056)) (i32.const 0) (i32.const 21))
    (call $expect64 (i64.load (i32.const 4104)) (local.get $ino2) (i32.const 22))
    ;; tiny buffers are filled to the brim; an empty one gets nothing
    (call $expect (call $readdir (global.get $dir) (i32.const 4096) (i32.const 1) (i64.const 0)
                    (i32.const 2056)) (i32.const 0) (i32.const 23))
    (call $expect (i32.load (i32.const 2056)) (i32.const 1) (i32.const 24))
    (call $expect (call $readdir (global.get $dir) (i32.const 4096) (i32.const 23) (i64.const 0)
                    (i32.const 2056)) (i32.const 0) (i32.const 25))
    (call $expect (i32.load (i32.const 2056)) (i32.const 23) (i32.const 26))
    (call $expect (call $readdir (global.get $dir) (i32.const 4096) (i32.const 0) (i64.const 0)
                    (i32.const 2056)) (i32.const 0) (i32.const 27))
    (call $expect (i32.load (i32.const 2056)) (i32.const 0) (i32.const 28))
    ;; a cookie beyond any offset: EINVAL
    (call $expect (call $readdir (global.get $dir) (i32.const 4096) (i32.const 256) (i64.const -1)
                    (i32.const 2056)) (i32.const 28) (i32.const 29)))

  (func (export "_start")
    (call $setup)
    (call $expect (call $list (i32.const 4096)) (i32.const 7) (i32.const 30))
    (call $expect (call $list (i32.const 27)) (i32.const 7) (i32.const 31))
    (call $expect (call $list (i32.const 40)) (i32.const 7) (i32.const 32))
    (call $expect (call $list (i32.const 64)) (i32.const 7) (i32.const 33))
    (call $cookies)
    (call $expect (call $fd_close (global.get $dir)) (i32.const 0) (i32.const 34)))
)
