//! `chitieu import portal766` (SPEC §11): every shipped response imports; the shipped data
//! directory is the import of the raw responses; the same responses give the same bytes; a
//! directory with data is refused unless `--replace`; malformed responses are located errors with
//! nothing written; a response inconsistent with its own counts is reconciled as a difference.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn chitieu(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| panic!("{e}"))
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The raw responses beside the clone (shared/portal766-dev), when they are there (CI has them).
fn raw() -> Option<PathBuf> {
    let dir = root().join("../shared/portal766-dev/raw");
    dir.is_dir().then_some(dir)
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .count()
}

#[test]
fn every_shipped_response_imports() {
    let Some(raw) = raw() else {
        eprintln!("shared/portal766-dev is not beside the clone: skipped");
        return;
    };
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // (inputs, extra args, units, reported rows, published rows)
    let cases: [(&str, &[&str], usize, usize, usize); 4] = [
        (
            "qd766/tests/fixtures",
            &["--period", "2026-08", "--as-of", "2026-09-28"],
            164,
            3444,
            2940,
        ),
        ("766-HaNoi/history/quality", &[], 143, 0, 3 * 143 * 7),
        ("Crawler-766/data/gia_lai", &[], 150, 0, 150 * 7),
        ("Crawler-766/data/provinces", &[], 34, 0, 34 * 7),
    ];
    for (i, (input, extra, units, reported, published)) in cases.iter().enumerate() {
        let out = tmp.path().join(format!("d{i}"));
        let mut args = vec!["import", "portal766"];
        let input = raw.join(input);
        let input = input.to_string_lossy().into_owned();
        args.push(&input);
        args.extend(extra.iter());
        let out_text = out.to_string_lossy().into_owned();
        args.extend(["--out", &out_text]);
        let o = chitieu(&args, root());
        assert_eq!(o.status.code(), Some(0), "{input}: {}", text(&o.stderr));
        assert_eq!(lines(&out.join("units.csv")), units + 1, "{input}");
        assert_eq!(lines(&out.join("published.csv")), published + 1, "{input}");
        if *reported == 0 {
            assert!(!out.join("reported.csv").exists());
            assert!(text(&o.stdout).contains("no counts"), "{}", text(&o.stdout));
        } else {
            assert_eq!(lines(&out.join("reported.csv")), reported + 1, "{input}");
        }
    }
    // the three days of Hà Nội in one file, each day's rows together; the city's rank 34 of 34
    let hanoi = std::fs::read_to_string(tmp.path().join("d1/published.csv")).unwrap_or_default();
    let days: Vec<&str> = hanoi
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(2).unwrap_or(""))
        .collect();
    assert!(days.windows(2).all(|w| w[0] <= w[1]));
    assert!(hanoi.contains("H26,2026,2026-10-01,total,,52.65,100,34,34,2026-10-01.json\n"));
    // Gia Lai's agencies ranked among the 14 agencies (groupRank), the communes among the 135
    let gia_lai = std::fs::read_to_string(tmp.path().join("d2/published.csv")).unwrap_or_default();
    assert!(gia_lai
        .contains("H21.17,2026,2026-09-23,total,,79.16,,1,14,agencies_GiaLai_23092026.json\n"));
    assert!(gia_lai.contains(",total,,75.7,,1,135,communes_GiaLai_23092026.json\n"));
    // a unit's group ONLINE is the catalogue's clgq
    assert!(gia_lai.contains("H21.17,2026,2026-09-23,group,clgq,6.68,,,,"));
}

