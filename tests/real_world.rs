//! Inputs as analysts in provincial offices make them (issue 14): record datasets exported from
//! the dossier system or Excel, workbooks with percent cells and serial dates, damaged files,
//! outputs pointed at the inputs. Each reads right or gives a located error with a non-zero
//! exit; never a panic, never exit 0 with a wrong value. Run through the real binary.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

use rust_xlsxwriter::{Format, Workbook, Worksheet};

const CATALOGUE: &str = r#"
id = "thu"
title = "Kế hoạch thử"

[dataset.ho_so]
unit = "ma_don_vi"
date = "ngay"
columns = ["kenh", "dung_han"]
"#;

const INDICATORS: &str = r#"
[[indicator]]
id = "truc-tuyen"
name = "Tỷ lệ hồ sơ trực tuyến"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)"
denominator = "COUNT(*)"
[indicator.targets]
2026 = ">= 80"

[[indicator]]
id = "dung-han"
name = "Số hồ sơ giải quyết đúng hạn"
unit = "count"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
value = "SUM(CASE WHEN dung_han THEN 1 ELSE 0 END)"
[indicator.targets]
2026 = "1"

[[indicator]]
id = "ty-le"
name = "Tỷ lệ hồ sơ được số hóa"
unit = "%"
direction = "higher"
[indicator.targets]
2026 = ">= 80"

[[indicator]]
id = "tre-han"
name = "Tỷ lệ hồ sơ trễ hạn"
unit = "%"
direction = "lower"
[indicator.targets]
2026 = "<= 30"

[[indicator]]
id = "so-luong"
name = "Số dịch vụ công trực tuyến"
unit = "count"
direction = "higher"
[indicator.targets]
2026 = "10"

[[task]]
id = "t1"
name = "Nhiệm vụ 1"
deadline = "Hoàn thành trước ngày 30/6/2026"
"#;

const UNITS: &str =
    "id,name,parent,level\ntinh,Tỉnh,,tinh\n00004,Xã 4,tinh,xa\n00005,Xã 5,tinh,xa\n";

/// A working directory with `cat/` (the catalogue above) and `data/` holding `files`.
fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, bytes: &[u8]| {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, bytes).unwrap_or_else(|e| panic!("{e}"));
    };
    write("cat/catalogue.toml", CATALOGUE.as_bytes());
    write("cat/indicators.toml", INDICATORS.as_bytes());
    write("data/units.csv", UNITS.as_bytes());
    for (name, bytes) in files {
        write(&format!("data/{name}"), bytes);
    }
    dir
}

