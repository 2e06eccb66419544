//! The README's facts that have one source elsewhere stay in step with it: the diagnostic table
//! (from `src/diagnostics/codes.rs`) and the minimum Rust version (from Cargo.toml); and every
//! command in the README is run by a test, with the figures the README gives for it checked.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use chitieu::diagnostics::Code;

fn readme() -> String {
    std::fs::read_to_string(root().join("README.md")).unwrap_or_else(|e| panic!("README.md: {e}"))
}

/// The table as `src/diagnostics/codes.rs` gives it: every code, in order, with its summary.
fn table() -> String {
    let mut s = String::from("| code | problem |\n|---|---|\n");
    for code in Code::ALL {
        s += &format!("| {} | {} |\n", code.as_str(), code.summary());
    }
    s
}

#[test]
fn the_readme_diagnostic_table_is_the_codes_table() {
    let expected = table();
    assert!(
        readme().contains(&expected),
        "README.md's diagnostic table differs from src/diagnostics/codes.rs; it should read:\n{expected}"
    );
}

#[test]
fn the_readme_names_the_rust_version_of_cargo_toml() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .unwrap_or_else(|e| panic!("Cargo.toml: {e}"));
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("Cargo.toml has no rust-version"));
    assert!(
        readme().contains(&format!("A Rust toolchain ({version} or newer)")),
        "README.md should say \"A Rust toolchain ({version} or newer)\""
    );
}

// ---------------------------------------------------------------------------------------------
// Every command of the README is run by a test.
//
// `readme_commands` reads each command line of the README's code blocks: every line of a ```sh
// block (comments and `\` continuations folded), every `run:` of a ```yaml block, and any line of
// another block (except toml, sql, python, text) that starts with `chitieu` or `cargo`. Each one
// must be in exactly one list below: run by a scenario of this file, run by another named test,
// or not run, for a stated reason (benchmark scale, an install, a build). A command added to the
// README in none of them fails `every_readme_command_is_tested`.
//
// The scenarios run the README's lines as written, with `sh -c`, in a scratch copy of the clone
// (chitieu.toml, indicators/, data/; `../shared` linked when the raw portal responses are beside
// the clone), with `chitieu` on PATH the binary under test, and these substitutions only:
// `cargo run [--release] -- ARGS` is `chitieu ARGS` (the same sources; this build's profile);
// `cargo run --example N -- ARGS` is the example's binary that `cargo test` builds beside chitieu
// (not cargo itself: a cargo run from inside a test rebuilt polars); `/tmp/` and `/srv/outbox/`
// are directories of the scratch; a crontab line runs its command; `$GITHUB_STEP_SUMMARY` is a
// scratch file.
// ---------------------------------------------------------------------------------------------

/// Commands of the README run by another test: (command, test file, test function; "" for the
/// whole file).
const ELSEWHERE: [(&str, &str, &str); 4] = [
    (
        "CHITIEU_BLESS=1 cargo test --test golden",
        "tests/golden.rs",
        "outputs_match_the_golden_copies",
    ),
    ("cargo test --test real766", "tests/real766.rs", ""),
    (
        "chitieu score --data data/lao-cai --partials partials/",
        "tests/partials.rs",
        "scoring_partials_gives_the_same_scorecard_as_scoring_records",
    ),
    (
        "chitieu import portal766 ../shared/portal766-dev/raw/qd766/tests/fixtures --period 2026-08 --as-of 2026-09-28 --out data/phu-tho-2026-08",
        "tests/import.rs",
        "the_shipped_directory_is_the_import_of_the_raw_responses_and_the_same_twice",
    ),
];

