//! End-to-end `chitieu score` on the small fixture tests/fixtures/mini: every figure below was
//! computed by hand from the fixture's CSV files (see the comments), and bad data stops the run
//! with the right code before anything is written.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_chitieu");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("cannot run chitieu: {e}"))
}

fn score(data: &Path, out: &Path, extra: &[&str]) -> Output {
    let catalogue = fixture().join("catalogue");
    let mut args = vec![
        "score",
        "--no-history",
        "--catalogue",
        catalogue.to_str().unwrap_or(""),
        "--data",
        data.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ];
    args.extend_from_slice(extra);
    run(&args, &fixture())
}

fn unit<'a>(card: &'a Value, id: &str) -> &'a Value {
    card["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == id))
        .unwrap_or_else(|| panic!("no unit {id}"))
}

fn indicator<'a>(unit: &'a Value, id: &str) -> &'a Value {
    unit["indicators"]
        .as_array()
        .and_then(|i| i.iter().find(|i| i["id"] == id))
        .unwrap_or_else(|| panic!("no indicator {id}"))
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn assert_close(v: &Value, expected: f64) {
    assert!((num(v) - expected).abs() < 1e-9, "{v} != {expected}");
}

fn scored() -> Value {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(
        &fixture().join("data"),
        out.path(),
        &["--period", "2026-02"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default();
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn scorecard_json_field_by_field() {
    let card = scored();
    assert_eq!(card["period"], "2026-02");
    assert_eq!(card["as_of"], "2026-02-28");
    assert_eq!(card["catalogue"]["id"], "mini");

    // Computed from ho_so.csv through the fused scan: Xã A has 2 of 2 dossiers online in February,
    // Xã B 1 of 4, the province 3 of 6 (its communes' records); the March record is not in P.
    let a = unit(&card, "xa-a");
    let tt = indicator(a, "truc-tuyen");
    assert_close(&tt["value"], 100.0);
    assert_close(&tt["numerator"], 2.0);
    assert_close(&tt["denominator"], 2.0);
    assert_eq!(tt["status"], "dat");
    assert_close(&tt["gap"], 50.0);
    assert_close(&tt["points"], 10.0);
    // January 50 %, February 100 %: already meets the 2030 target ">= 80"
    assert_eq!(tt["forecast"]["status"], "da_dat");
    let b = unit(&card, "xa-b");
    let tt_b = indicator(b, "truc-tuyen");
    assert_close(&tt_b["value"], 25.0);
    assert_close(&tt_b["attainment"], 0.5); // capped: 25 / 50
    assert_close(&tt_b["earned"], 5.0);
    assert_eq!(tt_b["status"], "chua_dat");
    let tinh = unit(&card, "tinh");
    assert_close(&indicator(tinh, "truc-tuyen")["value"], 50.0);

    // Reported with numerator/denominator: Xã A 72/100 against ">= 80" gives 0.9 (gần đạt at
    // near = 0.9) and the group's remaining 20 − 10 = 10 points; the province is the ratio of
    // sums (72 + 90) / 200 = 81 %.
    let v = indicator(a, "vneid");
    assert_close(&v["attainment"], 0.9);
    assert_eq!(v["status"], "gan_dat");
    assert_close(&v["points"], 10.0);
    assert_close(&v["earned"], 9.0);
    assert_close(&v["gap"], -8.0);
    let v_tinh = indicator(tinh, "vneid");
    assert_close(&v_tinh["value"], 81.0);
    assert_close(&v_tinh["numerator"], 162.0);
    assert_close(&v_tinh["denominator"], 200.0);

    // "không quá 30%" with 40: capped lower 30 / 40 = 0.75, gap +10 points
    let pc = indicator(tinh, "phan-cap");
    assert_close(&pc["attainment"], 0.75);
    assert_close(&pc["gap"], 10.0);
    assert_eq!(pc["target"]["op"], "<=");

    // reduce 50 % from 2025 (200) → threshold 100; 120 reported: 100 / 120
    let ld = indicator(tinh, "lua-dao");
    assert_close(&ld["target"]["value"], 100.0);
    assert_close(&ld["attainment"], 100.0 / 120.0);
    assert_eq!(ld["status"], "chua_dat");
    // a commune without a 2025 value cannot resolve the baseline
    assert_eq!(indicator(a, "lua-dao")["status"], "khong_co_du_lieu");

    // boolean: 2 of 3 communes ("1", "Đạt"), the province's share 66.67 %
    let ht = indicator(tinh, "he-thong");
    assert_close(&ht["value"], 200.0 / 3.0);
    assert_close(&ht["attainment"], 2.0 / 3.0);
    assert_eq!(indicator(b, "he-thong")["status"], "chua_dat");

    // qualitative: shown, not scored, no points
    let text = indicator(tinh, "theo-chi-dao");
    assert_eq!(text["status"], "khong_cham");
    assert_eq!(text["target"]["text"], "Theo chỉ đạo của Bộ Công an");
    assert_close(&text["points"], 0.0);

    // Unit scores (missing = zero), Σmax = 10 + 10 + 1 + 1 + 1 = 23:
    // province 10 + 10 + 0.75 + 0.8333 + 0.6667 = 22.25 → 96.74; Xã A 10 + 9 + 1 = 20 → 86.96;
    // Xã B 5 + 10 = 15 → 65.22; Xã C 1 → 4.35
    assert_close(&tinh["score"], 100.0 * 22.25 / 23.0);
    assert_close(&a["score"], 100.0 * 20.0 / 23.0);
    assert_close(&b["score"], 100.0 * 15.0 / 23.0);
    assert_close(&unit(&card, "xa-c")["score"], 100.0 / 23.0);
    assert_eq!(tinh["grade"], "Xuất sắc");
    assert_eq!(a["grade"], "Tốt");
    assert_eq!(b["grade"], "Trung bình");
    assert_eq!(unit(&card, "xa-c")["grade"], "Yếu");
    // ranks among the communes of the province
    assert_eq!(
        (a["rank"].as_u64(), a["rank_of"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(b["rank"].as_u64(), Some(2));
    // coverage: 3 of 5 scored indicators with data
    assert_close(&a["coverage"], 0.6);
    // group I of Xã A: 19 of 20
    let g1 = a["groups"]
        .as_array()
        .and_then(|g| g.iter().find(|g| g["id"] == "I"))
        .cloned()
        .unwrap_or_default();
    assert_close(&g1["earned"], 19.0);
    assert_close(&g1["max"], 20.0);
    assert_close(&g1["score"], 95.0);

    // Tasks at 2026-02-28: t1 done 10/2 before its due 31/3 (on time); t2 due 31/1 without a
    // report (overdue); t3 recurring. Province: 1 done / (1 done + 1 overdue) = 50 %.
    let t = &tinh["tasks"];
    assert_eq!(
        (
            t["total"].as_u64(),
            t["done_on_time"].as_u64(),
            t["overdue"].as_u64(),
            t["no_deadline"].as_u64()
        ),
        (Some(3), Some(1), Some(1), Some(1))
    );
    assert_close(&t["completion_rate"], 50.0);
    let lines = card["tasks"].as_array().cloned().unwrap_or_default();
    let status_of = |task: &str| {
        lines
            .iter()
            .find(|l| l["task"] == task)
            .map(|l| l["status"].clone())
    };
    assert_eq!(status_of("t1"), Some(Value::from("hoan_thanh_dung_han")));
    assert_eq!(status_of("t2"), Some(Value::from("chua_bao_cao")));
    assert_eq!(status_of("t3"), Some(Value::from("thuong_xuyen")));
}

#[test]
fn identical_inputs_give_identical_outputs() {
    let (x, y) = (tempfile::tempdir(), tempfile::tempdir());
    let (x, y) = (
        x.unwrap_or_else(|e| panic!("{e}")),
        y.unwrap_or_else(|e| panic!("{e}")),
    );
    for out in [x.path(), y.path()] {
        let o = score(&fixture().join("data"), out, &["--period", "2026-02"]);
        assert_eq!(o.status.code(), Some(0));
    }
    for name in [
        "scorecard.json",
        "scorecard.csv",
        "scorecard.parquet",
        "summary.csv",
        "tasks.csv",
    ] {
        let a = std::fs::read(x.path().join(name)).unwrap_or_default();
        let b = std::fs::read(y.path().join(name)).unwrap_or_default();
        assert!(!a.is_empty(), "{name} missing");
        assert_eq!(a, b, "{name} differs between two identical runs");
    }
}

#[test]
fn scorecard_parquet_is_the_long_table_of_scorecard_csv() {
    use polars::prelude::*;
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(
        &fixture().join("data"),
        out.path(),
        &["--period", "2026-02"],
    );
    assert_eq!(o.status.code(), Some(0));
    let file = std::fs::File::open(out.path().join("scorecard.parquet"))
        .unwrap_or_else(|e| panic!("scorecard.parquet: {e}"));
    let table = ParquetReader::new(file)
        .finish()
        .unwrap_or_else(|e| panic!("{e}"));
    let csv = std::fs::read_to_string(out.path().join("scorecard.csv")).unwrap_or_default();
    let mut lines = csv.lines();
    // the same columns in the same order, one row per CSV line
    let header: Vec<&str> = lines.next().unwrap_or("").split(',').collect();
    let names: Vec<&str> = table
        .get_column_names()
        .iter()
        .map(|n| n.as_str())
        .collect();
    assert_eq!(names, header);
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(table.height(), rows.len());
    // every cell as the CSV writes it: ids, texts, numbers (none of the fixture's cells holds
    // a comma or a quote, so splitting the lines is exact)
    for (c, name) in header.iter().enumerate() {
        let column = table
            .column(name)
            .and_then(|col| col.cast(&DataType::String))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let column = column.str().unwrap_or_else(|e| panic!("{name}: {e}"));
        for (r, row) in rows.iter().enumerate() {
            let cell = column.get(r).unwrap_or("");
            assert_eq!(cell, row[c], "{name} at row {}", r + 1);
        }
    }
}

/// Copies the fixture's data to a tempdir, applies `edit` to one file, and returns the dir.
fn broken(file: &str, edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(fixture().join("data"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let text = if name == file { edit(text) } else { text };
        std::fs::write(dir.path().join(name), text).unwrap_or_default();
    }
    dir
}

fn assert_rejected(data: &Path, code: &str, place: &str) {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = out.path().join("out");
    let o = score(data, &target, &["--period", "2026-02"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("[{code}]")),
        "expected {code} in:\n{stderr}"
    );
    assert!(stderr.contains(place), "expected {place:?} in:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !target.exists(),
        "an output directory was written despite {code}"
    );
}

#[test]
fn a_missing_column_is_e306() {
    let d = broken("reported.csv", |t| {
        t.replacen("unit,period,indicator", "unit,period,chi_tieu", 1)
    });
    assert_rejected(d.path(), "E306", "reported.csv");
}

#[test]
fn text_in_a_number_cell_is_e307_with_row_and_column() {
    // the first data row is row 2 of the sheet
    let d = broken("reported.csv", |t| {
        t.replacen(
            "xa-a,2026-02,vneid,,72,100,",
            "xa-a,2026-02,vneid,,abc,100,",
            1,
        )
    });
    assert_rejected(d.path(), "E307", "reported.csv:2:21");
    assert_rejected(d.path(), "E307", "^^^ column \"numerator\"");
}

#[test]
fn an_unknown_unit_is_e300() {
    let d = broken("reported.csv", |t| {
        t.replacen("xa-b,2026-02,vneid", "xa-z,2026-02,vneid", 1)
    });
    assert_rejected(d.path(), "E300", "reported.csv:3:1");
}

#[test]
fn a_cycle_in_units_is_e305() {
    let d = broken("units.csv", |t| {
        t.replacen(
            "tinh,UBND tỉnh Mẫu,,tinh",
            "tinh,UBND tỉnh Mẫu,xa-a,tinh",
            1,
        )
    });
    assert_rejected(d.path(), "E305", "units.csv");
}

#[test]
fn numerator_above_denominator_is_an_error_in_check_and_excluded_in_score() {
    let d = broken("reported.csv", |t| {
        t.replacen(
            "xa-b,2026-02,vneid,,90,100,",
            "xa-b,2026-02,vneid,,190,100,",
            1,
        )
    });
    let catalogue = fixture().join("catalogue");
    let o = run(
        &[
            "check",
            catalogue.to_str().unwrap_or(""),
            "--data",
            d.path().to_str().unwrap_or(""),
        ],
        &fixture(),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("[E302]") && stdout.contains("reported.csv:3:"),
        "{stdout}"
    );
    // SPEC §5.2: in a score run the row is excluded with a warning, and scoring goes on
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(d.path(), out.path(), &["--period", "2026-02"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("warning"));
    let card: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    // Xã B has no vneid value any more; the province rolls up Xã A alone: 72 / 100
    assert_eq!(
        indicator(unit(&card, "xa-b"), "vneid")["value"],
        Value::Null
    );
    assert_close(&indicator(unit(&card, "tinh"), "vneid")["value"], 72.0);
}

#[test]
fn cumulative_adds_the_months_from_january() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(
        &fixture().join("data"),
        out.path(),
        &["--period", "2026-02", "--cumulative"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let card: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    // Xã A: January 1 of 2 online, February 2 of 2 → year to date 3 of 4 = 75 %
    let tt = indicator(unit(&card, "xa-a"), "truc-tuyen");
    assert_close(&tt["value"], 75.0);
    assert_close(&tt["denominator"], 4.0);
    // the province: 4 of 8
    assert_close(&indicator(unit(&card, "tinh"), "truc-tuyen")["value"], 50.0);
}

#[test]
fn the_default_period_is_the_latest_in_the_data() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(&fixture().join("data"), out.path(), &[]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let card: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    // ho_so.csv holds one record of March 2026, later than every reported row
    assert_eq!(card["period"], "2026-03");
    // a February row does not lie inside March, so vneid has no value for Xã A in March
    assert_eq!(
        indicator(unit(&card, "xa-a"), "vneid")["value"],
        Value::Null
    );
}

#[test]
fn a_record_of_an_unknown_unit_is_e300_at_its_row() {
    let d = broken("ho_so.csv", |t| {
        t.replacen("xa-b,2026-02-05", "xa-q,2026-02-05", 1)
    });
    assert_rejected(d.path(), "E300", "ho_so.csv:6:1");
}

#[test]
fn a_dataset_without_its_date_column_is_e306() {
    let d = broken("ho_so.csv", |t| t.replacen("ngay_tiep_nhan", "ngay", 1));
    assert_rejected(d.path(), "E306", "ho_so.csv has no column `ngay_tiep_nhan`");
}

/// `chitieu check --data` on a broken copy of the fixture: exit 1, the code at its row.
fn assert_check_reports(data: &Path, code: &str, place: &str) {
    let catalogue = fixture().join("catalogue");
    let o = run(
        &[
            "check",
            catalogue.to_str().unwrap_or(""),
            "--data",
            data.to_str().unwrap_or(""),
        ],
        &fixture(),
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("[{code}]")),
        "expected {code} in:\n{stdout}"
    );
    assert!(stdout.contains(place), "expected {place:?} in:\n{stdout}");
}

#[test]
fn an_unknown_indicator_is_e301() {
    let d = broken("reported.csv", |t| {
        t.replacen("tinh,2026-02,phan-cap,40", "tinh,2026-02,phan-cap-x,40", 1)
    });
    assert_check_reports(d.path(), "E301", "reported.csv:4:");
    assert_rejected(d.path(), "E301", "reported.csv:4:");
}

#[test]
fn a_percentage_above_100_is_e303() {
    let d = broken("reported.csv", |t| {
        t.replacen("tinh,2026-02,phan-cap,40", "tinh,2026-02,phan-cap,140", 1)
    });
    assert_check_reports(d.path(), "E303", "reported.csv:4:");
}

#[test]
fn a_duplicate_row_is_e304() {
    let d = broken("reported.csv", |t| {
        format!("{t}tinh,2026-02,phan-cap,35,,,\n")
    });
    assert_check_reports(d.path(), "E304", "reported.csv:10:");
}

#[test]
fn lang_en_gives_english_labels_throughout() {
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(
        &fixture().join("data"),
        out.path(),
        &["--period", "2026-02", "--lang", "en"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("Peer set") && stdout.contains("Score") && stdout.contains("Report:"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("Điểm") && !stdout.contains("Xếp loại"),
        "{stdout}"
    );
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap_or_default();
    assert!(
        html.contains("<html lang=\"en\"") && html.contains("League table"),
        "no English report"
    );
    // (task names such as "Nhiệm vụ quý I" are data and stay as written)
    for vi in [
        "Bảng xếp hạng",
        "Chưa đạt",
        "Quá hạn",
        "Xếp loại",
        "Tổng quan",
    ] {
        assert!(!html.contains(vi), "the English report still says {vi:?}");
    }
    let svg = std::fs::read_to_string(out.path().join("charts/heatmap.svg")).unwrap_or_default();
    assert!(
        svg.contains("Met") && !svg.contains("Chưa đạt"),
        "the heatmap is not in English"
    );
    // in Vietnamese (the default) the same run speaks Vietnamese, numbers with a decimal comma
    let vi = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score(&fixture().join("data"), vi.path(), &["--period", "2026-02"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("86,96"));
    let html = std::fs::read_to_string(vi.path().join("report.html")).unwrap_or_default();
    assert!(html.contains("Bảng xếp hạng") && html.contains("86,96"));
}

#[test]
fn a_name_longer_than_an_excel_cell_is_cut_in_the_workbook_not_a_failed_run() {
    // Excel cells hold at most 32,767 characters: `check` accepts such a name, so the score run
    // must not fail at the workbook; the name is cut there, with `…`, and written whole elsewhere
    let long_name = "Xã ".repeat(12_000);
    let d = broken("units.csv", |t| t.replacen("Xã A", &long_name, 1));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = out.path().join("out");
    let o = score(d.path(), &target, &["--period", "2026-02"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(target.join("scorecard.xlsx").exists());
    let summary = std::fs::read_to_string(target.join("summary.csv")).unwrap_or_default();
    assert!(
        summary.contains(long_name.trim_end()),
        "the CSV keeps the whole name"
    );
}

/// A copy of the fixture's catalogue with `edit` applied to indicators.toml.
fn catalogue_with(edit: impl Fn(String) -> String) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(fixture().join("catalogue"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let name = entry.file_name();
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let text = if name == "indicators.toml" {
            edit(text)
        } else {
            text
        };
        std::fs::write(dir.path().join(name), text).unwrap_or_default();
    }
    dir
}

#[test]
fn levels_leave_an_indicator_out_of_the_score_and_coverage_of_other_levels() {
    // vneid for communes only; phan-cap and lua-dao for the province only (SPEC §6.1)
    let c = catalogue_with(|t| {
        t.replace("id = \"vneid\"\n", "id = \"vneid\"\nlevels = [\"xa\"]\n")
            .replace(
                "id = \"phan-cap\"\n",
                "id = \"phan-cap\"\nlevels = [\"tinh\"]\n",
            )
            .replace(
                "id = \"lua-dao\"\n",
                "id = \"lua-dao\"\nlevels = [\"tinh\"]\n",
            )
    });
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = run(
        &[
            "score",
            "--no-history",
            "--catalogue",
            c.path().to_str().unwrap_or(""),
            "--data",
            fixture().join("data").to_str().unwrap_or(""),
            "--out",
            out.path().to_str().unwrap_or(""),
            "--period",
            "2026-02",
            "--no-charts",
        ],
        &fixture(),
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default();
    let card: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));

    // the province: vneid still shows the communes' ratio (72 + 90) / 200 = 81 %, unscored;
    // scored on truc-tuyen 10/10, phan-cap 0.75/1, lua-dao 0.8333/1, he-thong 0.6667/1
    // → 100 × 12.25 / 13, every one of the 4 with data
    let tinh = unit(&card, "tinh");
    let v = indicator(tinh, "vneid");
    assert_close(&v["value"], 81.0);
    assert_eq!(v["status"], "khong_cham");
    assert_eq!(v["reason"], "không áp dụng cho cấp của đơn vị");
    assert_close(&v["points"], 0.0);
    assert_close(&tinh["score"], 100.0 * 12.25 / 13.0);
    assert_close(&tinh["coverage"], 1.0);

    // Xã A: phan-cap and lua-dao (no data before) are no longer counted: truc-tuyen 10 +
    // vneid 9 + he-thong 1 of 21 points, 3 of 3 with data (was 86,96 at 60 % coverage)
    let a = unit(&card, "xa-a");
    assert_eq!(indicator(a, "phan-cap")["status"], "khong_cham");
    assert_close(&a["score"], 100.0 * 20.0 / 21.0);
    assert_close(&a["coverage"], 1.0);
    // Xã C: only he-thong has data: 1 of 21 points, coverage 1 / 3
    let xc = unit(&card, "xa-c");
    assert_close(&xc["score"], 100.0 / 21.0);
    assert_close(&xc["coverage"], 1.0 / 3.0);
}

/// The fixture's catalogue with two report obligations (SPEC §6.1), and its data with
/// submissions.csv and a `submitted_on` column in reported.csv.
fn with_reports() -> (tempfile::TempDir, tempfile::TempDir) {
    let c = catalogue_with(|t| t);
    std::fs::write(
        c.path().join("reports.toml"),
        "[[report]]\nid = \"bc-thang\"\nname = \"Báo cáo tháng\"\nfrom = { levels = [\"xa\"] }\n\
         carries = [\"vneid\"]\ndue = \"Định kỳ trước ngày 10 hàng tháng\"\n\n\
         [[report]]\nid = \"bc-quy\"\nname = \"Báo cáo quý\"\nfrom = { units = [\"tinh\"] }\n\
         carries = []\ndue = \"trước ngày 15 của tháng cuối Quý\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let d = broken("reported.csv", |t| {
        t.replace("note\n", "note,submitted_on\n").replace(
            "xa-b,2026-02,vneid,,90,100,\n",
            "xa-b,2026-02,vneid,,90,100,,5/3/2026\n",
        )
    });
    std::fs::write(
        d.path().join("submissions.csv"),
        "unit,report,period,submitted_on\n\
         xa-a,bc-thang,2026-01,2026-02-09\n\
         xa-a,bc-thang,2026-02,2026-03-11\n\
         xa-b,bc-thang,2026-01,15/02/2026\n\
         tinh,bc-quy,2026-Q1,2026-03-20\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    (c, d)
}

fn score_with(c: &Path, d: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "score",
        "--no-history",
        "--catalogue",
        c.to_str().unwrap_or(""),
        "--data",
        d.to_str().unwrap_or(""),
        "--out",
        out.to_str().unwrap_or(""),
    ];
    args.extend_from_slice(extra);
    run(&args, &fixture())
}

#[test]
fn report_compliance_counted_by_hand() {
    let (c, d) = with_reports();
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score_with(
        c.path(),
        d.path(),
        out.path(),
        &["--period", "2026-02", "--as-of", "2026-03-12"],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default();
    let card: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    // 2026-02 year to date: the communes owe the January report (due 10/2) and the February one
    // (due 10/3); the province owes Q1 (due 15/3). At 12/3:
    // xa-a: January sent 9/2 (on time), February 11/3 (late 1 day)
    // xa-b: January sent 15/2 (late 5 days), February from its vneid figure sent 5/3 (on time)
    // xa-c: nothing sent: both missing (30 and 2 days so far)
    // tinh: Q1 not due; its sending of 20/3 is after the as-of date and not yet known
    let counts = |id: &str| {
        let r = &unit(&card, id)["reports"];
        (
            r["due"].as_u64(),
            r["on_time"].as_u64(),
            r["late"].as_u64(),
            r["missing"].as_u64(),
            r["not_due"].as_u64(),
        )
    };
    let some = |a, b, c, d, e| (Some(a), Some(b), Some(c), Some(d), Some(e));
    assert_eq!(counts("xa-a"), some(2, 1, 1, 0, 0));
    assert_eq!(counts("xa-b"), some(2, 1, 1, 0, 0));
    assert_eq!(counts("xa-c"), some(2, 0, 0, 2, 0));
    // the province's counts include its communes': 2 on time of 6 due
    assert_eq!(counts("tinh"), some(6, 2, 2, 2, 1));
    assert_close(
        &unit(&card, "tinh")["reports"]["on_time_rate"],
        100.0 * 2.0 / 6.0,
    );
    assert_close(&unit(&card, "xa-c")["reports"]["on_time_rate"], 0.0);
    let lines = card["reports"].as_array().cloned().unwrap_or_default();
    assert_eq!(lines.len(), 7);
    let line = |unit: &str, period: &str| {
        lines
            .iter()
            .find(|l| l["unit"] == unit && l["period"] == period)
            .cloned()
            .unwrap_or_else(|| panic!("no line {unit} {period}"))
    };
    assert_eq!(line("xa-a", "2026-02")["status"], "tre_han");
    assert_eq!(line("xa-a", "2026-02")["days_late"], 1);
    assert_eq!(line("xa-b", "2026-01")["days_late"], 5);
    assert_eq!(line("xa-b", "2026-02")["submitted_on"], "2026-03-05");
    assert_eq!(line("xa-b", "2026-02")["status"], "dung_han");
    assert_eq!(line("xa-c", "2026-01")["status"], "chua_nop");
    assert_eq!(line("xa-c", "2026-01")["days_late"], 30);
    assert_eq!(line("tinh", "2026-Q1")["status"], "chua_den_han");
    assert_eq!(line("tinh", "2026-Q1")["submitted_on"], Value::Null);

    // reports.csv: one row per line, missing and late named in the page first
    let csv = std::fs::read_to_string(out.path().join("reports.csv")).unwrap_or_default();
    assert_eq!(csv.lines().count(), 8);
    assert!(csv.starts_with(
        "report,name,unit,unit_name,period,due_rule,due,submitted_on,status,days_late,source\n"
    ));
    assert!(csv.contains("bc-thang,Báo cáo tháng,xa-c,Xã C,2026-01,Định kỳ trước ngày 10 hàng tháng,2026-02-10,,chua_nop,30,\n"), "{csv}");
    let summary = std::fs::read_to_string(out.path().join("summary.csv")).unwrap_or_default();
    assert!(summary.lines().next().unwrap_or("").ends_with(
        "reports_due,reports_on_time,reports_late,reports_missing,reports_not_due,reports_on_time_rate"
    ));
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap_or_default();
    let section = html
        .split("<section id=\"reports\">")
        .nth(1)
        .unwrap_or_default();
    // the units with reports missing or late, the most missing first: Xã C before Xã A
    let (c_at, a_at) = (section.find("Xã C"), section.find("Xã A"));
    assert!(c_at.is_some() && c_at < a_at, "{section}");
    assert!(out.path().join("charts/reports.svg").exists());
}

#[test]
fn bad_submissions_are_located_errors_and_nothing_is_written() {
    // (row, code, column): unknown unit, unknown report, a quarter for a monthly report, an
    // unreadable date, a repeated (unit, report, period)
    let (c, d) = with_reports();
    std::fs::write(
        d.path().join("submissions.csv"),
        "unit,report,period,submitted_on\n\
         xa-z,bc-thang,2026-01,2026-02-09\n\
         xa-a,bc-thangg,2026-01,2026-02-09\n\
         xa-a,bc-thang,2026-Q1,2026-02-09\n\
         xa-a,bc-thang,2026-01,hôm qua\n\
         xa-b,bc-thang,2026-01,2026-02-09\n\
         xa-b,bc-thang,2026-01,2026-02-10\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let target = out.path().join("out");
    let o = score_with(c.path(), d.path(), &target, &["--period", "2026-02"]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{stderr}");
    // each error line followed by the place it names
    let lines: Vec<&str> = stderr.lines().collect();
    let found: Vec<(String, String)> = lines
        .windows(2)
        .filter(|w| w[0].starts_with("error[E"))
        .map(|w| (w[0][6..10].to_string(), w[1].trim().to_string()))
        .collect();
    let expected = [
        ("E300", "submissions.csv:2:1"),
        ("E301", "submissions.csv:3:6"),
        ("E307", "submissions.csv:4:15"),
        ("E307", "submissions.csv:5:23"),
        ("E304", "submissions.csv:7:6"),
    ];
    assert_eq!(found.len(), expected.len(), "{stderr}");
    for ((code, place), (want_code, want_place)) in found.iter().zip(expected) {
        assert_eq!(code, want_code, "{stderr}");
        assert!(place.ends_with(want_place), "{place} is not {want_place}");
    }
    assert!(stderr.contains("did you mean `bc-thang`"), "{stderr}");
    assert!(!target.exists(), "nothing is written");
}

#[test]
fn shipped_lao_cai_compliance_of_one_commune_by_hand() {
    // data/lao-cai/submissions.csv, Xã Trịnh Tường (level xa: owes bc-ke-hoach-trien-khai due
    // 06/6/2026 and bc-thang due the 10th of the next month):
    //   bc-ke-hoach 2026-06 sent 10/6 (late 4) · bc-thang 2026-01 sent 3/2 (on time),
    //   2026-02 sent 20/03/2026 (late 10), 2026-06 sent 11/7 (late 1), 2026-07 sent 8/8 (on time);
    //   2026-03, -04, -05, -08, -09 never sent; 2026-10 due 10/11.
    // (as of, on time, late, missing, not due)
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for (as_of, expected) in [
        ("2026-10-31", (2, 3, 5, 1)),
        // on 8/6 the plan (due 6/6, sent 10/6) is still missing; May (due 10/6) and later not due
        ("2026-06-08", (1, 1, 3, 6)),
    ] {
        let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let o = run(
            &[
                "score",
                "--no-history",
                "--period",
                "2026-10",
                "--as-of",
                as_of,
                "--no-charts",
                "--out",
                out.path().to_str().unwrap_or(""),
            ],
            root,
        );
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let text = std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default();
        let card: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let r = &unit(&card, "xa-trinh-tuong")["reports"];
        let got = (
            r["on_time"].as_u64().unwrap_or(99),
            r["late"].as_u64().unwrap_or(99),
            r["missing"].as_u64().unwrap_or(99),
            r["not_due"].as_u64().unwrap_or(99),
        );
        assert_eq!(got, expected, "as of {as_of}");
    }
}

#[test]
fn report_compliance_scored_as_an_indicator() {
    let (c, d) = with_reports();
    let path = c.path().join("indicators.toml");
    let mut text = std::fs::read_to_string(&path).unwrap_or_default();
    text += "\n[[indicator]]\nid = \"bao-cao-dung-han\"\nname = \"Tỷ lệ báo cáo đúng hạn\"\n\
             group = \"II\"\nunit = \"%\"\ndirection = \"higher\"\npoints = 2\n\
             [indicator.measure]\nbuiltin = \"report_on_time_rate\"\n\
             [indicator.targets]\n2026 = \">= 80\"\n";
    std::fs::write(&path, text).unwrap_or_else(|e| panic!("{e}"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = score_with(
        c.path(),
        d.path(),
        out.path(),
        &[
            "--period",
            "2026-02",
            "--as-of",
            "2026-03-12",
            "--no-charts",
        ],
    );
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default();
    let card: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    // the counts of report_compliance_counted_by_hand against ">= 80", 2 points, capped:
    // xa-a 1 of 2 on time: 50 % → 50 / 80 = 0.625 → 1.25 points; xa-c 0 of 2 → 0 points;
    // the province 2 of 6 (its communes'): 33.33 % → 0.4167 → 0.8333 points
    let ind = |u: &str| indicator(unit(&card, u), "bao-cao-dung-han").clone();
    let a = ind("xa-a");
    assert_close(&a["value"], 50.0);
    assert_close(&a["numerator"], 1.0);
    assert_close(&a["denominator"], 2.0);
    assert_close(&a["attainment"], 0.625);
    assert_close(&a["earned"], 1.25);
    assert_eq!(a["status"], "chua_dat");
    assert_close(&ind("xa-c")["earned"], 0.0);
    assert_close(&ind("tinh")["value"], 100.0 / 3.0);
    assert_close(&ind("tinh")["earned"], 2.0 * (100.0 / 3.0) / 80.0);
    // and it is in the score: xa-c had 1 of 23 points without it (he-thong); now 1 of 25
    assert_close(&unit(&card, "xa-c")["score"], 100.0 / 25.0);
}

#[test]
fn an_unreadable_submitted_on_in_reported_csv_is_e307_at_its_cell() {
    let d = broken("reported.csv", |t| {
        t.replace("note\n", "note,submitted_on\n").replace(
            "xa-b,2026-02,vneid,,90,100,\n",
            "xa-b,2026-02,vneid,,90,100,,hôm qua\n",
        )
    });
    // header row 1; xa-b's vneid row is row 3; submitted_on is the 8th column, and the
    // rendered place counts characters: "xa-b,2026-02,vneid,,90,100,," is 28 of them
    assert_rejected(d.path(), "E307", "reported.csv:3:29");
}
