//! `chitieu collect` as a transaction, through real processes: two runs into one data directory
//! at once lose no row, and a run killed at any point — at each step of the commit by the test
//! hook, and at random moments by SIGKILL — leaves the directory exactly as before or exactly as
//! after, finished or undone by the next run, with nothing left behind.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[path = "support/fill.rs"]
#[allow(dead_code)] // this test types numbers only
mod fill;
use fill::{edit, Typed};

/// The names a commit leaves in a data directory (src/data/commit.rs pins them): its lock file,
/// and the staging directory of a commit in progress.
const LOCK_FILE: &str = ".chitieu.lock";
const STAGING_DIR: &str = ".chitieu-commit";

/// The steps of a commit in order, as the test hook `CHITIEU_TEST_ABORT_AT` names them
/// (src/cli.rs; src/data/commit.rs pins the same list).
const STEPS: [&str; 4] = ["staged", "journaled", "first-applied", "applied"];

const MINI: &str = "tests/fixtures/mini";

const REPORTS: &str = r#"
[[report]]
id = "bc-thang"
name = "Báo cáo tháng"
from = { levels = ["xa"] }
carries = ["*"]
due = "Định kỳ trước ngày 10 hàng tháng"
"#;

fn s(p: &Path) -> &str {
    p.to_str().unwrap_or_else(|| panic!("non-UTF-8 path {p:?}"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
        }
    }
}

/// The template: the mini catalogue with a monthly report, its data (with the secret the forms
/// are signed with) and, for each of two months, the four units' forms filled.
struct Template {
    root: PathBuf,
}

/// The template, made once for the tests of this file (they copy what they change).
fn template() -> &'static Template {
    static T: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    T.get_or_init(Template::new)
}

impl Template {
    /// In cargo's directory for test files (a static is never dropped, so not a temporary
    /// directory): this run's, the last run's removed first.
    fn new() -> Template {
        let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("commit");
        if root.exists() {
            std::fs::remove_dir_all(&root).unwrap();
        }
        copy_dir(&Path::new(MINI).join("catalogue"), &root.join("catalogue"));
        std::fs::write(root.join("catalogue/reports.toml"), REPORTS).unwrap();
        let data = root.join("data");
        copy_dir(&Path::new(MINI).join("data"), &data);
        let t = Template { root };
        for (k, month) in ["2026-03", "2026-04"].iter().enumerate() {
            let blank = t.root.join(format!("blank-{month}"));
            let (code, _, stderr) = chitieu(&[
                "form",
                "--period",
                month,
                "--catalogue",
                s(&t.catalogue()),
                "--data",
                s(&data),
                "--out",
                s(&blank),
            ]);
            assert_eq!(code, 0, "{stderr}");
            let filled = t.forms(month);
            std::fs::create_dir_all(&filled).unwrap();
            for unit in ["tinh", "xa-a", "xa-b", "xa-c"] {
                let name = format!("{unit}-{month}.xlsx");
                // lua-dao (row 9): a count every unit reports
                edit(
                    &blank.join(&name),
                    &filled.join(&name),
                    &[("G9", Typed::Number(10.0 + k as f64))],
                    &[],
                    None,
                );
            }
        }
        t
    }

    fn catalogue(&self) -> PathBuf {
        self.root.join("catalogue")
    }

    fn forms(&self, month: &str) -> PathBuf {
        self.root.join(format!("filled-{month}"))
    }

    /// Reads `data` as every reader does (`chitieu::load_data`, under the directory's shared
    /// lock), which first finishes or undoes a commit a killed run left.
    fn read(&self, data: &Path) {
        let loaded = chitieu::load(&self.catalogue()).unwrap();
        let load = chitieu::load_data(data, &loaded.catalogue);
        assert!(load.data.is_some(), "{:?}", load.diagnostics);
    }

