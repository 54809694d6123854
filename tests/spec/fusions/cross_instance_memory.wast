;; Calls between instances that each read their own memory in one invocation.
;; Through the AOT tier the callee's memory base (the gs segment base on x86-64)
;; must be set for the callee and put back for the caller, also when the callee
;; traps or calls back into the caller. Expected values agree with wabt's
;; reference interpreter; run through both tiers by CTest.
(module $A
  (memory 1)
  (data (i32.const 0) "\11\12\13\14")
  (global $hits (mut i32) (i32.const 0))
  (func (export "load") (param i32) (result i32)
    (global.set $hits (i32.add (global.get $hits) (i32.const 1)))
    (i32.load8_u (local.get 0)))
  (func (export "oob") (result i32)
    (i32.load (i32.const 65534)))
  (func (export "store") (param i32 i32)
    (i32.store8 (local.get 0) (local.get 1))))
(register "A" $A)

(module $B
  (import "A" "load" (func $loadA (param i32) (result i32)))
  (import "A" "oob" (func $oobA (result i32)))
  (import "A" "store" (func $storeA (param i32 i32)))
  (type $t (func (param i32) (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $loadA $loadB)
  (memory 1)
  (data (i32.const 0) "\21\22\23\24")
  (func $loadB (param i32) (result i32) (i32.load8_u (local.get 0)))
  ;; B's byte, A's byte, B's byte again: 0x21 0x12 0x23
  (func (export "mix") (result i32)
    (i32.or (i32.or
      (i32.shl (i32.load8_u (i32.const 0)) (i32.const 16))
      (i32.shl (call $loadA (i32.const 1)) (i32.const 8)))
      (i32.load8_u (i32.const 2))))
  ;; The same through the table, in a loop: A, B, A, B
  (func (export "mix_indirect") (result i32)
    (local $i i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (i32.shl (local.get $acc) (i32.const 8))
        (call_indirect (type $t) (local.get $i) (i32.and (local.get $i) (i32.const 1)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 4))))
    (local.get $acc))
  ;; A writes its memory, B's is unchanged
  (func (export "store_then_load") (result i32)
    (call $storeA (i32.const 3) (i32.const 0x7f))
    (i32.add (i32.load8_u (i32.const 3)) (i32.shl (call $loadA (i32.const 3)) (i32.const 8))))
  (func (export "trap_in_A") (result i32)
    (drop (i32.load8_u (i32.const 0)))
    (call $oobA))
  (func (export "own") (param i32) (result i32) (i32.load8_u (local.get 0))))

(assert_return (invoke "mix") (i32.const 0x211223))
(assert_return (invoke "mix_indirect") (i32.const 0x11221324))
(assert_return (invoke "store_then_load") (i32.const 0x7f24))
(assert_trap (invoke "trap_in_A") "out of bounds memory access")
;; After a trap in A the next call into B reads B's memory.
(assert_return (invoke "own" (i32.const 1)) (i32.const 0x22))
(assert_return (invoke "mix") (i32.const 0x211223))
(assert_return (invoke $A "load" (i32.const 0)) (i32.const 0x11))
