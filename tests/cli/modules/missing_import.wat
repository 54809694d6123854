(module (import "env" "host_magic" (func)) (func (export "_start")))
