;; One export per trap kind, reached with --invoke; _start hits unreachable
;; one call deep, so the report must name the callee, not _start.
(module
  (memory 1)
  (func $unreachable (export "unreachable") unreachable)
  (func $oob (export "oob") (result i32) (i32.load (i32.const 65535)))
  (func $div (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
  (func (export "_start") (call $unreachable)))