struct Run {
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

fn chitieu(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(args)
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let run = Run {
        status: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked") && run.status != Some(101),
        "chitieu panicked:\n{}",
        run.stderr
    );
    run
}

/// `chitieu score --format json --period 2026` in `dir`.
fn score(dir: &Path) -> Run {
    chitieu(
        dir,
        &[
            "score",
            "--no-history",
            "--catalogue",
            "cat",
            "--data",
            "data",
            "--out",
            "out",
            "--period",
            "2026",
            "--no-charts",
            "--format",
            "json",
        ],
    )
}

/// The (value, status) of `indicator` for `unit` in a scorecard.json.
fn cell(json: &str, unit: &str, indicator: &str) -> (Option<f64>, String) {
    let card: serde_json::Value = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
    let units = card["units"].as_array().cloned().unwrap_or_default();
    let u = units
        .iter()
        .find(|u| u["id"] == unit)
        .unwrap_or_else(|| panic!("no unit {unit}"));
    let i = u["indicators"]
        .as_array()
        .and_then(|is| is.iter().find(|i| i["id"] == indicator).cloned())
        .unwrap_or_else(|| panic!("no indicator {indicator}"));
    (
        i["value"].as_f64(),
        i["status"].as_str().unwrap_or("").to_string(),
    )
}

fn assert_exit(run: &Run, code: i32) {
    assert_eq!(
        run.status,
        Some(code),
        "stderr:\n{}\nstdout:\n{}",
        run.stderr,
        &run.stdout[..run.stdout.len().min(2000)]
    );
}

const RECORDS: &str = "ma_don_vi,ngay,kenh,dung_han\n\
    00004,30/6/2026,truc_tuyen,có\n\
    00004,2026-06-30,truc_tuyen,không\n\
    00004,30-06-2026,truc_tiep,đúng\n\
    00005,46203,truc_tuyen,true\n";

#[test]
fn unit_codes_with_leading_zeros_in_a_record_csv_are_their_ids() {
    // `đúng` is not a yes/no word: in the declared column `dung_han` it is a located E307
    let dir = project(&[("ho_so.csv", RECORDS.as_bytes())]);
    let run = score(dir.path());
    assert_exit(&run, 1);
    assert!(run.stderr.contains("error[E307]"), "{}", run.stderr);
    assert!(run.stderr.contains("\"đúng\""), "{}", run.stderr);
    assert!(run.stderr.contains("ho_so.csv:4"), "{}", run.stderr);

    let dir = project(&[("ho_so.csv", RECORDS.replace("đúng", "đạt").as_bytes())]);
    let run = score(dir.path());
    assert_exit(&run, 0);
    // 00004: 2 of 3 online; 00005: 1 of 1; the province: 3 of 4 (every date form read)
    assert_eq!(
        cell(&run.stdout, "00004", "truc-tuyen").0,
        Some(200.0 / 3.0)
    );
    assert_eq!(cell(&run.stdout, "00005", "truc-tuyen").0, Some(100.0));
    assert_eq!(cell(&run.stdout, "tinh", "truc-tuyen").0, Some(75.0));
    assert_eq!(cell(&run.stdout, "tinh", "dung-han").0, Some(3.0));
}

#[test]
fn unreadable_dates_and_cells_in_record_datasets_are_located_errors() {
    // a month-first date, text in the date column, `N/A` after row 100, a UTF-16 file
    let mut late = String::from("ma_don_vi,ngay,kenh,dung_han\n");
    for _ in 0..150 {
        late.push_str("00004,2026-06-30,truc_tuyen,true\n");
    }
    late.push_str("00004,2026-06-30,truc_tuyen,N/A\n"); // row 152
    let cases: [(&str, Vec<u8>, &[&str]); 4] = [
        (
            "month first",
            RECORDS.replace("30/6/2026", "2/15/2026").into_bytes(),
            &["error[E307]", "\"2/15/2026\"", "ho_so.csv:2"],
        ),
        (
            "text date",
            RECORDS.replace("30-06-2026", "hôm qua").into_bytes(),
            &["error[E307]", "\"hôm qua\"", "ho_so.csv:4"],
        ),
        (
            "N/A after row 100",
            late.into_bytes(),
            &["error[E307]", "\"N/A\"", "ho_so.csv:152"],
        ),
        (
            "UTF-16",
            {
                let mut bytes = vec![0xFF, 0xFE];
                for unit in RECORDS.encode_utf16() {
                    bytes.extend(unit.to_le_bytes());
                }
                bytes
            },
            &["error[E307]", "UTF-16", "ho_so.csv"],
        ),
    ];
    for (case, bytes, needles) in cases {
        let dir = project(&[("ho_so.csv", &bytes)]);
        let run = score(dir.path());
        assert_exit(&run, 1);
        for needle in needles {
            assert!(
                run.stderr.contains(needle),
                "{case}: no {needle:?} in\n{}",
                run.stderr
            );
        }
        // chitieu's own words, not polars' advice for its Python API
        assert!(
            !run.stderr.contains("infer_schema_length"),
            "{case}: {}",
            run.stderr
        );
    }
}

/// Writes `rows` (the first is the header) into the first sheet of a new workbook; cells that
/// read as numbers are numbers (except ids with leading zeros, typed as text), `%` cells
/// percent-formatted numbers.
fn workbook(rows: &[&[&str]], extra: impl FnOnce(&mut Workbook)) -> Vec<u8> {
    let mut book = Workbook::new();
    let percent = Format::new().set_num_format("0.00%");
    let sheet: &mut Worksheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            let written = if let Some(p) = v.strip_suffix('%') {
                let n: f64 = p.parse().unwrap_or_else(|e| panic!("{p}: {e}"));
                sheet.write_number_with_format(r, c, n / 100.0, &percent)
            } else if let (false, Ok(n)) = (v.starts_with('0') && v.len() > 1, v.parse::<f64>()) {
                sheet.write_number(r, c, n)
            } else if v.is_empty() {
                continue;
            } else {
                sheet.write_string(r, c, *v)
            };
            written.unwrap_or_else(|e| panic!("{e}"));
        }
    }
    extra(&mut book);
    book.save_to_buffer().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn an_xlsx_dataset_scores_as_its_csv() {
    let rows: Vec<Vec<&str>> = RECORDS
        .replace("đúng", "đạt")
        .lines()
        .map(|l| {
            l.split(',')
                .map(|s| Box::leak(s.to_string().into_boxed_str()) as &str)
                .collect()
        })
        .collect();
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    // `00004` written as text, `46203` as an Excel serial number
    let dir = project(&[("ho_so.xlsx", &workbook(&rows, |_| {}))]);
    let run = score(dir.path());
    assert_exit(&run, 0);
    assert_eq!(cell(&run.stdout, "tinh", "truc-tuyen").0, Some(75.0));
    assert_eq!(cell(&run.stdout, "00005", "truc-tuyen").0, Some(100.0));
}

