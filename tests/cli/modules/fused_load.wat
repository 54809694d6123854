;; Loads whose address is an add the interpreter fuses into the load
;; (i32.add, add of a constant, sub of a constant). Each export traps out
;; of bounds; the trap must name the load's own byte offset, exactly as the
;; AOT tier (with explicit bounds checks) reports it.
(module
  (memory 1)
  (func (export "add") (param i32 i32) (result i32)
    (i32.load offset=4 (i32.add (local.get 0) (local.get 1))))
  (func (export "addimm") (param i32) (result i32)
    (nop) (nop)
    (i32.load (i32.add (local.get 0) (i32.const 65533))))
  (func (export "subimm") (param i32) (result i32)
    (i32.load8_u offset=65536 (i32.sub (local.get 0) (i32.const 1)))))