/// Commands of the README no test runs, and why.
const NOT_RUN: [(&str, &str); 7] = [
    (
        "cargo test",
        "the suite this test belongs to (CI runs it: .ci/run)",
    ),
    (
        "cargo build --release",
        "a release build of the sources the tests build in the dev profile (minutes of compiling)",
    ),
    (
        "cargo dist",
        "10–60 minutes of fat-LTO compiling; its code is checked by .ci/run (cargo rustc for x86-64-v3), its processor check run by tests/cpu.rs under qemu",
    ),
    (
        "cargo install --path . --locked",
        "installs into ~/.cargo/bin; the check after it is run by a scenario",
    ),
    (
        "CHITIEU=target/release/chitieu python3 benches/national.py --rows 10000000,50000000 --grain month,quarter,year,cumulative,latest --runs 5",
        "benchmark scale: 10M and 50M generated rows, Python polars and DuckDB installed",
    ),
    (
        "CHITIEU=target/release/chitieu CHITIEU_DIST=target/dist/chitieu python3 benches/national.py --rows 50000000 --grain month,cumulative,year --order shuffled,day-unit --runs 5 --tools chitieu,chitieu-dist,polars,polars@1.43.2,duckdb",
        "benchmark scale: 50M generated rows, the release and dist builds, Python polars and DuckDB",
    ),
    (
        "cargo run --release --example polars_peer -- /tmp/nat-50000000/ho_so.parquet month",
        "benchmark scale: reads the 50M-row file of `chitieu generate national --dossiers 50000000`",
    ),
];

