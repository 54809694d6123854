;; guest.wat — a small WASI module for the AOT CLI tests (cli_test.sh):
;; output through fd_write, an exit code through proc_exit, and one export
;; per trap kind so both tiers can be compared message for message.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1 2)
  (data (i32.const 16) "hello from aot\n")
  (global $counter (mut i32) (i32.const 0))
  (table 2 funcref)
  (elem (i32.const 0) $fib)

  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_s (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                     (call $fib (i32.sub (local.get $n) (i32.const 2)))))))

  ;; sum of i*i for i < n in f64, through memory and a global
  (func (export "sumsq") (param $n i32) (result f64)
    (local $i i32) (local $acc f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (f64.store (i32.const 64) (f64.convert_i32_u (i32.mul (local.get $i) (local.get $i))))
        (local.set $acc (f64.add (local.get $acc) (f64.load (i32.const 64))))
        (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $acc))

  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "oob") (param i32) (result i32) (i32.load offset=8 (local.get 0)))
  (func (export "unreachable") (unreachable))
  (func (export "indirect") (param i32) (result i32)
    (call_indirect (param i32) (result i32) (i32.const 10) (local.get 0)))
  (func $spin (export "spin") (loop $l (br $l)))
  (func $deep (export "deep") (param i32) (result i32)
    (i32.add (call $deep (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))

  (func (export "_start")
    ;; iovec at 0: {ptr 16, len 15}
    (i32.store (i32.const 0) (i32.const 16))
    (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $proc_exit (call $fib (i32.const 10)))))
