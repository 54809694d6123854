;; user.wat — module B/C of test_aot_api.c: imports A's functions; run
;; interpreted (B) and natively (C) to cross the tier boundary both ways.
(module
  (import "a" "add1" (func $add1 (param i32) (result i32)))
  (import "a" "boom" (func $boom (param i32) (result i32)))
  (func (export "twice") (param i32) (result i32) (call $add1 (call $add1 (local.get 0))))
  (func (export "boom") (param i32) (result i32) (call $boom (local.get 0))))
