// fs_std.rs — a Rust std guest (wasm32-wasi) run unmodified under a preopen:
// std::fs (create_dir_all, write, read, read_dir, rename, remove_file,
// remove_dir_all, metadata, symlink_metadata, read_link, OpenOptions append,
// set_len, hard_link, errors for escapes through the driver's planted links), std::env (args, vars) and the
// read-only grant. Rust's std opens files with rights, lookup flags and
// fdflags that wasi-libc never uses, and reads directories with small
// buffers resumed by cookie, which is the point of this test.
//
// Usage (grants: /sandbox rw, /ro read-only holding data.txt = "hello"):
//   fs_std ARG1 "two words"      with --env FS_STD=yes
// Prints "fs_std: N checks, 0 failed" and exits 0 when all checks pass.
use std::env;
use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Read, Seek, SeekFrom, Write};
use std::process::exit;

struct Checker {
    checks: u32,
    failures: u32,
}

impl Checker {
    fn check(&mut self, ok: bool, what: &str) {
        self.checks += 1;
        if !ok {
            self.failures += 1;
            println!("FAIL: {}", what);
        }
    }
}

macro_rules! check {
    ($c:expr, $e:expr) => {
        $c.check($e, stringify!($e))
    };
}

fn args_and_env(c: &mut Checker) {
    let args: Vec<String> = env::args().collect();
    check!(c, args.len() == 3);
    check!(c, args.get(1).map(String::as_str) == Some("ARG1"));
    check!(c, args.get(2).map(String::as_str) == Some("two words"));
    check!(c, env::var("FS_STD").as_deref() == Ok("yes"));
    check!(c, env::var("HOME").is_err());
    check!(c, env::vars().count() == 1);
}

fn files(c: &mut Checker) -> std::io::Result<()> {
    fs::create_dir_all("/sandbox/a/b/c")?;
    check!(c, fs::metadata("/sandbox/a/b/c")?.is_dir());
    fs::write("/sandbox/a/b/c/file.txt", b"first line\n")?;
    let mut f = OpenOptions::new().append(true).open("/sandbox/a/b/c/file.txt")?;
    f.write_all(b"second line\n")?;
    drop(f);
    check!(c, fs::read_to_string("/sandbox/a/b/c/file.txt")? == "first line\nsecond line\n");
    let md = fs::metadata("/sandbox/a/b/c/file.txt")?;
    check!(c, md.is_file() && md.len() == 23);
    check!(c, md.modified().is_ok() && md.accessed().is_ok());
    // read + write + seek + set_len through one handle
    let mut f = OpenOptions::new().read(true).write(true).open("/sandbox/a/b/c/file.txt")?;
    f.seek(SeekFrom::Start(6))?;
    f.write_all(b"LINE")?;
    f.seek(SeekFrom::Start(0))?;
    let mut s = String::new();
    f.read_to_string(&mut s)?;
    check!(c, s == "first LINE\nsecond line\n");
    f.set_len(5)?;
    check!(c, f.metadata()?.len() == 5);
    f.sync_all()?;
    drop(f);
    // create_new refuses an existing file
    let e = OpenOptions::new().write(true).create_new(true).open("/sandbox/a/b/c/file.txt");
    check!(c, e.map_err(|e| e.kind()).err() == Some(ErrorKind::AlreadyExists));
    // rename, hard link, symlink
    fs::rename("/sandbox/a/b/c/file.txt", "/sandbox/a/moved.txt")?;
    check!(c, fs::metadata("/sandbox/a/b/c/file.txt").is_err());
    fs::hard_link("/sandbox/a/moved.txt", "/sandbox/a/hard.txt")?;
    check!(c, fs::read("/sandbox/a/hard.txt")? == b"first");
    // links the driver planted: readable as links, never followed out
    check!(c, fs::symlink_metadata("/sandbox/up")?.file_type().is_symlink());
    check!(c, fs::read_link("/sandbox/up")?.to_str() == Some("../outside"));
    check!(c, fs::read_link("/sandbox/etc_link")?.to_str() == Some("/etc"));
    check!(c, fs::read("/sandbox/canary_link").is_err());
    check!(c, fs::read_dir("/sandbox/up").is_err());
    check!(c, fs::read("/sandbox/etc_link/passwd").is_err());
    check!(c, fs::metadata("/sandbox/up").is_err());
    Ok(())
}

fn directories(c: &mut Checker) -> std::io::Result<()> {
    // enough entries with long names that read_dir needs several calls
    fs::create_dir("/sandbox/many")?;
    for i in 0..120 {
        fs::write(format!("/sandbox/many/entry_with_a_rather_long_name_{:03}", i), i.to_string())?;
    }
    let mut names: Vec<String> = fs::read_dir("/sandbox/many")?
        .map(|e| e.map(|e| e.file_name().into_string().unwrap_or_default()))
        .collect::<Result<_, _>>()?;
    names.sort();
    check!(c, names.len() == 120);
    check!(c, names.first().map(String::as_str) == Some("entry_with_a_rather_long_name_000"));
    check!(c, names.last().map(String::as_str) == Some("entry_with_a_rather_long_name_119"));
    let types_ok = fs::read_dir("/sandbox/a")?
        .filter_map(Result::ok)
        .all(|e| e.file_type().map(|t| t.is_dir() || t.is_file() || t.is_symlink()).unwrap_or(false));
    check!(c, types_ok);
    // removal
    check!(c, fs::remove_dir("/sandbox/many").map_err(|e| e.raw_os_error()).is_err());
    fs::remove_file("/sandbox/a/hard.txt")?;
    fs::remove_dir_all("/sandbox/many")?;
    fs::remove_dir_all("/sandbox/a")?;
    check!(c, fs::metadata("/sandbox/a").is_err());
    check!(c, fs::read_dir("/sandbox")?.count() == 0 || fs::read_dir("/sandbox")?.all(|e| {
        e.map(|e| !e.file_name().to_string_lossy().starts_with('a')).unwrap_or(false)
    }));
    Ok(())
}

fn sandbox(c: &mut Checker) {
    check!(c, fs::read_to_string("/ro/data.txt").ok().as_deref() == Some("hello"));
    check!(c, fs::write("/ro/data.txt", b"x").is_err());
    check!(c, fs::create_dir("/ro/newdir").is_err());
    check!(c, fs::remove_file("/ro/data.txt").is_err());
    check!(c, fs::read_to_string("/ro/data.txt").ok().as_deref() == Some("hello"));
    check!(c, fs::read("/etc/passwd").is_err());
    check!(c, fs::read("/sandbox/../outside/canary.txt").is_err());
    check!(c, fs::metadata("/").is_err());
}

fn main() {
    let mut c = Checker { checks: 0, failures: 0 };
    args_and_env(&mut c);
    if let Err(e) = files(&mut c) {
        c.check(false, &format!("files: {}", e));
    }
    if let Err(e) = directories(&mut c) {
        c.check(false, &format!("directories: {}", e));
    }
    sandbox(&mut c);
    println!("fs_std: {} checks, {} failed", c.checks, c.failures);
    exit(if c.failures == 0 { 0 } else { 1 });
}
