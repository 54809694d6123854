;; mixed.wat — module A of test_aot_api.c: called natively, from the host,
;; from interpreted code, and calling back out through a host import.
(module
  (import "host" "cb" (func $cb (param i32) (result i32)))
  (func $add1 (export "add1") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "viahost") (param i32) (result i32) (call $cb (local.get 0)))
  (func (export "boom") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func (export "vswap") (param v128) (result v128)
    (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get 0) (local.get 0))))
