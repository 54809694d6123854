;; clang-14's guard around a signed float-to-int cast, |x| < 2^N ? (int)x : INT_MIN,
;; which the AOT tier translates whole (src/aot/emit_idiom.c), and near misses that
;; must keep the literal meaning. Expected values agree with wabt's reference
;; interpreter; run through both tiers by CTest.
(module
  (func (export "i32_f32") (param f32) (result i32) (local f32)
    block (result i32)
      local.get 0
      local.tee 1
      f32.abs
      f32.const 0x1p+31
      f32.lt
      if
        local.get 1
        i32.trunc_f32_s
        br 1
      end
      i32.const 0x80000000
    end)
  (func (export "i32_f64") (param f64) (result i32) (local f64)
    block (result i32)
      local.get 0
      local.tee 1
      f64.abs
      f64.const 0x1p+31
      f64.lt
      if
        local.get 1
        i32.trunc_f64_s
        br 1
      end
      i32.const 0x80000000
    end)
  (func (export "i64_f32") (param f32) (result i64) (local f32)
    block (result i64)
      local.get 0
      local.tee 1
      f32.abs
      f32.const 0x1p+63
      f32.lt
      if
        local.get 1
        i64.trunc_f32_s
        br 1
      end
      i64.const 0x8000000000000000
    end)
  (func (export "i64_f64") (param f64) (result i64) (local f64)
    block (result i64)
      local.get 0
      local.tee 1
      f64.abs
      f64.const 0x1p+63
      f64.lt
      if
        local.get 1
        i64.trunc_f64_s
        br 1
      end
      i64.const 0x8000000000000000
    end)
  ;; The local the cast tees must still be written; the block sits mid-expression.
  (func (export "tee_kept") (param f32) (result i32) (local f32)
    i32.const 1000
    block (result i32)
      local.get 0
      f32.const 2
      f32.mul
      local.tee 1
      f32.abs
      f32.const 0x1p+31
      f32.lt
      if
        local.get 1
        i32.trunc_f32_s
        br 1
      end
      i32.const 0x80000000
    end
    i32.add
    local.get 1
    i32.trunc_sat_f32_s
    i32.add)
  ;; Near misses: a smaller bound, another fallback, another local, f32.le,
  ;; code after the fallback.
  (func (export "bound30") (param f32) (result i32) (local f32)
    block (result i32)
      local.get 0
      local.tee 1
      f32.abs
      f32.const 0x1p+30
      f32.lt
      if
        local.get 1
        i32.trunc_f32_s
        br 1
      end
      i32.const 0x80000000
    end)
  (func (export "fallback7") (param f32) (result i32) (local f32)
    block (result i32)
      local.get 0
      local.tee 1
      f32.abs
      f32.const 0x1p+31
      f32.lt
      if
        local.get 1
        i32.trunc_f32_s
        br 1
      end
      i32.const 7
    end)
  (func (export "other_local") (param f32) (result i32) (local f32)
    block (result i32)
      local.get 0
      f32.const 2
      f32.mul
      local.tee 1
      f32.abs
      f32.const 0x1p+31
      f32.lt
      if
        local.get 0
        i32.trunc_f32_s
        br 1
      end
      i32.const 0x80000000
    end)
  (func (export "le") (param f32) (result i32) (local f32)
    block (result i32)
      local.get 0
      local.tee 1
      f32.abs
      f32.const 0x1p+31
      f32.le
      if
        local.get 1
        i32.trunc_f32_s
        br 1
      end
      i32.const 0x80000000
    end)
  (func (export "tail") (param f32) (result i32) (local f32)
    block (result i32)
      local.get 0
      local.tee 1
      f32.abs
      f32.const 0x1p+31
      f32.lt
      if
        local.get 1
        i32.trunc_f32_s
        br 1
      end
      i32.const 0x80000000
      i32.const 1
      i32.add
    end)
)

