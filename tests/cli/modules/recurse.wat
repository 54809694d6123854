;; Recurses without bound: must trap with "call stack exhausted", not crash the host.
(module
  (func $down (export "_start") (param) (call $down)))
