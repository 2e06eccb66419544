//! `chitieu score --partials DIR` gives the same scorecard.json, byte for byte, as scoring the
//! records: the partial table of the fixture's dossiers, as the library's fused query computes
//! it (tests/fixtures/mini-partials, held to it by a unit test of `eval::fused`), two CSV files
//! split by unit, is scored from a data directory that has no record file at all.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_chitieu");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")
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
    Command::new(BIN)
        .args(&args)
        .current_dir(fixture())
        .output()
        .unwrap_or_else(|e| panic!("cannot run chitieu: {e}"))
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The fixture's partial table, as the fused scan computes it (the unit test
/// `eval::fused::tests::the_fixture_partials_are_the_fused_query_s` holds them to it), copied
/// into `dir`: `xa-a.csv` (unit xa-a) and `others.csv` (every other unit).
fn write_partials(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini-partials");
    for name in ["xa-a.csv", "others.csv"] {
        std::fs::copy(from.join(name), dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

/// The fixture's data directory without its record file.
fn data_without_records(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    for name in ["units.csv", "reported.csv", "tasks.csv"] {
        std::fs::copy(fixture().join("data").join(name), dir.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn scoring_partials_gives_the_same_scorecard_as_scoring_records() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (partials, data) = (tmp.path().join("partials"), tmp.path().join("data"));
    write_partials(&partials);
    data_without_records(&data);
    let partials_arg = partials.to_str().unwrap_or("");
    // the latest period (2026-03), months whose successors are in the partials (left out by
    // the scan, so by the reader too), a year to date, a year and a quarter
    for extra in [
        &[][..],
        &["--period", "2026-02"][..],
        &["--period", "2026-01"][..],
        &["--period", "2026-02", "--cumulative"][..],
        // the direct scan sums a year by year and a quarter by quarter; the partials are monthly
        &["--period", "2026"][..],
        &["--period", "2026-Q1"][..],
    ] {
        let direct = tmp.path().join("direct");
        let from_partials = tmp.path().join("from-partials");
        let a = score(&fixture().join("data"), &direct, extra);
        assert_eq!(a.status.code(), Some(0), "{a:?}");
        let mut args = extra.to_vec();
        args.extend(["--partials", partials_arg]);
        let b = score(&data, &from_partials, &args);
        assert_eq!(b.status.code(), Some(0), "{b:?}");
        let (a_json, b_json) = (
            read(&direct.join("scorecard.json")),
            read(&from_partials.join("scorecard.json")),
        );
        assert!(
            a_json == b_json,
            "{extra:?}: scorecard.json differs:\n{}\n---\n{}",
            String::from_utf8_lossy(&a_json),
            String::from_utf8_lossy(&b_json)
        );
        // a figure that only the partials can have given: Xã B filed 1 of 4 dossiers online
        // in February
        if extra == ["--period", "2026-02"] {
            assert!(
                String::from_utf8_lossy(&b_json).contains("\"denominator\": 4.0"),
                "no computed figure in the scorecard"
            );
        }
    }
}

#[test]
fn partials_naming_an_unknown_unit_stop_the_run() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (partials, data) = (tmp.path().join("partials"), tmp.path().join("data"));
    write_partials(&partials);
    data_without_records(&data);
    std::fs::write(
        partials.join("extra.csv"),
        "unit,month,truc-tuyen__numerator,truc-tuyen__denominator\nxa-z,202602,1,2\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("out");
    let r = score(
        &data,
        &out,
        &["--partials", partials.to_str().unwrap_or("")],
    );
    assert_eq!(r.status.code(), Some(1), "{r:?}");
    let stderr = String::from_utf8_lossy(&r.stderr);
    assert!(stderr.contains("E300"), "{stderr}");
    assert!(stderr.contains("\"xa-z\""), "{stderr}");
    assert!(!out.join("scorecard.json").exists());
    // a directory that is not there is a usage error
    let r = score(&data, &out, &["--partials", "khong-co"]);
    assert_eq!(r.status.code(), Some(2), "{r:?}");
}