#[test]
fn percent_cells_from_excel_are_percentages() {
    let rows: &[&[&str]] = &[
        &["unit", "period", "indicator", "value"],
        &["00004", "2026", "ty-le", "85%"],
        &["00004", "2026", "tre-han", "40%"],
        &["00005", "2026", "ty-le", "79.5%"],
    ];
    let dir = project(&[
        ("reported.xlsx", &workbook(rows, |_| {})),
        ("ho_so.csv", RECORDS.replace("đúng", "đạt").as_bytes()),
    ]);
    let run = score(dir.path());
    assert_exit(&run, 0);
    // read as 85, not 0.85 (which scored `chua_dat`); 40 % on a "≤ 30" indicator is not met
    assert_eq!(
        cell(&run.stdout, "00004", "ty-le"),
        (Some(85.0), "dat".into())
    );
    assert_eq!(
        cell(&run.stdout, "00005", "ty-le"),
        (Some(79.5), "gan_dat".into())
    );
    let (value, status) = cell(&run.stdout, "00004", "tre-han");
    assert_eq!(value, Some(40.0));
    assert_ne!(status, "dat");
}

/// A workbook as a district office sends it: a title merged across the top, percent cells,
/// `12,44` typed as text, completion dates as Excel serial numbers, a total row at the bottom
/// and a second sheet of notes.
fn office_workbook(title: bool, total: bool) -> (Vec<u8>, Vec<u8>) {
    let mut rows: Vec<&[&str]> = Vec::new();
    if title {
        rows.push(&["BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM 2026"]);
    }
    rows.push(&["unit", "period", "indicator", "value"]);
    rows.push(&["00004", "2026", "ty-le", "85%"]);
    rows.push(&["00004", "2026", "so-luong", "12,44"]);
    rows.push(&["00005", "2026", "ty-le", "90.25%"]);
    if total {
        rows.push(&["Tổng cộng", "2026", "ty-le", "87.6%"]);
    }
    let reported = workbook(&rows, |book| {
        if title {
            let sheet = book
                .worksheet_from_index(0)
                .unwrap_or_else(|e| panic!("{e}"));
            sheet
                .merge_range(
                    0,
                    0,
                    0,
                    3,
                    "BÁO CÁO KẾT QUẢ THỰC HIỆN CHỈ TIÊU NĂM 2026",
                    &Format::new(),
                )
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let notes = book.add_worksheet();
        notes
            .write_string(0, 0, "Ghi chú: số liệu tạm tính")
            .unwrap_or_else(|e| panic!("{e}"));
    });
    let tasks = workbook(
        &[
            &["task", "unit", "status", "completed_on"],
            &["t1", "00004", "Hoàn thành", "46199"], // 26/6/2026, as a serial number
            &["t1", "00005", "Hoàn thành", "46210"], // 7/7/2026: late
        ],
        |_| {},
    );
    (reported, tasks)
}

#[test]
fn a_workbook_as_an_office_makes_it_reads_right_or_is_refused_at_its_cell() {
    let records = RECORDS.replace("đúng", "đạt");
    let with = |title, total| {
        let (reported, tasks) = office_workbook(title, total);
        let dir = project(&[
            ("reported.xlsx", &reported),
            ("tasks.xlsx", &tasks),
            ("ho_so.csv", records.as_bytes()),
        ]);
        let run = score(dir.path());
        (dir, run)
    };
    // the merged title above the header: refused at its cells
    let (_dir, run) = with(true, true);
    assert_exit(&run, 1);
    assert!(run.stderr.contains("error[E307]"), "{}", run.stderr);
    assert!(run.stderr.contains("merged cells A1:D1"), "{}", run.stderr);
    assert!(run.stderr.contains("reported.xlsx"), "{}", run.stderr);

    // without the title, the total row is an unknown unit at its row, named as a total row
    let (_dir, run) = with(false, true);
    assert_exit(&run, 1);
    assert!(run.stderr.contains("error[E300]"), "{}", run.stderr);
    assert!(run.stderr.contains("reported.xlsx:5"), "{}", run.stderr);
    assert!(run.stderr.contains("total row"), "{}", run.stderr);

    // ids typed as numbers lose their zeros in Excel: named as such
    let rows: &[&[&str]] = &[
        &["unit", "period", "indicator", "value"],
        &["4", "2026", "ty-le", "85%"],
    ];
    let dir = project(&[
        ("reported.xlsx", &workbook(rows, |_| {})),
        ("ho_so.csv", records.as_bytes()),
    ]);
    let run = score(dir.path());
    assert_exit(&run, 1);
    assert!(run.stderr.contains("reported.xlsx:2"), "{}", run.stderr);
    assert!(run.stderr.contains("leading zeros"), "{}", run.stderr);

    // without it: percent cells, `12,44` and serial dates read right; the second sheet ignored
    let (dir, run) = with(false, false);
    assert_exit(&run, 0);
    assert_eq!(
        cell(&run.stdout, "00004", "ty-le"),
        (Some(85.0), "dat".into())
    );
    assert_eq!(
        cell(&run.stdout, "00005", "ty-le"),
        (Some(90.25), "dat".into())
    );
    assert_eq!(cell(&run.stdout, "00004", "so-luong").0, Some(12.44));
    let tasks =
        std::fs::read_to_string(dir.path().join("out/tasks.csv")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        tasks.lines().any(|l| l.contains("00004")
            && l.contains("hoan_thanh_dung_han")
            && l.contains("2026-06-26")),
        "{tasks}"
    );
    assert!(
        tasks.lines().any(|l| l.contains("00005")
            && l.contains("hoan_thanh_qua_han")
            && l.contains("2026-07-07")),
        "{tasks}"
    );
}

#[test]
fn a_repeated_header_is_refused_not_half_read() {
    let reported = "unit,period,indicator,value,note,value\n00004,2026,ty-le,85,,20\n";
    let dir = project(&[
        ("reported.csv", reported.as_bytes()),
        ("ho_so.csv", RECORDS.as_bytes()),
    ]);
    let run = chitieu(dir.path(), &["check", "cat", "--data", "data"]);
    assert_exit(&run, 1);
    assert!(run.stdout.contains("error[E306]"), "{}", run.stdout);
    assert!(
        run.stdout.contains("column `value` appears twice"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("columns D and F"), "{}", run.stdout);
}

#[test]
fn outputs_are_never_written_over_the_inputs() {
    let tasks = "task,unit,status,completed_on,note\nt1,00004,hoan_thanh,2026-06-01,\n";
    let records = RECORDS.replace("đúng", "đạt");
    let dir = project(&[
        ("tasks.csv", tasks.as_bytes()),
        ("ho_so.csv", records.as_bytes()),
    ]);
    for out in ["data", "data/.", "cat"] {
        let run = chitieu(
            dir.path(),
            &[
                "score",
                "--no-history",
                "--catalogue",
                "cat",
                "--data",
                "data",
                "--out",
                out,
                "--no-charts",
            ],
        );
        assert_exit(&run, 2);
        assert!(
            run.stderr.contains("would be overwritten"),
            "{}",
            run.stderr
        );
    }
    let kept = std::fs::read_to_string(dir.path().join("data/tasks.csv")).unwrap_or_default();
    assert_eq!(kept, tasks);
    assert!(!dir.path().join("data/summary.csv").exists());

    std::fs::write(
        dir.path().join("chitieu.toml"),
        "catalogue = \"cat\"\ndata = \"data\"\nout = \"\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let run = chitieu(dir.path(), &["score", "--no-history", "--no-charts"]);
    assert_exit(&run, 2);
    assert!(run.stderr.contains("`out` is empty"), "{}", run.stderr);
    assert!(!dir.path().join("summary.csv").exists());
}

fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "corrupt",
        name,
    ]
    .iter()
    .collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `chitieu score --no-charts` of the Lào Cai catalogue in a fresh directory whose `data/` holds
/// the shipped units.csv and `bytes` as `file`; the directory is returned to look for outputs.
fn score_lao_cai_with(file: &str, bytes: &[u8]) -> (tempfile::TempDir, Run) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
    std::fs::copy(root.join("data/lao-cai/units.csv"), data.join("units.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(data.join(file), bytes).unwrap_or_else(|e| panic!("{e}"));
    let cat = root
        .join("indicators/lao-cai-2026-2030")
        .to_string_lossy()
        .into_owned();
    let run = chitieu(
        dir.path(),
        &[
            "score",
            "--no-history",
            "--catalogue",
            &cat,
            "--data",
            "data",
            "--out",
            "out",
            "--no-charts",
        ],
    );
    (dir, run)
}

/// A damaged input refused as it must be: exit 1, stderr naming every one of `needles`, and no
/// output directory. `name` says which fixture failed.
fn assert_refused(dir: &tempfile::TempDir, run: &Run, needles: &[&str], name: &str) {
    assert_exit(run, 1);
    assert!(
        needles.iter().all(|n| run.stderr.contains(n)),
        "{name}: {}",
        run.stderr
    );
    assert!(
        !dir.path().join("out").exists(),
        "{name}: outputs were written"
    );
}

/// What `chitieu score` prints for each damaged `ho_so.parquet`: 40 generated dossiers with one
/// byte flipped in a data page, on which polars' decoders panic during the scan (an assertion, a
/// slice out of range in the bit-packed decoder), and the inputs of the fuzz target
/// `parquet_scan` on which polars' Parquet metadata reader panics, one per place
/// (`ho_so-fuzz-<source file>-<line>.parquet`: thrift fields of the file metadata, a column
/// chunk's metadata). Each is an E307 at the file: the metadata ones found by the checks before
/// the scan, the flipped pages inside it. Each line is the first of stderr up to polars' own
/// words in parentheses.
const DAMAGED_DATASETS: [(&str, &str); 6] = [
    (
        "ho_so-flip-1500.parquet",
        "error[E307]: cannot read dataset \"ho_so\": the file is damaged or not what its name says (",
    ),
    (
        "ho_so-flip-620.parquet",
        "error[E307]: cannot read dataset \"ho_so\": the file is damaged or not what its name says (",
    ),
    (
        "ho_so-fuzz-column-chunk-metadata-195.parquet",
        "error[E307]: cannot read dataset \"ho_so\": the file is damaged or not what its name says (",
    ),
    (
        "ho_so-fuzz-file-metadata-thrift-350.parquet",
        "error[E307]: cannot read dataset \"ho_so\": the file is damaged or not what its name says (",
    ),
    (
        "ho_so-fuzz-file-metadata-thrift-351.parquet",
        "error[E307]: cannot read dataset \"ho_so\": the file is damaged or not what its name says (",
    ),
    (
        "ho_so-fuzz-file-metadata-thrift-388.parquet",
        "error[E307]: cannot read dataset \"ho_so\": the file is damaged or not what its name says (",
    ),
];

#[test]
fn a_damaged_parquet_dataset_is_a_located_error_not_a_panic() {
    let mut files: Vec<String> =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corrupt"))
            .unwrap_or_else(|e| panic!("{e}"))
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".parquet") && n != "ho_so-40.parquet")
            .collect();
    files.sort();
    let listed: Vec<&str> = DAMAGED_DATASETS.iter().map(|(name, _)| *name).collect();
    assert_eq!(files, listed, "every fixture has its expected diagnostic");
    for (name, first) in DAMAGED_DATASETS {
        let (dir, run) = score_lao_cai_with("ho_so.parquet", &fixture(name));
        assert_refused(&dir, &run, &[], name);
        let lines: Vec<&str> = run.stderr.lines().collect();
        assert!(lines[0].starts_with(first), "{name}: {}", run.stderr);
        let at = lines.iter().find(|l| l.starts_with("-->"));
        assert_eq!(
            at,
            Some(&"--> data/ho_so.parquet"),
            "{name}: {}",
            run.stderr
        );
        assert_eq!(
            lines.last(),
            Some(&"error: the data has 1 error(s); nothing was written"),
            "{name}: {}",
            run.stderr
        );
    }
}

/// Where each damaged `reported.parquet` is located: at the file for a file whose metadata polars
/// cannot read, at a row group, column and page for one the page-header check refuses
/// (src/data/parquet.rs). The others are `the file is damaged or not what its name says`.
const LOCATED_PAGES: [(&str, &str); 3] = [
    (
        "reported-fuzz-impossible-page-value-count.parquet",
        "row group 1, column `kenh`: page 2: its header declares a value count of -17",
    ),
    (
        "reported-fuzz-mod-17.parquet",
        "row group 1, column `ngay_tiep_nhan`: page 1: its header cannot be read (bad data)",
    ),
    (
        "reported-fuzz-parquet-bridge-289.parquet",
        "row group 1, column `kenh`: page 1: its header cannot be read (bad data)",
    ),
];

/// The inputs of the fuzz target `table` on which polars' Parquet reader panics, one per place
/// (`reported-fuzz-<source file>-<line>.parquet`: the bitmap assertion, the metadata's thrift
/// fields, a page header, the encoding of a page): as `reported.parquet` each is an E307 located
/// at the file (and at its row group, column and page when the page-header check finds it),
/// exit 1, and no output.
#[test]
fn a_damaged_parquet_table_is_a_located_error_not_a_panic() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/corrupt-table");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&fixtures)
        .unwrap_or_else(|e| panic!("{e}"))
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    assert!(files.len() >= 10, "{files:?}");
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{e}"));
        let (dir, run) = score_lao_cai_with("reported.parquet", &bytes);
        let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        assert_refused(&dir, &run, &[], &name);
        let lines: Vec<&str> = run.stderr.lines().collect();
        let located = LOCATED_PAGES.iter().find(|(n, _)| *n == name);
        let expected = match located {
            Some((_, page)) => format!("error[E307]: cannot read reported.parquet: {page}"),
            None => "error[E307]: cannot read reported.parquet: the file is damaged or not what \
                     its name says ("
                .to_string(),
        };
        assert!(lines[0].starts_with(&expected), "{name}: {}", run.stderr);
        // polars' words may span lines; the location follows them
        let at = lines.iter().find(|l| l.starts_with("-->"));
        assert_eq!(
            at,
            Some(&"--> data/reported.parquet"),
            "{name}: {}",
            run.stderr
        );
    }
}

