//! Golden outputs: every output of a few fixed runs on the shipped data, compared with the copies
//! under `tests/golden/<case>/`, so that a refactoring that changes one byte of a result fails.
//!
//! * scorecard.json, scorecard.csv, summary.csv, tasks.csv and report.html: byte for byte;
//! * scorecard.parquet: its table, as CSV text (`scorecard.parquet.csv`);
//! * scorecard.xlsx: cell by cell, through calamine (`scorecard.xlsx.txt` holds one line per
//!   non-empty cell: sheet, cell reference, value type and value), since the zip itself is not
//!   the result;
//! * charts: `charts.txt` lists every chart file with its size and an FNV-1a hash of its bytes
//!   (the SVG also reaches report.html inline, where a change shows as a text difference);
//! * stdout of the run, with the output directory written as `OUT`.
//!
//! The Lào Cai runs use `--no-charts` (its 320 charts take minutes in a debug build); the Đồng
//! Nai runs draw theirs.
//!
//! When an output changes ON PURPOSE, regenerate the copies and commit them on their own, saying
//! which output changed and why:
//!
//! ```sh
//! CHITIEU_BLESS=1 cargo test --test golden
//! ```
//!
//! On a difference the test names the file and the first differing line, and leaves the run's
//! outputs under `$CARGO_TARGET_TMPDIR/golden-<checkout>/<case>/` for a full `diff -r`.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader};

/// One run of `chitieu score`: the case's name (its folder under tests/golden/) and arguments
/// (`--out` is added).
struct Case {
    name: &'static str,
    args: &'static [&'static str],
    /// A case run earlier whose golden copies this one shares: a file byte-identical to that
    /// case's copy (the JSON and CSV, which do not depend on the language) is stored once, there.
    base: Option<&'static str>,
}

const DONG_NAI: [&str; 4] = [
    "--catalogue",
    "indicators/dong-nai-skhcn-2025",
    "--data",
    "data/dong-nai-skhcn-2025",
];

const CASES: &[Case] = &[
    // the default run: chitieu.toml's catalogue, data and language
    Case {
        name: "lao-cai",
        args: &["score", "--no-charts", "--no-history"],
        base: None,
    },
    Case {
        name: "lao-cai-en",
        args: &["score", "--no-charts", "--no-history", "--lang", "en"],
        base: Some("lao-cai"),
    },
    Case {
        name: "dong-nai",
        args: &[
            "score",
            "--no-history",
            DONG_NAI[0],
            DONG_NAI[1],
            DONG_NAI[2],
            DONG_NAI[3],
        ],
        base: None,
    },
    Case {
        name: "dong-nai-en",
        args: &[
            "score",
            "--no-history",
            DONG_NAI[0],
            DONG_NAI[1],
            DONG_NAI[2],
            DONG_NAI[3],
            "--lang",
            "en",
        ],
        base: Some("dong-nai"),
    },
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs a case into `out` and returns its outputs as (golden file name, bytes).
fn run(case: &Case, out: &Path) -> BTreeMap<String, Vec<u8>> {
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(case.args)
        .arg("--out")
        .arg(out)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run chitieu: {e}"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}: {}",
        case.name,
        String::from_utf8_lossy(&o.stderr)
    );
    let mut files = BTreeMap::new();
    let stdout = String::from_utf8_lossy(&o.stdout).replace(&*out.to_string_lossy(), "OUT");
    files.insert("stdout.txt".to_string(), stdout.into_bytes());
    let mut charts = String::new();
    for path in walk(out) {
        let name = path
            .strip_prefix(out)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        if name.starts_with("charts/") {
            charts += &format!("{name}\t{}\t{:016x}\n", bytes.len(), fnv1a(&bytes));
        } else if name.ends_with(".xlsx") {
            files.insert(format!("{name}.txt"), xlsx_cells(&path).into_bytes());
        } else if name.ends_with(".parquet") {
            files.insert(format!("{name}.csv"), parquet_table(&path));
        } else {
            files.insert(name, bytes);
        }
    }
    if !charts.is_empty() {
        files.insert("charts.txt".to_string(), charts.into_bytes());
    }
    files
}

/// A Parquet output as CSV text (header, then every row, as polars writes it): its table is
/// the result, not the file's encoding, which a polars upgrade may change.
fn parquet_table(path: &Path) -> Vec<u8> {
    use polars::prelude::*;
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut table = ParquetReader::new(file)
        .finish()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = Vec::new();
    CsvWriter::new(&mut text)
        .finish(&mut table)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text
}

/// The files under `dir` by their path relative to it; none when `dir` does not exist.
fn read_dir_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    if !dir.is_dir() {
        return BTreeMap::new();
    }
    walk(dir)
        .into_iter()
        .map(|path| {
            let name = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (name, bytes)
        })
        .collect()
}

/// Every file under `dir`, sorted.
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// 64-bit FNV-1a: a stable hash (std's hasher may change between Rust versions).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// A workbook as text: each sheet's name, then one line per non-empty cell.
fn xlsx_cells(path: &Path) -> String {
    let mut book =
        calamine::open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = String::new();
    for sheet in book.sheet_names() {
        s += &format!("## {sheet}\n");
        let range = book
            .worksheet_range(&sheet)
            .unwrap_or_else(|e| panic!("{sheet}: {e}"));
        let (r0, c0) = range.start().unwrap_or((0, 0));
        for (r, c, cell) in range.cells() {
            if matches!(cell, Data::Empty) {
                continue;
            }
            let reference = format!("{}{}", column_name(c0 as usize + c), r0 as usize + r + 1);
            s += &format!("{reference}\t{cell:?}\n");
        }
    }
    s
}