#[test]
fn the_shipped_directory_is_the_import_of_the_raw_responses_and_the_same_twice() {
    let Some(raw) = raw() else {
        eprintln!("shared/portal766-dev is not beside the clone: skipped");
        return;
    };
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = raw
        .join("qd766/tests/fixtures")
        .to_string_lossy()
        .into_owned();
    let out = tmp.path().join("d").to_string_lossy().into_owned();
    let args = [
        "import",
        "portal766",
        &input,
        "--period",
        "2026-08",
        "--as-of",
        "2026-09-28",
        "--out",
        &out,
    ];
    let first = chitieu(&args, root());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    let shipped = root().join("data/bo-chi-so-766-phu-tho-2026-08");
    for name in ["units.csv", "reported.csv", "published.csv"] {
        let ours = std::fs::read(tmp.path().join("d").join(name)).unwrap_or_default();
        assert!(
            ours == std::fs::read(shipped.join(name)).unwrap_or_default(),
            "{name} differs from the shipped one: import again (README of the directory)"
        );
    }
    // into a directory with data: refused, nothing changed
    let before = std::fs::read(tmp.path().join("d/published.csv")).unwrap_or_default();
    let refused = chitieu(&args, root());
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("already holds data"),
        "{}",
        text(&refused.stderr)
    );
    // --replace: the same bytes again
    let mut again = args.to_vec();
    again.push("--replace");
    let replaced = chitieu(&again, root());
    assert_eq!(
        replaced.status.code(),
        Some(0),
        "{}",
        text(&replaced.stderr)
    );
    assert!(before == std::fs::read(tmp.path().join("d/published.csv")).unwrap_or_default());
    let mut names: Vec<String> = std::fs::read_dir(tmp.path().join("d"))
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        // the data directory's lock, left by every writer (src/data/commit.rs), is no data
        .filter(|n| n != ".chitieu.lock")
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["README.md", "published.csv", "reported.csv", "units.csv"]
    );
}

/// Each malformed response of tests/cmd/import-*.in (their messages are pinned there, run by
/// tests/cli.rs): exit 1, no panic, and nothing written.
#[test]
fn malformed_responses_write_nothing() {
    let cases = root().join("tests/cmd");
    let mut seen = 0;
    for entry in std::fs::read_dir(&cases).unwrap_or_else(|e| panic!("{e}")) {
        let dir = entry.unwrap_or_else(|e| panic!("{e}")).path();
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
        if !name.is_some_and(|n| n.starts_with("import-") && n.ends_with(".in")) {
            continue;
        }
        let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut files: Vec<String> = Vec::new();
        for f in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
            let f = f.unwrap_or_else(|e| panic!("{e}")).path();
            let n = f
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            std::fs::copy(&f, tmp.path().join(&n)).unwrap_or_else(|e| panic!("{e}"));
            files.push(n);
        }
        files.sort();
        let mut args = vec!["import", "portal766"];
        args.extend(files.iter().map(String::as_str));
        args.extend(["--period", "2026", "--as-of", "2026-10-01", "--out", "out"]);
        let o = chitieu(&args, tmp.path());
        assert_eq!(
            o.status.code(),
            Some(1),
            "{}: {}",
            dir.display(),
            text(&o.stderr)
        );
        assert!(!tmp.path().join("out").exists(), "{}", dir.display());
        assert!(text(&o.stderr).contains("nothing was written"));
        seen += 1;
    }
    assert_eq!(seen, 7);
}