/// The crash the fuzz target `table` found (docs/inputs.md "How this is tested"): a Parquet file whose data
/// page declares a negative number of values. polars would reserve a 2^61-byte bitmap for it and
/// the process would abort on the failed allocation (exit 134, nothing can catch it) on about
/// half the runs (polars decodes columns in parallel); chitieu checks the page headers before
/// polars decodes the file (src/data/parquet.rs). Run several times, since the abort was
/// not on every run.
#[test]
fn a_parquet_page_with_an_impossible_value_count_is_a_located_error() {
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/corrupt-table/reported-fuzz-impossible-page-value-count.parquet"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    for _ in 0..6 {
        let (dir, run) = score_lao_cai_with("reported.parquet", &bytes);
        assert_refused(
            &dir,
            &run,
            &["error[E307]", "reported.parquet", "a value count of -"],
            "impossible page value count",
        );
    }
}

#[test]
fn a_dangling_definition_link_is_an_error_not_a_skipped_file() {
    let dir = project(&[]);
    std::os::unix::fs::symlink("nowhere.toml", dir.path().join("cat/more.toml"))
        .unwrap_or_else(|e| panic!("{e}"));
    let run = chitieu(dir.path(), &["check", "cat"]);
    assert_exit(&run, 2);
    assert_eq!(
        run.stderr,
        "error: cannot read cat/more.toml: No such file or directory (os error 2)\n"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn an_excluded_row_is_a_warning_of_a_score_run() {
    let reported = "unit,period,indicator,value,numerator,denominator\n\
        00004,2026,ty-le,,900,800\n00005,2026,ty-le,85,,\n";
    let records = RECORDS.replace("đúng", "đạt");
    let dir = project(&[
        ("reported.csv", reported.as_bytes()),
        ("ho_so.csv", records.as_bytes()),
    ]);
    let run = score(dir.path());
    assert_exit(&run, 0);
    assert!(run.stderr.contains("warning[E302]"), "{}", run.stderr);
    assert!(!run.stderr.contains("error[E302]"), "{}", run.stderr);
    assert!(run.stderr.contains("row excluded"), "{}", run.stderr);
    assert_eq!(cell(&run.stdout, "00004", "ty-le").0, None);
}

#[test]
fn charts_of_an_earlier_run_do_not_stay_beside_a_new_report() {
    let records = RECORDS.replace("đúng", "đạt");
    let dir = project(&[("ho_so.csv", records.as_bytes())]);
    let args = [
        "score",
        "--no-history",
        "--catalogue",
        "cat",
        "--data",
        "data",
        "--out",
        "out",
        "--period",
        "2026",
    ];
    assert_exit(&chitieu(dir.path(), &args), 0);
    let charts = dir.path().join("out/charts");
    assert!(charts.join("unit-00005.svg").exists());
    // a unit removed; a file of the user's own in the directory
    let units = UNITS.replace("00005,Xã 5,tinh,xa\n", "");
    std::fs::write(dir.path().join("data/units.csv"), units).unwrap_or_else(|e| panic!("{e}"));
    let records = records.replace("00005,46203,truc_tuyen,true\n", "");
    std::fs::write(dir.path().join("data/ho_so.csv"), records).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(charts.join("ghi-chu.txt"), "x").unwrap_or_else(|e| panic!("{e}"));
    assert_exit(&chitieu(dir.path(), &args), 0);
    assert!(charts.join("unit-00004.svg").exists());
    assert!(!charts.join("unit-00005.svg").exists());
    assert!(!charts.join("unit-00005.png").exists());
    assert!(charts.join("ghi-chu.txt").exists());
}

#[test]
fn a_data_directory_whose_name_is_not_utf8_is_named_not_read_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join(std::ffi::OsStr::from_bytes(b"d\xfb-lieu"));
    std::fs::create_dir_all(&data).unwrap_or_else(|e| panic!("{e}"));
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(root.join("data/lao-cai/units.csv"), data.join("units.csv"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(data.join("ho_so.parquet"), fixture("ho_so-40.parquet"))
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args(["score", "--no-history"])
        .arg("--catalogue")
        .arg(root.join("indicators/lao-cai-2026-2030"))
        .arg("--data")
        .arg(&data)
        .args(["--out", "out", "--no-charts"])
        .current_dir(dir.path())
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not UTF-8"), "{stderr}");
}

#[test]
fn a_measure_the_column_types_refuse_names_its_indicator_not_polars_plan() {
    let records = RECORDS.replace("đúng", "đạt");
    let dir = project(&[("ho_so.csv", records.as_bytes())]);
    let indicators = INDICATORS.replace("SUM(CASE WHEN dung_han THEN 1 ELSE 0 END)", "SUM(kenh)");
    std::fs::write(dir.path().join("cat/indicators.toml"), indicators)
        .unwrap_or_else(|e| panic!("{e}"));
    let run = score(dir.path());
    assert_exit(&run, 1);
    assert!(
        run.stderr.contains("indicator \"dung-han\""),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("plan"), "{}", run.stderr);
}
