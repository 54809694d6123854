;; Runs forever: only --timeout can stop it.
(module (func (export "_start") (loop $forever (br $forever))))
