// nn_rust.rs — a Rust guest (std, wasm32-wasi) that drives wasi_ephemeral_nn the
// way the `wasi-nn` 0.6 crate does: the model file is read through WASI by
// std::fs and passed to `load` (or named for `load_by_name`), the input tensor
// is read from a file, and the output is written back with std::fs.
//
// Usage: nn_rust (--model-file PATH | --model-name NAME) INPUT.bin OUTPUT.bin D0,D1,...
// It checks that the runtime provides what Rust's std uses at start-up
// (args, environ, preopens) and for files (path_open, fd_filestat_get,
// fd_read, fd_write), and exits non-zero on any failure.
use std::convert::TryInto;
use std::process::exit;

#[repr(C)]
struct Tensor {
    dims_ptr: *const u32,
    dims_len: u32,
    ty: u8, // f32 = 1 in the witx order the 0.6 crate uses
    data_ptr: *const u8,
    data_len: u32,
}

#[repr(C)]
struct Builder {
    ptr: *const u8,
    len: u32,
}

#[link(wasm_import_module = "wasi_ephemeral_nn")]
extern "C" {
    fn load(builders: *const Builder, n: u32, encoding: u32, target: u32, graph: *mut u32) -> u32;
    fn load_by_name(name: *const u8, len: u32, graph: *mut u32) -> u32;
    fn init_execution_context(graph: u32, ctx: *mut u32) -> u32;
    fn set_input(ctx: u32, index: u32, tensor: *const Tensor) -> u32;
    fn compute(ctx: u32) -> u32;
    fn get_output(ctx: u32, index: u32, buf: *mut u8, cap: u32, written: *mut u32) -> u32;
}

fn check(what: &str, errno: u32) {
    if errno != 0 {
        eprintln!("nn_rust: {} failed with errno {}", what, errno);
        exit(1);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 6 {
        eprintln!("usage: nn_rust (--model-file PATH | --model-name NAME) INPUT OUTPUT DIMS");
        exit(2);
    }
    let dims: Vec<u32> = args[5].split(',').map(|d| d.parse().expect("dims")).collect();
    let input = std::fs::read(&args[3]).unwrap_or_else(|e| {
        eprintln!("nn_rust: cannot read {}: {}", args[3], e);
        exit(1)
    });
    let mut graph = 0u32;
    let written = unsafe {
        if args[1] == "--model-file" {
            let bytes = std::fs::read(&args[2]).unwrap_or_else(|e| {
                eprintln!("nn_rust: cannot read {}: {}", args[2], e);
                exit(1)
            });
            let b = Builder { ptr: bytes.as_ptr(), len: bytes.len() as u32 };
            check("load", load(&b, 1, 3, 0, &mut graph));
        } else {
            let name = args[2].as_bytes();
            check("load_by_name", load_by_name(name.as_ptr(), name.len() as u32, &mut graph));
        }
        let mut ctx = 0u32;
        check("init_execution_context", init_execution_context(graph, &mut ctx));
        let t = Tensor {
            dims_ptr: dims.as_ptr(),
            dims_len: dims.len() as u32,
            ty: 1,
            data_ptr: input.as_ptr(),
            data_len: input.len() as u32,
        };
        check("set_input", set_input(ctx, 0, &t));
        check("compute", compute(ctx));
        // Ask for the size first, as a guest with no idea of the output would.
        let mut needed = 0u32;
        let rc = get_output(ctx, 0, std::ptr::null_mut(), 0, &mut needed);
        if rc != 7 || needed == 0 {
            eprintln!("nn_rust: get_output into an empty buffer gave errno {} size {}", rc, needed);
            exit(1);
        }
        let mut out = vec![0u8; needed.try_into().unwrap()];
        let mut written = 0u32;
        check("get_output", get_output(ctx, 0, out.as_mut_ptr(), needed, &mut written));
        out.truncate(written as usize);
        std::fs::write(&args[4], &out).unwrap_or_else(|e| {
            eprintln!("nn_rust: cannot write {}: {}", args[4], e);
            exit(1)
        });
        written
    };
    println!("nn_rust: ok, {} output bytes", written);
}