/// The README's own description of a command line: comments after ` #` cut, runs of spaces one.
fn normalise(line: &str) -> String {
    let mut cut = line;
    let mut quoted = false;
    for (i, ch) in line.char_indices() {
        match ch {
            '"' => quoted = !quoted,
            '#' if !quoted && (i == 0 || line[..i].ends_with(' ')) => {
                cut = &line[..i];
                break;
            }
            _ => {}
        }
    }
    cut.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Every command line of the README's code blocks, in order, once each.
fn readme_commands() -> Vec<String> {
    let text = readme();
    let mut commands: Vec<String> = Vec::new();
    let mut lang: Option<String> = None;
    let mut folded = String::new();
    for line in text.lines() {
        if let Some(fence) = line.trim_start().strip_prefix("```") {
            lang = match lang {
                None => Some(fence.trim().to_string()),
                Some(_) => None,
            };
            continue;
        }
        let Some(lang) = lang.as_deref() else {
            continue;
        };
        if let Some(head) = line.strip_suffix('\\') {
            folded.push_str(head);
            folded.push(' ');
            continue;
        }
        let whole = std::mem::take(&mut folded) + line;
        let command = match lang {
            "sh" => normalise(&whole),
            "yaml" => whole
                .trim_start()
                .strip_prefix("- run:")
                .map(normalise)
                .unwrap_or_default(),
            "toml" | "sql" | "python" | "text" => String::new(),
            _ => {
                let line = normalise(&whole);
                let program = line.split(' ').next().unwrap_or("");
                if program == "chitieu" || program == "cargo" || program == "$" {
                    line
                } else {
                    String::new()
                }
            }
        };
        if !command.is_empty() && !commands.contains(&command) {
            commands.push(command);
        }
    }
    commands
}

#[test]
fn every_readme_command_is_tested() {
    let commands = readme_commands();
    assert!(commands.len() > 30, "{commands:#?}");
    let run: Vec<&str> = SCENARIOS.iter().flat_map(|s| s.iter().copied()).collect();
    let mut untested = Vec::new();
    for c in &commands {
        let listed = run.contains(&c.as_str()) as usize
            + ELSEWHERE.iter().filter(|(e, _, _)| e == c).count()
            + NOT_RUN.iter().filter(|(n, _)| n == c).count();
        if listed != 1 {
            untested.push(format!("{c}  (listed {listed} times)"));
        }
    }
    assert!(
        untested.is_empty(),
        "README commands that no test runs (or listed twice): add each to a scenario of \
         tests/readme.rs, to ELSEWHERE with the test that runs it, or to NOT_RUN with why:\n{}",
        untested.join("\n")
    );
    let listed = run
        .iter()
        .copied()
        .chain(ELSEWHERE.iter().map(|(c, _, _)| *c))
        .chain(NOT_RUN.iter().map(|(c, _)| *c));
    for c in listed {
        assert!(
            commands.iter().any(|r| r == c),
            "listed in tests/readme.rs but not in the README: {c}"
        );
    }
    for (c, file, test) in ELSEWHERE {
        let source = std::fs::read_to_string(root().join(file))
            .unwrap_or_else(|e| panic!("{file} (for `{c}`): {e}"));
        assert!(
            test.is_empty() || source.contains(&format!("fn {test}(")),
            "{file} has no test {test} (for `{c}`)"
        );
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A scratch copy of the clone to run README commands in.
struct Scratch {
    _dir: tempfile::TempDir,
    clone: PathBuf,
    tmp: PathBuf,
    bin: PathBuf,
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let target = to.join(entry.file_name());
        let kind = entry.file_type().unwrap_or_else(|e| panic!("{e}"));
        if kind.is_dir() {
            copy_dir(&entry.path(), &target);
        } else if kind.is_file() {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

fn scratch() -> Scratch {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let clone = dir.path().join("clone");
    std::fs::create_dir_all(&clone).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(root().join("chitieu.toml"), clone.join("chitieu.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    for sub in ["indicators", "data"] {
        copy_dir(&root().join(sub), &clone.join(sub));
    }
    let shared = root().join("../shared");
    if shared.is_dir() {
        std::os::unix::fs::symlink(&shared, dir.path().join("shared"))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let (tmp, bin) = (dir.path().join("tmp"), dir.path().join("bin"));
    for d in [&tmp, &tmp.join("outbox"), &bin] {
        std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
    }
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_chitieu"), bin.join("chitieu"))
        .unwrap_or_else(|e| panic!("{e}"));
    Scratch {
        _dir: dir,
        clone,
        tmp,
        bin,
    }
}

struct Ran {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Runs one README command (as `readme_commands` gives it) in the scratch clone.
fn run(s: &Scratch, command: &str) -> Ran {
    let mut line = command.to_string();
    if let Some(at) = line.find(" cd /srv/chitieu && ") {
        line = line[at + " cd /srv/chitieu && ".len()..].to_string();
    }
    if let Some(rest) = line.strip_prefix("cargo run --example ") {
        let (name, args) = rest.split_once(" -- ").unwrap_or((rest, ""));
        let binary = example(name).unwrap_or_else(|| panic!("{command}: no binary"));
        line = format!("'{}' {args}", binary.display());
    }
    let tmp = s.tmp.to_string_lossy();
    line = line
        .replace("cargo run --release -- ", "chitieu ")
        .replace("cargo run -- ", "chitieu ")
        .replace(" /tmp/", &format!(" {tmp}/"))
        .replace("/srv/outbox/", &format!("{tmp}/outbox/"));
    let path = std::env::var("PATH").unwrap_or_default();
    let out = Command::new("sh")
        .arg("-c")
        .arg(&line)
        .current_dir(&s.clone)
        .env("PATH", format!("{}:{path}", s.bin.display()))
        .env("GITHUB_STEP_SUMMARY", s.tmp.join("summary.md"))
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("{line}: {e}"));
    let ran = Ran {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !ran.stderr.contains("panicked"),
        "{command}: panicked\n{}",
        ran.stderr
    );
    ran
}

/// Runs `command`, which must be in `scenario`, and asserts it exits with `code`.
fn expect(s: &Scratch, scenario: &[&str], command: &str, code: i32) -> Ran {
    assert!(
        scenario.contains(&command),
        "not in its scenario: {command}"
    );
    let ran = run(s, command);
    assert_eq!(
        ran.status,
        Some(code),
        "{command}\nstdout:\n{}\nstderr:\n{}",
        ran.stdout,
        ran.stderr
    );
    ran
}

fn has(ran: &Ran, text: &str) {
    assert!(
        ran.stdout.contains(text),
        "stdout lacks {text:?}:\n{}",
        ran.stdout
    );
}

fn size(path: &Path) -> u64 {
    if path.is_dir() {
        std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| size(&e.path()))
            .sum()
    } else {
        std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
    }
}

/// `bytes` is `kb` kilobytes (1,024 bytes) as the README rounds it, within 5 %.
fn about_kb(path: &Path, kb: f64) {
    let actual = size(path) as f64 / 1024.0;
    assert!(
        (actual - kb).abs() <= kb * 0.05,
        "{}: {actual:.0} KB, the README says {kb} KB",
        path.display()
    );
}

/// The newest modification time of the files under `path`.
fn newest(path: &Path) -> std::time::SystemTime {
    let own = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .unwrap_or(std::time::UNIX_EPOCH);
    std::fs::read_dir(path)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| newest(&e.path()))
        .fold(own, std::cmp::max)
}

/// The binary of `examples/<name>.rs`, which `cargo test` builds beside chitieu's, when it is
/// there and newer than its sources. Without it (`cargo test --test readme` alone builds no
/// example) the steps that run it are skipped with a note, except under `CI=true`, where they
/// fail, as the browser and LibreOffice tests do.
fn example(name: &str) -> Option<PathBuf> {
    let binary = Path::new(env!("CARGO_BIN_EXE_chitieu"))
        .with_file_name("examples")
        .join(name);
    let built = std::fs::metadata(&binary).and_then(|m| m.modified()).ok();
    let sources = ["src", "tests/support", "Cargo.toml"]
        .iter()
        .map(|p| newest(&root().join(p)))
        .chain([newest(&root().join(format!("examples/{name}.rs")))])
        .fold(std::time::UNIX_EPOCH, std::cmp::max);
    if built.is_some_and(|b| b >= sources) {
        return Some(binary);
    }
    let note = format!(
        "{}: missing or older than its sources; `cargo test` (or `cargo build --examples`) builds it",
        binary.display()
    );
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{note}");
    eprintln!("{note}: `cargo run --example {name}` skipped");
    None
}

/// The raw portal responses beside the clone (CI has them), as the scenarios see them.
fn raw(s: &Scratch, dir: &str) -> bool {
    let there = s
        .clone
        .join("../shared/portal766-dev/raw")
        .join(dir)
        .is_dir();
    if !there {
        eprintln!("shared/portal766-dev/raw/{dir} is not beside the clone: its commands skipped");
    }
    there
}

const THE_SHIPPED_DATA: [&str; 2] = [
    "cargo run --release -- generate lao-cai --out data/lao-cai --seed 2026",
    "chitieu score --catalogue indicators/dong-nai-skhcn-2025 --data data/dong-nai-skhcn-2025",
];

#[test]
fn readme_the_two_commands_and_the_shipped_data() {
    let c = &THE_SHIPPED_DATA;
    let s = scratch();
    // the generator gives the shipped data, byte for byte
    let generated = s.clone.join("data/lao-cai");
    std::fs::remove_dir_all(&generated).unwrap_or_else(|e| panic!("{e}"));
    expect(
        &s,
        c,
        "cargo run --release -- generate lao-cai --out data/lao-cai --seed 2026",
        0,
    );
    let shipped = root().join("data/lao-cai");
    for entry in std::fs::read_dir(&shipped).unwrap_or_else(|e| panic!("{e}")) {
        let name = entry.unwrap_or_else(|e| panic!("{e}")).file_name();
        let ours = std::fs::read(generated.join(&name)).unwrap_or_default();
        let theirs = std::fs::read(shipped.join(&name)).unwrap_or_default();
        assert!(
            ours == theirs,
            "data/lao-cai/{name:?} is not what the generator gives"
        );
    }
    expect(
        &s,
        c,
        "chitieu score --catalogue indicators/dong-nai-skhcn-2025 --data data/dong-nai-skhcn-2025",
        0,
    );
    // 79/193 = 40,93%; 20.509/24.742 = 82,89%
    let csv = std::fs::read_to_string(s.clone.join("out/scorecard.csv")).unwrap_or_default();
    assert!(csv.contains(",40.932642487046635,79.0,193.0,"), "{csv}");
    assert!(csv.contains(",82.89143965726295,20509.0,24742.0,"), "{csv}");
}

const ANALYST: [&str; 8] = [
    "chitieu score --period 2026-Q3 --as-of 2026-10-15 --out out-q3 --no-charts --no-history",
    "chitieu explain ho-so-truc-tuyen",
    "chitieu sql --dialect spark > ho_so.sql",
    "chitieu check --explain E121",
    "chitieu check indicators/lao-cai-2026-2030 --data data/lao-cai --format json",
    "chitieu check --format github --deny-warnings",
    "cargo run --example score",
    "chitieu score --lang en --out out-en --no-history",
];

#[test]
fn readme_an_analysts_and_a_ci_pipelines_commands() {
    let c = &ANALYST;
    let s = scratch();
    let ran = expect(&s, c, c[0], 0);
    has(&ran, "— kỳ 2026-Q3 (tính đến 2026-10-15)");
    assert!(s.clone.join("out-q3/scorecard.json").is_file());
    let ran = expect(&s, c, "chitieu explain ho-so-truc-tuyen", 0);
    assert!(
        ran.stdout.starts_with("ho-so-truc-tuyen (I.5): "),
        "{}",
        ran.stdout
    );
    expect(&s, c, "chitieu sql --dialect spark > ho_so.sql", 0);
    let sql = std::fs::read_to_string(s.clone.join("ho_so.sql")).unwrap_or_default();
    assert!(
        sql.contains("FROM `ho_so`") && sql.contains("GROUP BY 1, 2"),
        "{sql}"
    );
    let ran = expect(&s, c, "chitieu check --explain E121", 0);
    assert!(
        ran.stdout
            .starts_with("E121 (error): comparator contradicts direction\n"),
        "{}",
        ran.stdout
    );
    let ran = expect(&s, c, c[4], 0);
    assert_eq!(ran.stdout, "", "no diagnostic");
    let ran = expect(&s, c, "chitieu check --format github --deny-warnings", 0);
    assert!(!ran.stdout.contains("::error"), "{}", ran.stdout);
    // the library example: the departments, best first, then the province
    if example("score").is_some() {
        let ran = expect(&s, c, "cargo run --example score", 0);
        has(&ran, "  84.00  Tốt        UBND tỉnh Lào Cai\n");
    }
    let ran = expect(
        &s,
        c,
        "chitieu score --lang en --out out-en --no-history",
        0,
    );
    has(&ran, "Report: out-en/report.html");
    let page = std::fs::read_to_string(s.clone.join("out-en/report.html")).unwrap_or_default();
    assert!(page.contains("<html lang=\"en\""));
}

const LEADER: [&str; 2] = [
    "chitieu score --focus phuong-cam-duong --out out-cam-duong --no-history",
    "chitieu score --focus-level xa --out out-xa --no-charts --no-history",
];

#[test]
fn readme_a_leaders_focused_reports() {
    let c = &LEADER;
    let s = scratch();
    expect(&s, c, c[0], 0);
    // "a page of 86 KB and a workbook of 24 KB with four charts (SVG and PNG, 470 KB)"
    let out = s.clone.join("out-cam-duong");
    about_kb(&out.join("report.html"), 86.0);
    about_kb(&out.join("scorecard.xlsx"), 24.0);
    about_kb(&out.join("charts"), 470.0);
    let charts = std::fs::read_dir(out.join("charts")).map_or(0, |d| d.count());
    assert_eq!(charts, 8, "four charts as SVG and PNG");
    let ran = expect(&s, c, c[1], 0);
    let units = std::fs::read_dir(s.clone.join("out-xa"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().join("report.html").is_file())
        .count();
    assert_eq!(units, 99, "{}", ran.stdout);
}

const MONITORING: [&str; 9] = [
    "cargo run -- score --as-of 2026-10-20",
    "cargo run -- score",
    "cargo run -- history",
    "cargo run -- history --unit xa-quy-mong",
    "cargo run -- digest",
    "0 6 * * * cd /srv/chitieu && chitieu score --as-of \"$(date +\\%F)\" --no-charts",
    "30 6 * * * cd /srv/chitieu && chitieu digest > /srv/outbox/diem-766-$(date +\\%F).txt",
    "chitieu score --as-of \"$(TZ=Asia/Ho_Chi_Minh date +%F)\" --no-charts",
    "chitieu digest --format markdown --fail-on do >> \"$GITHUB_STEP_SUMMARY\"",
];

#[test]
fn readme_monitoring_over_time() {
    let c = &MONITORING;
    let s = scratch();
    expect(&s, c, c[0], 0);
    // the main job ("The two commands"), here the day's second snapshot
    let ran = expect(&s, c, "cargo run -- score", 0);
    has(
        &ran,
        "     1  UBND tỉnh Lào Cai                          84,00  Tốt           100,00%",
    );
    has(
        &ran,
        "Báo cáo định kỳ — chưa nộp (quá hạn) 26, trễ hạn 86, chưa đến hạn 115, đúng hạn 1035",
    );
    has(&ran, "Kết quả: out/scorecard.json\n");
    // "against 6.7 MB, 1.4 MB and 40 MB for the whole province"
    about_kb(&s.clone.join("out/report.html"), 6.7 * 1024.0);
    about_kb(&s.clone.join("out/scorecard.xlsx"), 1.4 * 1024.0);
    about_kb(&s.clone.join("out/charts"), 40.0 * 1024.0);
    let ran = expect(&s, c, "cargo run -- history", 0);
    has(&ran, "2026-10-20");
    has(&ran, "2026-10-31");
    let ran = expect(&s, c, "cargo run -- history --unit xa-quy-mong", 0);
    has(&ran, "2026-10-31");
    let ran = expect(&s, c, "cargo run -- digest", 0);
    has(
        &ran,
        "Kỳ 2026-10 · tính đến 31/10/2026 · so với 20/10/2026 (cách 11 ngày) · chitieu tính từ số liệu",
    );
    has(&ran, "UBND tỉnh Lào Cai: 84,00 điểm (▼ 0,01), hạng 1/1");
    has(&ran, "🔴 Đỏ (3)");
    has(
        &ran,
        "• Điểm giảm từ 1 điểm so với lần trước: Xã Dương Quỳ — Tổng điểm: 88,32 → 87,27 (▼ 1,05), ▼ 1 bậc",
    );
    // the crontab's two lines and the workflow's, with today's date
    expect(&s, c, c[5], 0);
    expect(&s, c, c[6], 0);
    let outbox: Vec<PathBuf> = std::fs::read_dir(s.tmp.join("outbox"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    let message = std::fs::read_to_string(&outbox[0]).unwrap_or_default();
    assert!(
        message.starts_with("📊 lao-cai-de-an-06-2026-2030\n"),
        "{message}"
    );
    expect(&s, c, c[7], 0);
    // exit 3 when a red alert fired since the day before, else 0
    let ran = run(&s, c[8]);
    assert!(matches!(ran.status, Some(0 | 3)), "{}", ran.stderr);
    let summary = std::fs::read_to_string(s.tmp.join("summary.md")).unwrap_or_default();
    assert!(
        summary.starts_with("# Mục tiêu cụ thể Chương trình phát triển Đề án 06")
            && summary.contains("**UBND tỉnh Lào Cai: 84,00 điểm"),
        "{summary}"
    );
}

const PORTAL_766: [&str; 6] = [
    "chitieu score --catalogue indicators/bo-chi-so-766 --data data/phu-tho-2026-08 --period 2026-08",
    "chitieu score --catalogue indicators/bo-chi-so-766 --data data/phu-tho-2026-08 --period 2026-08 --history history",
    "chitieu import portal766 ../shared/portal766-dev/raw/766-HaNoi/history/quality --out data/ha-noi",
    "chitieu history --history history --catalogue indicators/bo-chi-so-766 --add-published data/ha-noi",
    "chitieu digest --history history --catalogue indicators/bo-chi-so-766 --as-of 2026-10-02",
    "chitieu score --catalogue indicators/bo-chi-so-766 --data data/bo-chi-so-766-tinh-2026 --period 2026",
];

#[test]
fn readme_monitoring_a_province_on_the_766_scoreboard() {
    let c = &PORTAL_766;
    let s = scratch();
    // step 1, the import of the raw responses, gives the shipped directory (tests/import.rs)
    copy_dir(
        &s.clone.join("data/bo-chi-so-766-phu-tho-2026-08"),
        &s.clone.join("data/phu-tho-2026-08"),
    );
    let ran = expect(&s, c, c[0], 0);
    has(
        &ran,
        "Đối chiếu với Cổng: khớp 1.953/1.956 điểm chỉ số, 980/984 nhóm\n  7 số khác:\n",
    );
    has(
        &ran,
        "    H44.156 tttt: chitieu 6,92, Cổng 6,91 (published.csv dòng 1127, formality-online-payment-tree/month-all.json)\n",
    );
    expect(&s, c, c[1], 0);
    if raw(&s, "766-HaNoi/history/quality") {
        expect(&s, c, c[2], 0);
        expect(&s, c, c[3], 0);
        // "the city 54,48 (▲ 1,83 on 2/10, rank 34 → 33)"
        let ran = expect(&s, c, c[4], 0);
        has(
            &ran,
            "UBND Thành phố Hà Nội: 54,48 điểm (▲ 1,83), hạng 33/34 (▲ 1)",
        );
    }
    let ran = expect(&s, c, c[5], 0);
    has(&ran, "khớp 42/42 điểm chỉ số, 23/23 nhóm, 3/3 tổng điểm");
}

const FORMS: [&str; 6] = [
    "cp -r data/lao-cai /tmp/lao-cai-11",
    "chitieu form --period 2026-11 --data /tmp/lao-cai-11 --out /tmp/bieu-mau-11",
    "cargo run --example fill_forms -- /tmp/bieu-mau-11 /tmp/nhan-ve-11",
    "chitieu collect /tmp/nhan-ve-11/dot-1 --data /tmp/lao-cai-11 --received 2026-12-09",
    "chitieu collect /tmp/nhan-ve-11/dot-2 --data /tmp/lao-cai-11 --received 2026-12-14",
    "chitieu score --data /tmp/lao-cai-11 --period 2026-11 --as-of 2026-12-15 --out /tmp/ket-qua-11",
];

#[test]
fn readme_a_month_of_forms_and_collection() {
    let c = &FORMS;
    let s = scratch();
    expect(&s, c, c[0], 0);
    let ran = expect(&s, c, c[1], 0);
    has(&ran, "113 form(s) for period 2026-11 written to ");
    if example("fill_forms").is_none() {
        return;
    }
    let ran = expect(&s, c, c[2], 0);
    has(&ran, "91 form(s) filled in ");
    has(&ran, ", 11 in ");
    has(&ran, ", 11 not returned");
    // "--received may not be after today": before the day, the README's refusal
    let today = chrono::Local::now().date_naive();
    for (command, day) in [(c[3], "2026-12-09"), (c[4], "2026-12-14")] {
        let received = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").ok();
        if received.is_some_and(|d| d <= today) {
            expect(&s, c, command, 0);
        } else {
            let ran = expect(&s, c, command, 2);
            assert!(
                ran.stderr
                    .contains(&format!("error: --received {day} is after today")),
                "{}",
                ran.stderr
            );
        }
    }
    let ran = expect(&s, c, c[5], 0);
    has(&ran, "Báo cáo định kỳ — ");
    assert!(s.tmp.join("ket-qua-11/reports.csv").is_file());
}

/// The scenarios' commands, for `every_readme_command_is_tested`.
const SCENARIOS: [&[&str]; 6] = [
    &THE_SHIPPED_DATA,
    &ANALYST,
    &LEADER,
    &MONITORING,
    &PORTAL_766,
    &FORMS,
];
