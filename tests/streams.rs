//! What reaches the user when the output cannot be written (SPEC §9): a full disk or a failed
//! write is an I/O error, exit status 2, naming what could not be written; a pipe closed by its
//! reader (`chitieu score | head -1`) ends the run quietly — no panic, no error text.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chitieu() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chitieu"));
    cmd.current_dir(root());
    cmd
}

fn full() -> std::fs::File {
    std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap_or_else(|e| panic!("/dev/full: {e}"))
}

/// Runs `cmd` with stdout on /dev/full: every write to it fails with "no space left".
fn with_full_stdout(cmd: &mut Command) -> (Option<i32>, String) {
    let o = cmd
        .stdout(full())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

#[test]
fn a_full_disk_on_stdout_is_exit_2_naming_it() {
    let mini = root().join("tests/fixtures/mini/catalogue");
    let cases: Vec<Vec<std::ffi::OsString>> = vec![
        vec![
            "sql".into(),
            "--dialect".into(),
            "duckdb".into(),
            "--catalogue".into(),
            mini.clone().into(),
        ],
        vec!["check".into(), "--explain".into(), "E121".into()],
        vec!["check".into(), mini.clone().into()],
        vec![
            "explain".into(),
            "truc-tuyen".into(),
            "--catalogue".into(),
            mini.into(),
        ],
    ];
    for args in cases {
        let (status, stderr) = with_full_stdout(chitieu().args(&args));
        assert_eq!(status, Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output")
                && stderr.contains("No space left on device"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

#[test]
fn a_full_disk_on_stderr_is_exit_2_without_a_panic() {
    // the definitions have errors: the diagnostics go to stdout, the summary to stderr
    let o = chitieu()
        .args([
            "score",
            "--no-history",
            "--catalogue",
            "tests/cmd/several-errors.in/cat",
            "--data",
        ])
        .arg(root().join("tests/fixtures/mini/data"))
        .stderr(full())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn an_output_directory_that_cannot_be_made_is_exit_2_naming_it() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // a file where the output directory should be
    let blocked = out.path().join("blocked");
    std::fs::write(&blocked, "").unwrap_or_else(|e| panic!("{e}"));
    let target: PathBuf = blocked.join("out");
    let o = chitieu()
        .args([
            "score",
            "--no-history",
            "--no-charts",
            "--period",
            "2026-02",
            "--catalogue",
        ])
        .arg(root().join("tests/fixtures/mini/catalogue"))
        .arg("--data")
        .arg(root().join("tests/fixtures/mini/data"))
        .arg("--out")
        .arg(&target)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&*target.to_string_lossy()), "{stderr}");
}

/// Starts `cmd` with stdout piped, reads `lines` lines, closes the pipe and waits: the run
/// must end quietly — status 0 or killed by SIGPIPE, like `cat` — with nothing on stderr.
fn close_after(cmd: &mut Command, lines: usize) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut reader = BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(!line.is_empty(), "the command ended before {lines} lines");
    }
    drop(reader);
    let o = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    quiet_status(o.status);
}

fn quiet_status(status: std::process::ExitStatus) {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert!(
            status.code() == Some(0) || status.signal() == Some(13),
            "{status:?}"
        );
    }
    #[cfg(not(unix))]
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_closed_pipe_ends_score_quietly() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // scorecard.json on stdout: far more than a pipe holds
    close_after(
        chitieu()
            .args([
                "score",
                "--no-history",
                "--no-charts",
                "--format",
                "json",
                "--out",
            ])
            .arg(out.path()),
        1,
    );
}

#[test]
fn a_closed_pipe_ends_check_quietly() {
    // a catalogue with a thousand invalid ids: a long report
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("catalogue.toml"),
        "id = \"nhieu-loi\"\ntitle = \"Nhiều lỗi\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut f =
        std::fs::File::create(dir.path().join("chi-tieu.toml")).unwrap_or_else(|e| panic!("{e}"));
    for k in 0..1000 {
        writeln!(
            f,
            "[[indicator]]\nid = \"Sai {k}\"\nname = \"x\"\nunit = \"%\"\ndirection = \"higher\"\n[indicator.targets]\n2026 = \">= 50\"\n"
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(f);
    close_after(chitieu().arg("check").arg(dir.path()), 3);
}

#[test]
fn a_closed_pipe_on_stderr_ends_a_verbose_run_quietly() {
    // polars logs on stderr; with stdout and stderr in one pipe closed after a line, the run
    // must not panic (status 101) on polars' next log line
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let script = format!(
        "POLARS_VERBOSE=1 '{}' score --no-charts --out '{}' 2>&1 | head -1 >/dev/null; \
         echo \"${{PIPESTATUS[0]}}\"",
        env!("CARGO_BIN_EXE_chitieu"),
        out.path().display()
    );
    let o = Command::new("bash")
        .arg("-c")
        .arg(&script)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let status = String::from_utf8_lossy(&o.stdout).trim().to_string();
    // 0: done before head closed the pipe; 141: ended by SIGPIPE, as `cat` would be
    assert!(status == "0" || status == "141", "status {status}");
}

/// `POLARS_VERBOSE=1 chitieu score` once hung on national data: chitieu held stderr's lock for
/// the whole run while polars' worker threads waited to log on it. stderr is now written
/// unlocked (a write takes the lock only for itself); the run with both polars' log and
/// chitieu's own timings on one stderr pipe, read as it comes, must end by itself with the
/// outputs written. The deadline only stops a hung run: it is minutes above a debug build's
/// time, not a speed target.
#[test]
fn a_verbose_run_logs_and_finishes() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut child = chitieu()
        .args(["score", "--no-history", "--no-charts", "--out"])
        .arg(out.path())
        .env("POLARS_VERBOSE", "1")
        .env("CHITIEU_TIMINGS", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = child.stderr.take().unwrap_or_else(|| panic!("no stderr"));
    let reader = std::thread::spawn(move || {
        BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
            .collect::<Vec<String>>()
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(600);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap_or_else(|e| panic!("{e}")) {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            panic!("POLARS_VERBOSE=1 chitieu score did not end in 10 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let lines = reader.join().unwrap_or_else(|_| panic!("stderr reader"));
    assert_eq!(status.code(), Some(0), "{}", lines.join("\n"));
    // polars' own log (its plan and its Parquet scan) and chitieu's timings, interleaved
    assert!(
        lines.iter().any(|l| l.contains("parquet")),
        "{}",
        lines.join("\n")
    );
    assert!(lines.iter().any(|l| l.starts_with("timing: outputs")));
    assert!(out.path().join("scorecard.json").exists());
}
