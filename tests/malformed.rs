//! No input, however malformed, makes chitieu panic (SPEC §9): broken catalogues written to a
//! temporary directory are run through the real binary, which must exit with status 1 and name
//! every problem with its code — empty files, random bytes, huge values, deep nesting, and a wrong
//! type for every key of a catalogue, an indicator and a task.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

/// What one `chitieu check cat` run printed.
struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The codes of the diagnostics, in output order (`error[E103]: ...` → "E103").
    fn codes(&self) -> Vec<&str> {
        self.headers().map(|(code, _)| code).collect()
    }

    /// (code, "file:line:col") of each diagnostic.
    fn headers(&self) -> impl Iterator<Item = (&str, &str)> {
        let mut lines = self.stdout.lines();
        std::iter::from_fn(move || loop {
            let line = lines.next()?;
            let rest = line
                .strip_prefix("error[")
                .or_else(|| line.strip_prefix("warning["));
            if let Some(code) = rest.and_then(|r| r.split(']').next()) {
                let place = lines
                    .next()
                    .and_then(|l| l.split("--> ").nth(1))
                    .unwrap_or("");
                return Some((code, place));
            }
        })
    }

    /// (line, code) of the diagnostics in `file`.
    fn lines_in(&self, file: &str) -> Vec<(usize, &str)> {
        self.headers()
            .filter_map(|(code, place)| {
                let rest = place.strip_prefix(file)?.strip_prefix(':')?;
                let line = rest.split(':').next()?.parse().ok()?;
                Some((line, code))
            })
            .collect()
    }

    /// Exit status 1, no panic, and every code of `expected` among the diagnostics.
    fn assert_errors(&self, expected: &[&str]) {
        assert!(
            !self.stderr.contains("panicked"),
            "chitieu panicked:\n{}",
            self.stderr
        );
        assert_eq!(
            self.status,
            Some(1),
            "exit status; stderr:\n{}\nstdout:\n{}",
            self.stderr,
            head(&self.stdout)
        );
        let codes = self.codes();
        for code in expected {
            assert!(
                codes.contains(code),
                "{code} not reported; got {codes:?}\n{}",
                head(&self.stdout)
            );
        }
        let errors = codes.iter().filter(|c| c.starts_with('E')).count();
        assert!(
            self.stdout
                .contains(&format!("checked 1 catalogue: {errors} error")),
            "summary line does not count {errors} errors:\n{}",
            head(&self.stdout)
        );
    }
}