/// Excel's column letters: 0 → A, 25 → Z, 26 → AA.
fn column_name(mut j: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(b'A' + (j % 26) as u8);
        if j < 26 {
            break;
        }
        j = j / 26 - 1;
    }
    name.reverse();
    String::from_utf8_lossy(&name).to_string()
}

/// The first line where two texts differ, for the failure message.
fn first_difference(expected: &[u8], actual: &[u8]) -> String {
    let (e, a) = (
        String::from_utf8_lossy(expected),
        String::from_utf8_lossy(actual),
    );
    let mut el = e.lines();
    let mut al = a.lines();
    for n in 1.. {
        match (el.next(), al.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (None, None) => return "same lines, different line endings".into(),
            (x, y) => {
                let cut = |s: Option<&str>| -> String {
                    s.map_or("<end of file>".into(), |s| s.chars().take(300).collect())
                };
                return format!("line {n}:\n  expected: {}\n  actual:   {}", cut(x), cut(y));
            }
        }
    }
    unreachable!()
}

fn bless() -> bool {
    std::env::var_os("CHITIEU_BLESS").is_some_and(|v| v != "0" && !v.is_empty())
}

/// Compares (or, blessing, writes) one case's outputs; returns the problems found.
fn check(case: &Case) -> Vec<String> {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let actual = run(case, out.path());
    let golden = root().join("tests/golden").join(case.name);
    // the target directory may be shared by several checkouts: one folder per checkout
    let kept = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!(
            "golden-{:08x}",
            fnv1a(env!("CARGO_MANIFEST_DIR").as_bytes()) as u32
        ))
        .join(case.name);
    let base = case
        .base
        .map(|b| read_dir_files(&root().join("tests/golden").join(b)));
    let shared = |name: &str, bytes: &[u8]| {
        base.as_ref()
            .and_then(|b| b.get(name))
            .is_some_and(|b| b == bytes)
    };
    if bless() {
        let _ = std::fs::remove_dir_all(&golden);
        for (name, bytes) in &actual {
            if shared(name, bytes) {
                continue;
            }
            let path = golden.join(name);
            std::fs::create_dir_all(path.parent().unwrap_or(&golden))
                .unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        }
        return Vec::new();
    }
    let mut expected = read_dir_files(&golden);
    // a file this case does not hold is its base case's copy, when that is one of the
    // language-independent outputs
    for (name, bytes) in base.into_iter().flatten() {
        if name.ends_with(".json") || name.ends_with(".csv") {
            expected.entry(name).or_insert(bytes);
        }
    }
    let mut problems = Vec::new();
    for (name, want) in &expected {
        match actual.get(name) {
            None => problems.push(format!("{}: {name} is no longer written", case.name)),
            Some(got) if got != want => problems.push(format!(
                "{}: {name} differs at {}",
                case.name,
                first_difference(want, got)
            )),
            Some(_) => {}
        }
    }
    for name in actual.keys().filter(|n| !expected.contains_key(*n)) {
        problems.push(format!("{}: {name} is new (no golden copy)", case.name));
    }
    if !problems.is_empty() {
        let _ = std::fs::remove_dir_all(&kept);
        for (name, bytes) in &actual {
            let path = kept.join(name);
            let _ = std::fs::create_dir_all(path.parent().unwrap_or(&kept));
            let _ = std::fs::write(&path, bytes);
        }
        problems.push(format!(
            "{}: this run's outputs are in {} (diff -r tests/golden/{} against it)",
            case.name,
            kept.display(),
            case.name
        ));
    }
    problems
}

#[test]
fn outputs_match_the_golden_copies() {
    let problems: Vec<String> = CASES.iter().flat_map(check).collect();
    assert!(
        problems.is_empty(),
        "outputs differ from tests/golden (bless with CHITIEU_BLESS=1 cargo test --test golden \
         if the change is intended):\n{}",
        problems.join("\n")
    );
}

#[test]
fn a_run_repeated_gives_the_same_bytes() {
    let case = &CASES[2];
    let (a, b) = (
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
        tempfile::tempdir().unwrap_or_else(|e| panic!("{e}")),
    );
    let (first, second) = (run(case, a.path()), run(case, b.path()));
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &first {
        assert!(second[name] == *bytes, "{name} differs between two runs");
    }
    // the golden copies hold no path of the machine or the run
    for (name, bytes) in &first {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(&*a.path().to_string_lossy())
                && !text.contains(env!("CARGO_MANIFEST_DIR")),
            "{name} holds a path"
        );
    }
}

#[test]
fn column_names_follow_excel() {
    assert_eq!(column_name(0), "A");
    assert_eq!(column_name(25), "Z");
    assert_eq!(column_name(26), "AA");
    assert_eq!(column_name(27), "AB");
    assert_eq!(column_name(701), "ZZ");
    assert_eq!(column_name(702), "AAA");
}
