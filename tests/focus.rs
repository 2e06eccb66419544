//! `chitieu score --focus UNIT | --focus-level LEVEL` on the shipped Lào Cai data (chitieu.toml's
//! defaults): the focused page and workbook hold the unit and its descendants with the whole
//! run's ranks, the JSON and CSVs stay the whole run's, and a focus naming nothing writes nothing.
//! Every count below can be checked against data/lao-cai/units.csv (1 province, 13 departments,
//! 99 communes and wards).

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, DataType, Reader, Xlsx};
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_chitieu");

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `chitieu score --out OUT --no-charts? EXTRA…` from the repository root (chitieu.toml).
fn score(out: &Path, extra: &[&str]) -> Output {
    Command::new(BIN)
        .args(["score", "--no-history"])
        .arg("--out")
        .arg(out)
        .args(extra)
        .current_dir(root())
        .output()
        .unwrap_or_else(|e| panic!("cannot run chitieu: {e}"))
}

fn ok(output: &Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The ids of units.csv of `level` (every unit when `None`), in file order.
fn units_csv(level: Option<&str>) -> Vec<String> {
    let text = std::fs::read_to_string(root().join("data/lao-cai/units.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let cols: Vec<&str> = l.split(',').collect();
            let keep = level.is_none_or(|lv| cols.last() == Some(&lv));
            keep.then(|| cols[0].to_string())
        })
        .collect()
}

/// Column A of a sheet below its header, down to the first empty cell (the table's rows).
fn first_column(book: &Path, sheet: &str) -> Vec<String> {
    let mut book: Xlsx<_> =
        calamine::open_workbook(book).unwrap_or_else(|e| panic!("{}: {e}", book.display()));
    let range = book
        .worksheet_range(sheet)
        .unwrap_or_else(|e| panic!("{sheet}: {e}"));
    (1..)
        .map(|r| range.get_value((r, 0)).cloned().unwrap_or(Data::Empty))
        .take_while(|d| *d != Data::Empty)
        .map(|d| d.to_string())
        .collect()
}

/// The summary sheet's rows as (unit id, rank, rank of).
fn summary_ranks(book: &Path) -> Vec<(String, Option<f64>, Option<f64>)> {
    let mut wb: Xlsx<_> =
        calamine::open_workbook(book).unwrap_or_else(|e| panic!("{}: {e}", book.display()));
    let range = wb
        .worksheet_range("Tổng hợp")
        .unwrap_or_else(|e| panic!("{e}"));
    let num = |r: u32, c: u32| range.get_value((r, c)).and_then(|d| d.as_f64());
    (1..)
        .take_while(|&r| range.get_value((r, 0)).is_some_and(|d| *d != Data::Empty))
        .map(|r| {
            let id = range.get_value((r, 0)).map(|d| d.to_string());
            // columns: id, name, level, parent, score, grade, rank (G), rank of (H)
            (id.unwrap_or_default(), num(r, 6), num(r, 7))
        })
        .collect()
}

/// The whole run, without charts: what every focused run must match in its JSON and CSVs.
fn whole_run(out: &Path) -> Value {
    ok(&score(out, &["--no-charts"]));
    serde_json::from_slice(&read(&out.join("scorecard.json"))).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_communes_focus_holds_that_commune_with_its_rank_among_all_99() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (whole, focused) = (tmp.path().join("whole"), tmp.path().join("focused"));
    let card = whole_run(&whole);
    let run = score(&focused, &["--focus", "phuong-cam-duong"]);
    ok(&run);
    // the machine-readable outputs are the whole run's, byte for byte
    for name in [
        "scorecard.json",
        "scorecard.csv",
        "summary.csv",
        "tasks.csv",
        "reports.csv",
    ] {
        assert!(
            read(&whole.join(name)) == read(&focused.join(name)),
            "{name} differs with --focus"
        );
    }
    // the workbook holds the commune alone, with its rank among the province's 99 communes
    let book = focused.join("scorecard.xlsx");
    let json_unit = card["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == "phuong-cam-duong"))
        .unwrap_or_else(|| panic!("no unit"));
    let rank = json_unit["rank"].as_f64();
    assert_eq!(
        summary_ranks(&book),
        [("phuong-cam-duong".to_string(), rank, Some(99.0))]
    );
    assert!(rank.is_some());
    // its province, outside the view, is still named: workbook, page and league table
    let mut wb: Xlsx<_> = calamine::open_workbook(&book).unwrap_or_else(|e| panic!("{e}"));
    let summary = wb
        .worksheet_range("Tổng hợp")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        summary.get_value((1, 3)).map(|d| d.to_string()),
        Some("UBND tỉnh Lào Cai".to_string())
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("Nhóm \"xa\" thuộc UBND tỉnh Lào Cai — 1 đơn vị"),
        "{stdout}"
    );
    let rows = first_column(&book, "Chỉ tiêu");
    assert!(!rows.is_empty() && rows.iter().all(|u| u == "phuong-cam-duong"));
    // the page: one league row, the note, and the charts of that unit only
    let page = String::from_utf8(read(&focused.join("report.html"))).unwrap_or_default();
    assert_eq!(page.matches("<tr data-unit=").count(), 1);
    assert!(page.contains("<tr data-unit=\"phuong-cam-duong\">"));
    assert!(page.contains("<i>xa</i> thuộc UBND tỉnh Lào Cai — 1 đơn vị"));
    assert!(page.contains(
        "Đơn vị: Phường Cam Đường và các đơn vị trực thuộc (1 trong 113 đơn vị của lần chấm điểm)"
    ));
    let units: Vec<String> = std::fs::read_dir(focused.join("charts"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("unit-") && n.ends_with(".svg"))
        .collect();
    assert_eq!(units, ["unit-phuong-cam-duong.svg"]);
    // the whole run's page says nothing of a focus
    let whole_page = String::from_utf8(read(&whole.join("report.html"))).unwrap_or_default();
    assert!(!whole_page.contains("class=\"focus\""));
}

#[test]
fn the_provinces_focus_holds_every_unit_with_the_same_ranks() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (whole, focused) = (tmp.path().join("whole"), tmp.path().join("focused"));
    whole_run(&whole);
    ok(&score(
        &focused,
        &["--focus", "lao-cai", "--no-charts", "--lang", "vi"],
    ));
    // the province's descendants are every unit of units.csv: the same rows, the same ranks
    let book = focused.join("scorecard.xlsx");
    let ids: Vec<String> = summary_ranks(&book).into_iter().map(|r| r.0).collect();
    assert_eq!(ids, units_csv(None));
    assert_eq!(
        summary_ranks(&book),
        summary_ranks(&whole.join("scorecard.xlsx"))
    );
}

#[test]
fn focus_level_xa_writes_one_directory_per_commune() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (whole, out) = (tmp.path().join("whole"), tmp.path().join("out"));
    whole_run(&whole);
    // a page of an earlier whole run in OUT is not left beside the new outputs
    ok(&score(&out, &["--no-charts"]));
    let run = score(&out, &["--focus-level", "xa", "--no-charts"]);
    ok(&run);
    let communes = units_csv(Some("xa"));
    assert_eq!(communes.len(), 99);
    let mut dirs: Vec<String> = std::fs::read_dir(&out)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let mut expected = communes.clone();
    expected.sort();
    assert_eq!(dirs, expected);
    for id in &communes {
        let ranks = summary_ranks(&out.join(id).join("scorecard.xlsx"));
        assert_eq!(ranks.len(), 1, "{id}");
        assert_eq!(ranks[0].0, *id);
        assert!(out.join(id).join("report.html").is_file(), "{id}");
    }
    assert!(!out.join("report.html").exists());
    assert!(!out.join("scorecard.xlsx").exists());
    assert!(read(&whole.join("scorecard.json")) == read(&out.join("scorecard.json")));
    // stdout names every page
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(stdout.matches("/report.html (").count(), 99);
}

#[test]
fn a_focus_that_names_nothing_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    let run = score(&out, &["--focus", "lao-ca"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("units.csv has no unit `lao-ca` (did you mean `lao-cai`?)"),
        "{stderr}"
    );
    assert!(!out.exists());
    let run = score(&out, &["--focus-level", "huyen"]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("no unit of level `huyen` (its levels: so, tinh, xa)"),
        "{stderr}"
    );
    assert!(!out.exists());
    // the two are one choice
    let run = score(&out, &["--focus", "lao-cai", "--focus-level", "tinh"]);
    assert_eq!(run.status.code(), Some(2));
    assert!(!out.exists());
}