/// The first few kilobytes of an output, for failure messages.
fn head(s: &str) -> &str {
    let mut end = s.len().min(4000);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Writes `files` into `<tmp>/cat/` and runs `chitieu check cat` in `<tmp>`.
fn check(files: &[(&str, &[u8])]) -> Run {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let cat = tmp.path().join("cat");
    std::fs::create_dir(&cat).expect("create cat/");
    for (name, bytes) in files {
        std::fs::write(cat.join(name), bytes).expect("write a fixture file");
    }
    run_in(tmp.path())
}

fn run_in(dir: &Path) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(["check", "cat"])
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run chitieu");
    Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const CATALOGUE: &[u8] = "id = \"lao-cai-de-an-06\"\n\
title = \"Mục tiêu cụ thể Chương trình phát triển Đề án 06 giai đoạn 2026 - 2030\"\n\
\n\
[dataset.ho_so]\n\
unit = \"ma_don_vi\"\n\
date = \"ngay_tiep_nhan\"\n\
columns = [\"kenh\"]\n"
    .as_bytes();

/// Deterministic pseudo-random bytes (xorshift), so that a failure can be reproduced.
fn garbage(len: usize, mut seed: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

#[test]
fn empty_catalogue_toml_misses_id_and_title() {
    let run = check(&[("catalogue.toml", b"")]);
    run.assert_errors(&["E102"]);
    assert_eq!(run.codes(), ["E102", "E102"], "{}", run.stdout);
    assert!(run.stdout.contains("`id`") && run.stdout.contains("`title`"));
}

#[test]
fn random_bytes_with_invalid_utf8_are_e100_in_every_file() {
    let mut bytes = garbage(4096, 0x5eed);
    bytes[10] = 0xff; // never valid in UTF-8, whatever the generator gives
    let run = check(&[
        ("catalogue.toml", &bytes),
        ("indicators.toml", &garbage(4096, 42)),
    ]);
    run.assert_errors(&["E100"]);
    assert_eq!(
        run.lines_in("cat/catalogue.toml").len(),
        1,
        "{}",
        head(&run.stdout)
    );
    assert_eq!(
        run.lines_in("cat/indicators.toml").len(),
        1,
        "{}",
        head(&run.stdout)
    );
    assert!(run.stdout.contains("not valid UTF-8"));
}

#[test]
fn random_text_of_toml_punctuation_is_e100() {
    // valid UTF-8, but brackets, quotes and `=` in no order; NUL and other control characters
    let alphabet = "[]{}=\"'#.,\\ \n\t\0\u{1b}abcđ0123-_:";
    let chars: Vec<char> = alphabet.chars().collect();
    let text: String = garbage(3000, 7)
        .into_iter()
        .map(|b| chars[b as usize % chars.len()])
        .collect();
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E100"]);
}

#[test]
fn a_10_mb_name_loads_and_other_problems_are_still_found() {
    let name = "Tỷ lệ hồ sơ trực tuyến ".repeat(10_000_000 / 30);
    assert!(name.len() >= 10_000_000);
    let text = format!(
        "[[indicator]]\nid = \"tthc-cap-bo-khong-qua-30\"\nname = \"{name}\"\nunit = \"%\"\n\
         direction = \"lower\"\n\n[indicator.targets]\n2026 = \">= 30\"\n"
    );
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E121"]);
    assert_eq!(run.lines_in("cat/indicators.toml"), [(8, "E121")]);
}

#[test]
fn a_10_mb_target_string_is_e120() {
    let target = "không quá ".repeat(1_000_000);
    let text = format!(
        "[[indicator]]\nid = \"a\"\nname = \"a\"\nunit = \"%\"\ndirection = \"lower\"\n\n\
         [indicator.targets]\n2026 = \"{target}\"\n"
    );
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E120"]);
    assert_eq!(run.lines_in("cat/indicators.toml"), [(8, "E120")]);
}

#[test]
fn nesting_10000_levels_deep_is_e100_not_a_stack_overflow() {
    let n = 10_000;
    let cases = [
        format!(
            "[[indicator]]\nid = \"a\"\nname = {}{}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
        format!(
            "[[indicator]]\nid = \"a\"\nname = {}1{}\n",
            "{ a = ".repeat(n),
            " }".repeat(n)
        ),
        format!(
            "[[indicator]]\nid = \"a\"\nlimits = {}{}\n",
            "[{ a = ".repeat(n / 2),
            "}]".repeat(n / 2)
        ),
        format!(
            "[[indicator]]\nid = \"a\"\n{} = 1\n",
            vec!["a"; n].join(".")
        ),
        format!("[{}]\nx = 1\n", vec!["indicator"; n].join(".")),
        format!("[[{}]]\nx = 1\n", vec!["task"; n].join(".")),
    ];
    for text in &cases {
        let run = check(&[
            ("catalogue.toml", CATALOGUE),
            ("indicators.toml", text.as_bytes()),
        ]);
        run.assert_errors(&["E100"]);
    }
    // and in catalogue.toml itself
    let deep = format!(
        "id = \"x\"\ntitle = {}\"t\"{}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    check(&[("catalogue.toml", deep.as_bytes())]).assert_errors(&["E100"]);
}

#[test]
fn every_key_of_an_indicator_with_the_wrong_type_is_e103() {
    let text = r#"[[indicator]]
id = 1
code = 2
name = ["Tỷ lệ hồ sơ dịch vụ công trực tuyến"]
group = 3
unit = { kind = "%" }
unit_label = 4
direction = true
owner = 5
partners = [1]
points = "10"
scoring = 1
baseline = "2025"
limits = "0-100"
rollup = []
source = 1.5
note = 2026-01-01
measure = "ho_so"
targets = ["80"]
"#;
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E103"]);
    let expected: Vec<(usize, &str)> = (2..=19).map(|line| (line, "E103")).collect();
    assert_eq!(
        run.lines_in("cat/indicators.toml"),
        expected,
        "{}",
        run.stdout
    );
}

#[test]
fn wrong_types_inside_baseline_limits_measure_and_targets() {
    let text = r#"[[indicator]]
id = "ho-so-truc-tuyen"
name = "Tỷ lệ hồ sơ dịch vụ công trực tuyến"
unit = "%"
direction = "higher"
baseline = { year = "2025", value = "62" }
limits = [[0], "100"]

[indicator.measure]
dataset = 1
value = ["COUNT(*)"]
filter = true

[indicator.targets]
2026 = [80]
2027 = true
2028 = 1979-05-27
2029 = { increase = "20", from = 2025 }
2030 = { text = 1 }
"#;
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E103", "E120"]);
    let lines = run.lines_in("cat/indicators.toml");
    for (line, code) in [
        (6, "E103"),
        (7, "E103"),
        (10, "E103"),
        (11, "E103"),
        (12, "E103"),
        (15, "E120"),
        (16, "E120"),
        (17, "E120"),
        (18, "E103"),
        (19, "E103"),
    ] {
        assert!(
            lines.contains(&(line, code)),
            "{code} at line {line} missing: {lines:?}"
        );
    }
}

#[test]
fn every_key_of_a_task_with_the_wrong_type_is_e103() {
    let text = r#"[[task]]
id = 1
code = []
name = 2
group = {}
lead = 3
partners = [true]
product = 1.0
deadline = 2026
due = "2026-06-30"
source = []
note = {}
"#;
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("tasks.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E103"]);
    let expected: Vec<(usize, &str)> = (2..=12).map(|line| (line, "E103")).collect();
    assert_eq!(run.lines_in("cat/tasks.toml"), expected, "{}", run.stdout);
}

#[test]
fn every_key_of_a_report_with_the_wrong_type_is_e103() {
    let text = r#"[[report]]
id = 1
name = 2
from = "so"
carries = 3
due = []
source = []
note = {}

[[report]]
id = "b"
name = "B"
from = { levels = [1, ""], units = "x" }
carries = [true, "*"]
due = 2026-06-06T10:00:00
"#;
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("reports.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E103"]);
    let expected: Vec<(usize, &str)> = (2..=8)
        .chain([13, 14, 15])
        .map(|line| (line, "E103"))
        .collect();
    assert_eq!(run.lines_in("cat/reports.toml"), expected, "{}", run.stdout);
}

#[test]
fn every_key_of_a_catalogue_with_the_wrong_type_is_e103() {
    let text = r#"id = 1
title = ["Kế hoạch"]
issuer = 2
document = {}
scoring = 3
missing = true
near = "0.9"
min_coverage = []
group = "I"
grade = 1
dataset = []
indicator = "x"
task = 1
"#;
    let run = check(&[("catalogue.toml", text.as_bytes())]);
    run.assert_errors(&["E103"]);
    let expected: Vec<(usize, &str)> = (1..=13).map(|line| (line, "E103")).collect();
    assert_eq!(
        run.lines_in("cat/catalogue.toml"),
        expected,
        "{}",
        run.stdout
    );
}

#[test]
fn non_finite_and_overflowing_numbers_are_errors() {
    let text = r#"[[indicator]]
id = "a"
name = "a"
unit = "count"
direction = "higher"
points = nan

[indicator.targets]
2026 = inf
2027 = nan
2028 = 99999999999999999999
"#;
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&["E103", "E120"]);
    assert_eq!(
        run.lines_in("cat/indicators.toml"),
        [(6, "E103"), (9, "E120"), (10, "E120"), (11, "E120")]
    );
}

#[test]
fn all_errors_of_several_broken_indicators_in_one_file_are_reported() {
    let text = r#"[[indicator]]
id = "tthc-cap-bo-khong-qua-30"
name = "Phân cấp giải quyết TTHC để bảo đảm cấp Bộ chỉ thực hiện không quá 30% tổng số TTHC"
unit = "%"
direction = "lower"
diection = "lower"

[indicator.targets]
2026 = ">= 30"

[[indicator]]
id = "VNeID mức 2"
name = "Tỷ lệ người dân có tài khoản định danh điện tử mức độ 2"
unit = "percentage"
direction = "higher"

[[indicator]]
id = "ho-so-truc-tuyen"
name = "Tỷ lệ hồ sơ dịch vụ công trực tuyến"
unit = "%"
direction = "higher"

[indicator.measure]
dataset = "hoso"
value = "COUNT(*)"

[indicator.targets]
2026 = "≥ 110%"
"2026-2030" = "100"

[[indicator]]
id = "xep-hang-dti"
name = "Xếp hạng chỉ số chuyển đổi số (DTI)"
unit = "score"
direction = "higher"
points = -5

[indicator.targets]
2030 = "top 20"
"#;
    let run = check(&[
        ("catalogue.toml", CATALOGUE),
        ("indicators.toml", text.as_bytes()),
    ]);
    run.assert_errors(&[]);
    assert_eq!(
        run.lines_in("cat/indicators.toml"),
        [
            (6, "E101"),
            (9, "E121"),
            (12, "E111"),
            (14, "E103"),
            (24, "E131"),
            (28, "E122"),
            (29, "E123"),
            (36, "E103"),
            (39, "E124"),
        ],
        "{}",
        run.stdout
    );
}