#[test]
fn fifty_megabytes_of_whitespace_is_a_located_error() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(tmp.path().join("blank.json"), vec![b' '; 50 << 20])
        .unwrap_or_else(|e| panic!("{e}"));
    let o = chitieu(
        &["import", "portal766", "blank.json", "--out", "out"],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        text(&o.stderr),
        "error: blank.json: the file holds only whitespace (52428800 bytes): not a response (was \
         the capture interrupted?)\nerror: 1 error(s) in the responses; nothing was written to \
         out\n"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn a_response_without_its_period_or_day_asks_for_them() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = root()
        .join("tests/fixtures/portal766/inconsistent-dvc-progress-tree.json")
        .to_string_lossy()
        .into_owned();
    let o = chitieu(&["import", "portal766", &input, "--out", "out"], tmp.path());
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("does not say its period") && err.contains("give --period"),
        "{err}"
    );
    assert!(
        err.contains("does not say its day") && err.contains("give --as-of"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn an_unknown_metric_code_is_a_warning_naming_it_and_flags_are_kept() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = root()
        .join("tests/fixtures/portal766/transparency-new-metric.json")
        .to_string_lossy()
        .into_owned();
    let o = chitieu(
        &[
            "import",
            "portal766",
            &input,
            "--period",
            "2026-08",
            "--as-of",
            "2026-09-26",
            "--out",
            "out",
        ],
        tmp.path(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("unknown metric code `NEW_METRIC_2027` (2 unit(s))"),
        "{}",
        text(&o.stderr)
    );
    let reported = std::fs::read_to_string(tmp.path().join("out/reported.csv")).unwrap_or_default();
    // transparency rows carry no unit code: without a response that has them, the portal's
    // UUID is the id, and the import says so
    assert!(
        reported.contains("c-1,2026-08,dossier-sync,,10,10,TEMP_NATIONAL_REPORT_DENOMINATOR,\n")
    );
    assert!(text(&o.stderr).contains("no response gives the unit code of `Sở Thử`"));
    assert!(!reported.contains("NEW_METRIC"));
}

#[test]
fn an_inconsistent_response_is_a_difference_with_both_figures() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = "tests/fixtures/portal766/inconsistent-dvc-progress-tree.json";
    let data = tmp.path().join("data").to_string_lossy().into_owned();
    let o = chitieu(
        &[
            "import",
            "portal766",
            input,
            "--period",
            "2026-08",
            "--as-of",
            "2026-09-26",
            "--out",
            &data,
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = tmp.path().join("out").to_string_lossy().into_owned();
    let o = chitieu(
        &[
            "score",
            "--no-history",
            "--catalogue",
            "indicators/bo-chi-so-766",
            "--data",
            &data,
            "--period",
            "2026-08",
            "--no-charts",
            "--out",
            &out,
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let stdout = text(&o.stdout);
    // Sở Thử: 30 of 40 dossiers on time are 15.00 points; the portal published 16.50
    assert!(
        stdout.contains("Đối chiếu với Cổng: khớp 2/3 nhóm\n  1 số khác:\n    H99.01 tdgq: chitieu 15,00, Cổng 16,50 (30/40; published.csv dòng 3, tests/fixtures/portal766/inconsistent-dvc-progress-tree.json)"),
        "{stdout}"
    );
    let card: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tmp.path().join("out/scorecard.json")).unwrap_or_default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let so = card["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == "H99.01"))
        .cloned()
        .unwrap_or_default();
    let tdgq = &so["groups"][1];
    assert_eq!(
        (
            tdgq["id"].as_str(),
            tdgq["earned"].as_f64(),
            tdgq["published"].as_f64(),
            tdgq["differs"].as_bool()
        ),
        (Some("tdgq"), Some(15.0), Some(16.5), Some(true))
    );
    // the workbook's sheet "Đối chiếu": the difference with both figures and the counts
    let file = std::fs::File::open(tmp.path().join("out/scorecard.xlsx"))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut book = zip::ZipArchive::new(file).unwrap_or_else(|e| panic!("{e}"));
    let read = |book: &mut zip::ZipArchive<std::fs::File>, name: &str| {
        use std::io::Read;
        let mut s = String::new();
        book.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut s)
            .unwrap_or_else(|e| panic!("{e}"));
        s
    };
    let workbook = read(&mut book, "xl/workbook.xml");
    assert!(
        workbook.contains("name=\"Đối chiếu\" sheetId=\"4\""),
        "{workbook}"
    );
    let sheet = read(&mut book, "xl/worksheets/sheet4.xml");
    for number in [
        "<v>15</v>",
        "<v>16.5</v>",
        "<v>-1.5</v>",
        "<v>30</v>",
        "<v>40</v>",
    ] {
        assert!(sheet.contains(number), "{number}: {sheet}");
    }
    let html = std::fs::read_to_string(tmp.path().join("out/report.html")).unwrap_or_default();
    assert!(html.contains("<td>Sở Thử</td><td>tdgq</td><td class=\"num\">15,00</td><td class=\"num\">16,50</td><td class=\"num\">-1,50</td><td class=\"num\">30/40</td>"), "{}", &html[html.find("reconciliation").unwrap_or(0)..]);
}

#[test]
fn an_unreadable_published_figure_stops_the_score_run_at_its_cell() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = tmp.path().join("data");
    std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
    let shipped = root().join("data/bo-chi-so-766-tinh-2026");
    for name in ["units.csv", "reported.csv"] {
        std::fs::copy(shipped.join(name), data.join(name)).unwrap_or_else(|e| panic!("{e}"));
    }
    let published = std::fs::read_to_string(shipped.join("published.csv")).unwrap_or_default();
    std::fs::write(
        data.join("published.csv"),
        published.replacen(",3.38,4,", ",3.38x,4,", 1),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let d = data.to_string_lossy().into_owned();
    let out = tmp.path().join("out").to_string_lossy().into_owned();
    let o = chitieu(
        &[
            "score",
            "--no-history",
            "--catalogue",
            "indicators/bo-chi-so-766",
            "--data",
            &d,
            "--period",
            "2026",
            "--no-charts",
            "--out",
            &out,
        ],
        root(),
    );
    assert_eq!(o.status.code(), Some(1));
    let err = text(&o.stderr);
    assert!(
        err.contains("E307") && err.contains("published.csv"),
        "{err}"
    );
    assert!(!tmp.path().join("out").exists());
}