    /// A fresh copy of the data directory (secret included, no lock file).
    fn data_copy(&self, name: &str) -> PathBuf {
        let to = self.root.join(name);
        copy_dir(&self.root.join("data"), &to);
        std::fs::remove_file(to.join(LOCK_FILE)).ok();
        to
    }

    fn collect(&self, data: &Path, month: &str) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_chitieu"));
        c.args([
            "collect",
            s(&self.forms(month)),
            "--catalogue",
            s(&self.catalogue()),
            "--data",
            s(data),
            "--received",
            "2026-05-08",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        c
    }
}

fn chitieu(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chitieu: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn finish(child: Child) -> (Option<i32>, String, String) {
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The two files collect writes, as they are.
fn state(data: &Path) -> (String, String) {
    let read = |n: &str| std::fs::read_to_string(data.join(n)).unwrap_or_default();
    (read("reported.csv"), read("submissions.csv"))
}

/// Every file of the directory that the template lacks, but the lock file (which stays, by
/// design) and submissions.csv (which collect creates).
fn leftovers(data: &Path, template: &Path) -> Vec<String> {
    let known: Vec<String> = std::fs::read_dir(template)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut extra: Vec<String> = std::fs::read_dir(data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != LOCK_FILE && n != "submissions.csv" && !known.contains(n))
        .collect();
    extra.sort();
    extra
}

#[test]
fn two_concurrent_collects_lose_no_row() {
    let t = template();
    let before = state(&t.root.join("data")).0.lines().count();
    for round in 0..5 {
        let data = t.data_copy(&format!("round-{round}"));
        let a = t.collect(&data, "2026-03").spawn().unwrap();
        let b = t.collect(&data, "2026-04").spawn().unwrap();
        for (code, stdout, stderr) in [finish(a), finish(b)] {
            assert_eq!(code, Some(0), "round {round}: {stderr}");
            assert!(stdout.contains("4 row(s) added"), "round {round}: {stdout}");
        }
        let (reported, submissions) = state(&data);
        // 4 units × 2 months, each a lua-dao row; the three communes' monthly reports
        assert_eq!(
            reported.lines().count(),
            before + 8,
            "round {round}:\n{reported}"
        );
        for month in ["2026-03", "2026-04"] {
            for unit in ["tinh", "xa-a", "xa-b", "xa-c"] {
                assert!(
                    reported.contains(&format!("{unit},{month},lua-dao,")),
                    "round {round}: {unit} {month} lost:\n{reported}"
                );
            }
        }
        assert_eq!(
            submissions.lines().count(),
            1 + 6,
            "round {round}:\n{submissions}"
        );
        assert_eq!(leftovers(&data, &t.root.join("data")), Vec::<String>::new());
    }
}

/// Collects March into a copy and returns the state after, for comparison.
fn after_state(t: &Template) -> (String, String) {
    let data = t.data_copy("reference");
    let (code, _, stderr) = finish(t.collect(&data, "2026-03").spawn().unwrap());
    assert_eq!(code, Some(0), "{stderr}");
    state(&data)
}

#[test]
fn a_collect_killed_at_any_point_leaves_the_data_as_before_or_after() {
    let t = template();
    let before = state(&t.root.join("data"));
    let after = after_state(t);
    assert_ne!(before, after);

    // at each step of the commit, by the test hook (the process ends there, no destructor run)
    for step in STEPS {
        let data = t.data_copy(&format!("step-{step}"));
        let (code, _, stderr) = finish(
            t.collect(&data, "2026-03")
                .env("CHITIEU_TEST_ABORT_AT", step)
                .spawn()
                .unwrap(),
        );
        assert_eq!(code, Some(86), "{step}: {stderr}");
        assert!(data.join(STAGING_DIR).exists(), "{step}");
        t.read(&data);
        let expected = if step == "staged" { &before } else { &after };
        assert_eq!(&state(&data), expected, "killed at {step}");
        assert_eq!(leftovers(&data, &t.root.join("data")), Vec::<String>::new());
        // the next run completes the collection, or finds it complete
        let (code, stdout, stderr) = finish(t.collect(&data, "2026-03").spawn().unwrap());
        assert_eq!(code, Some(0), "{step}: {stderr}");
        assert_eq!(state(&data), after, "{step}");
        assert_eq!(
            stdout.contains("nothing new"),
            step != "staged",
            "{step}: {stdout}"
        );
    }

    // at random moments, by SIGKILL: the seeds make the moments the same on every run
    let data = t.data_copy("timing");
    let start = Instant::now();
    let (code, _, _) = finish(t.collect(&data, "2026-03").spawn().unwrap());
    assert_eq!(code, Some(0));
    let full = start.elapsed().as_micros() as u64;
    let mut seed: u64 = 24;
    let (mut as_before, mut as_after, mut mid_commit) = (0, 0, 0);
    for kill in 0..20 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        // mostly in the last part of a run, where it commits
        let delay = Duration::from_micros(full / 2 + (seed >> 33) % (full * 2 / 3 + 1));
        let data = t.data_copy(&format!("kill-{kill}"));
        let mut child = t.collect(&data, "2026-03").spawn().unwrap();
        std::thread::sleep(delay);
        child.kill().ok();
        let (_, _, stderr) = finish(child);
        mid_commit += usize::from(data.join(STAGING_DIR).exists());
        // the next reader finishes or undoes what the killed run left
        t.read(&data);
        let now = state(&data);
        if now == before {
            as_before += 1;
            // the next run completes the collection (after a commit finished by a reader, the
            // next run is the hook steps' case below)
            let (code, _, stderr) = finish(t.collect(&data, "2026-03").spawn().unwrap());
            assert_eq!(code, Some(0), "kill {kill}: {stderr}");
            assert_eq!(state(&data), after, "kill {kill}");
        } else {
            assert_eq!(
                now, after,
                "kill {kill} after {delay:?}: a half state\n{stderr}"
            );
            as_after += 1;
        }
        // nothing is left behind
        assert_eq!(leftovers(&data, &t.root.join("data")), Vec::<String>::new());
    }
    eprintln!(
        "random kills: {as_before} as before, {as_after} as after, {mid_commit} in the commit"
    );
    assert_eq!(as_before + as_after, 20);
}

/// Makes a file immutable (`chattr +i`, as root on a file system that supports it) until
/// dropped: what a file Excel holds open is to a rename on Windows.
struct Immutable(PathBuf);

impl Immutable {
    fn set(path: &Path) -> Option<Immutable> {
        let ok = Command::new("chattr")
            .arg("+i")
            .arg(path)
            .output()
            .is_ok_and(|o| o.status.success());
        // root renames what it cannot write, so only the flag refuses the rename
        (ok && std::fs::rename(path, path.with_extension("probe")).is_err())
            .then(|| Immutable(path.to_path_buf()))
    }
}

impl Drop for Immutable {
    fn drop(&mut self) {
        Command::new("chattr").arg("-i").arg(&self.0).output().ok();
    }
}

#[test]
fn a_file_that_cannot_be_replaced_leaves_every_file_as_before() {
    let t = template();
    let data = t.data_copy("held");
    let (code, _, stderr) = finish(t.collect(&data, "2026-03").spawn().unwrap());
    assert_eq!(code, Some(0), "{stderr}");
    let before = state(&data);
    let Some(_held) = Immutable::set(&data.join("submissions.csv")) else {
        eprintln!("skipped: `chattr +i` does not refuse renames here (not root, or no support)");
        return;
    };
    // April's figures go to reported.csv first, then submissions.csv cannot be replaced
    let (code, stdout, stderr) = finish(t.collect(&data, "2026-04").spawn().unwrap());
    assert_eq!(code, Some(2), "{stdout}{stderr}");
    assert!(
        stderr.contains("submissions.csv") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert_eq!(state(&data), before, "reported.csv put back");
    assert!(!data.join(STAGING_DIR).exists());
}
