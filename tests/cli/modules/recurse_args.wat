;; Unbounded recursion with a large frame, so the value stack runs out too.
(module
  (func $down (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (call $down (local.get 0) (local.get 1) (local.get 2) (local.get 3)
                (local.get 4) (local.get 5) (local.get 6) (local.get 7)))
  (func (export "_start") (drop (call $down (i64.const 1) (i64.const 2) (i64.const 3)
    (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7) (i64.const 8)))))
