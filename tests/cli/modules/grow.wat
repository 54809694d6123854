;; Grows memory by 64 pages (4 MiB) and exits with 0 if that worked, 3 if
;; memory.grow answered -1; anything else is a bug.
(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start")
    (local $old i32)
    (local.set $old (memory.grow (i32.const 64)))
    (if (i32.eq (local.get $old) (i32.const -1)) (then (call $exit (i32.const 3))))
    (if (i32.ne (local.get $old) (i32.const 1)) (then (call $exit (i32.const 4))))
    ;; the new pages must be usable
    (i32.store (i32.const 4194300) (i32.const 7))
    (call $exit (i32.sub (i32.load (i32.const 4194300)) (i32.const 7)))))