(assert_return (invoke "i32_f32" (f32.const 1.5)) (i32.const 1))
(assert_return (invoke "i32_f32" (f32.const -1.5)) (i32.const -1))
(assert_return (invoke "i32_f32" (f32.const -0.0)) (i32.const 0))
(assert_return (invoke "i32_f32" (f32.const 0x1.fffffep+30)) (i32.const 2147483520))
(assert_return (invoke "i32_f32" (f32.const -0x1.fffffep+30)) (i32.const -2147483520))
(assert_return (invoke "i32_f32" (f32.const 0x1p+31)) (i32.const 0x80000000))
(assert_return (invoke "i32_f32" (f32.const -0x1p+31)) (i32.const 0x80000000))
(assert_return (invoke "i32_f32" (f32.const 1e30)) (i32.const 0x80000000))
(assert_return (invoke "i32_f32" (f32.const inf)) (i32.const 0x80000000))
(assert_return (invoke "i32_f32" (f32.const -inf)) (i32.const 0x80000000))
(assert_return (invoke "i32_f32" (f32.const nan)) (i32.const 0x80000000))
(assert_return (invoke "i32_f32" (f32.const -nan:0x200001)) (i32.const 0x80000000))

(assert_return (invoke "i32_f64" (f64.const 2147483647.9)) (i32.const 2147483647))
(assert_return (invoke "i32_f64" (f64.const -2147483647.9)) (i32.const -2147483647))
(assert_return (invoke "i32_f64" (f64.const -2147483648.5)) (i32.const 0x80000000))
(assert_return (invoke "i32_f64" (f64.const 2147483648)) (i32.const 0x80000000))
(assert_return (invoke "i32_f64" (f64.const -0.75)) (i32.const 0))
(assert_return (invoke "i32_f64" (f64.const nan)) (i32.const 0x80000000))
(assert_return (invoke "i32_f64" (f64.const -inf)) (i32.const 0x80000000))

(assert_return (invoke "i64_f32" (f32.const 0x1.fffffep+62)) (i64.const 9223371487098961920))
(assert_return (invoke "i64_f32" (f32.const -0x1.fffffep+62)) (i64.const -9223371487098961920))
(assert_return (invoke "i64_f32" (f32.const 0x1p+63)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64_f32" (f32.const -0x1p+63)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64_f32" (f32.const -1.9)) (i64.const -1))
(assert_return (invoke "i64_f32" (f32.const nan)) (i64.const 0x8000000000000000))

(assert_return (invoke "i64_f64" (f64.const 0x1.fffffffffffffp+62)) (i64.const 9223372036854774784))
(assert_return (invoke "i64_f64" (f64.const 0x1p+63)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64_f64" (f64.const -2.5)) (i64.const -2))
(assert_return (invoke "i64_f64" (f64.const 1e300)) (i64.const 0x8000000000000000))
(assert_return (invoke "i64_f64" (f64.const -nan)) (i64.const 0x8000000000000000))

(assert_return (invoke "tee_kept" (f32.const 3.25)) (i32.const 1012))
(assert_return (invoke "tee_kept" (f32.const 0x1p+31)) (i32.const 999))

(assert_return (invoke "bound30" (f32.const 0x1p+30)) (i32.const 0x80000000))
(assert_return (invoke "bound30" (f32.const 0x1.fffffep+29)) (i32.const 1073741760))
(assert_return (invoke "fallback7" (f32.const nan)) (i32.const 7))
(assert_return (invoke "fallback7" (f32.const -0x1p+31)) (i32.const 7))
(assert_return (invoke "other_local" (f32.const 3)) (i32.const 3))
(assert_return (invoke "other_local" (f32.const 0x1.8p+30)) (i32.const 0x80000000))
(assert_trap (invoke "le" (f32.const 0x1p+31)) "integer overflow")
(assert_return (invoke "le" (f32.const -0x1p+31)) (i32.const 0x80000000))
(assert_return (invoke "tail" (f32.const nan)) (i32.const 0x80000001))
(assert_return (invoke "tail" (f32.const 5.5)) (i32.const 5))
