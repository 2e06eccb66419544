//! The dist build's processor check (src/cpu_check.s), run for real: a small program holding
//! the check, compiled for x86-64-v3 as `cargo dist` compiles chitieu, under qemu's user-mode
//! emulation of older processors. On a Nehalem (no AVX) and a Sandy Bridge (AVX, no AVX2) it
//! must refuse with the message and exit 2 before any code of its own runs, where without the
//! check it would stop with "illegal instruction"; on a Haswell (x86-64-v3) it runs. And the
//! portable chitieu, the default build, runs on the Nehalem. (qemu's emulator runs AVX2
//! instructions whatever model it is told, so what fails on a real old processor may run here:
//! what this proves is that the check reads the processor's features and refuses first.)
//!
//! Needs `qemu-x86_64` (Debian's qemu-user, which .ci/run installs) and rustc; without qemu
//! the test says so and passes, except under CI, where it fails.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_chitieu");

fn qemu() -> Option<PathBuf> {
    let found = Command::new("qemu-x86_64").arg("--version").output();
    match found {
        Ok(o) if o.status.success() => Some(PathBuf::from("qemu-x86_64")),
        _ => {
            assert!(
                std::env::var_os("CI").is_none(),
                "qemu-x86_64 is missing (apt-get install qemu-user); CI needs it for this test"
            );
            eprintln!("skipped: qemu-x86_64 is not installed (apt-get install qemu-user)");
            None
        }
    }
}

/// `program` run by qemu as processor `cpu`.
fn on(qemu: &Path, cpu: &str, program: &Path, args: &[&str]) -> Output {
    Command::new(qemu)
        .args(["-cpu", cpu])
        .arg(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run qemu: {e}"))
}

/// A program holding the check, compiled with `-C target-cpu=x86-64-v3` into `dir`.
fn v3_program(dir: &Path) -> PathBuf {
    let check = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/cpu_check.s");
    let source = dir.join("probe.rs");
    std::fs::write(
        &source,
        format!(
            "std::arch::global_asm!(include_str!({:?}));\n\
             fn main() {{\n\
                 use std::arch::x86_64::*;\n\
                 let x = unsafe {{ _mm256_set1_epi32(std::hint::black_box(1)) }};\n\
                 let y = unsafe {{ _mm256_add_epi32(x, x) }};\n\
                 let mut out = [0i32; 8];\n\
                 unsafe {{ _mm256_storeu_si256(out.as_mut_ptr().cast(), y) }};\n\
                 println!(\"ran {{}}\", out.iter().sum::<i32>());\n\
             }}\n",
            check.display().to_string()
        ),
    )
    .unwrap();
    let program = dir.join("probe");
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let built = Command::new(rustc)
        .args([
            "--edition",
            "2021",
            "-O",
            "-C",
            "target-cpu=x86-64-v3",
            "-o",
        ])
        .arg(&program)
        .arg(&source)
        .output()
        .unwrap_or_else(|e| panic!("cannot run rustc: {e}"));
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    program
}

#[test]
fn a_v3_build_refuses_an_older_processor_and_runs_on_a_v3_one() {
    let Some(qemu) = qemu() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let program = v3_program(dir.path());
    for old in ["Nehalem", "SandyBridge"] {
        let run = on(&qemu, old, &program, &[]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{old}: {stderr}");
        assert!(
            stderr.contains("error: this chitieu was built for x86-64-v3 processors")
                && stderr.contains("`cargo build --release`"),
            "{old}: {stderr}"
        );
        assert!(run.stdout.is_empty(), "{old}: the program's own code ran");
    }
    let run = on(&qemu, "Haswell", &program, &[]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    // its AVX2 code ran: eight lanes of 1 + 1
    assert_eq!(String::from_utf8_lossy(&run.stdout), "ran 16\n");
}

#[test]
fn the_portable_build_runs_on_an_older_processor() {
    let Some(qemu) = qemu() else {
        return;
    };
    let run = on(&qemu, "Nehalem", Path::new(BIN), &["--version"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("chitieu "));
}
