//! Tests of `data`.

use super::fixture::{catalogue, data_dir, UNITS};
use super::*;

fn cells(load: &DataLoad) -> Vec<(Code, String, usize, String)> {
    load.diagnostics
        .iter()
        .map(|d| {
            let file = table::file_name(&d.path);
            match &d.place {
                Place::Cell { row, column } => (d.code, file, *row, column.clone()),
                _ => (d.code, file, 0, String::new()),
            }
        })
        .collect()
}

#[test]
fn a_clean_directory_loads() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", UNITS),
            (
                "reported.csv",
                "unit,period,indicator,value,numerator,denominator,note\n\
                    xa-1,2026,pct,,832,1000,\n\
                    so-a,2026-Q2,count,24.742,,,ghi chú\n\
                    tinh,2026-06,flag,Hoàn thành,,,\n",
            ),
            (
                "tasks.csv",
                "task,unit,status,completed_on,note\n\
                    t1,xa-1,Hoàn thành,30/6/2026,\n\
                    t2,so-a,dang_thuc_hien,,\n",
            ),
            ("ho_so.csv", "ma_don_vi,ngay,kenh\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
    let data = load.data.unwrap();
    assert_eq!(data.units.list().len(), 3);
    assert_eq!(data.reported.len(), 3);
    let r = &data.reported[0];
    assert_eq!(r.value, Some(83.2));
    assert_eq!((r.numerator, r.denominator), (Some(832.0), Some(1000.0)));
    assert_eq!(data.reported[1].value, Some(24742.0));
    assert_eq!(data.reported[1].period, Period::Quarter(2026, 2));
    assert_eq!(data.reported[2].value, Some(1.0));
    assert_eq!(data.reported[2].row, 4);
    assert_eq!(data.tasks.len(), 2);
    assert_eq!(
        data.tasks[0].completed_on,
        NaiveDate::from_ymd_opt(2026, 6, 30)
    );
    assert_eq!(data.tasks[1].progress, crate::tasks::Progress::InProgress);
    assert_eq!(data.datasets.len(), 1);
    assert!(data.datasets["ho_so"].ends_with("ho_so.csv"));
}

use chrono::NaiveDate;

#[test]
fn a_unit_id_typed_decomposed_is_found_and_a_huge_one_is_clipped() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let units = "id,name,parent,level\nxã-a,Xã A,,xa\n";
    let huge = "x".repeat(1_000_000);
    // `xã-a` decomposed (a + combining tilde), as Unikey's "Unicode tổ hợp" types it
    let reported =
        format!("unit,period,indicator,value\nxa\u{303}-a,2026,pct,80\n{huge},2026,pct,80\n");
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", units),
            ("reported.csv", &reported),
            ("ho_so.csv", "x\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    let e300: Vec<&Diagnostic> = load
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::E300)
        .collect();
    assert_eq!(e300.len(), 1, "only the huge id is unknown: {e300:?}");
    assert!(e300[0].message.len() < 300, "{}", e300[0].message.len());
    // and no lock file was made by reading
    assert!(!dir.join(commit::LOCK_FILE).exists());
}

#[test]
fn one_reported_row_per_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let reported = "unit,period,indicator,value,numerator,denominator\n\
            xa-1,2026,pct,83.2,832,1000\n\
            xa-9,2026,pct,80,,\n\
            xa-1,2026,pcx,80,,\n\
            xa-1,2026-Q1,pct,,900,800\n\
            xa-1,2026-Q2,pct,120,,\n\
            xa-1,2026,pct,85,,\n\
            xa-1,2026-13,pct,80,,\n\
            xa-1,2026-Q3,pct,abc,,\n\
            xa-1,2026-Q4,pct,80,832,1000\n\
            xa-1,2026,flag,có lẽ,,\n\
            xa-1,2026,count,-3,,\n\
            ,,,,,\n\
            xa-1,2026-05,pct,,,\n\
            xa-1,2026-06,pct,,0,0\n\
            xa-1,2026-Q1,pct,80,,\n";
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", UNITS),
            ("reported.csv", reported),
            ("ho_so.csv", "x\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    let r = |code, row: usize, col: &str| (code, "reported.csv".to_string(), row, col.to_string());
    assert_eq!(
        cells(&load),
        [
            r(Code::E300, 3, "unit"),
            r(Code::E301, 4, "indicator"),
            r(Code::E302, 5, "numerator"),
            r(Code::E303, 6, "value"),
            r(Code::E304, 7, "unit"),
            r(Code::E307, 8, "period"),
            r(Code::E307, 9, "value"),
            r(Code::W310, 10, "value"),
            r(Code::E307, 11, "value"),
            r(Code::E303, 12, "value"),
            r(Code::E304, 16, "unit"), // repeats row 5, excluded by E302
        ]
    );
    let d = &load.diagnostics;
    assert!(
        d[1].help.as_deref().unwrap_or("").contains("`pct`"),
        "{:?}",
        d[1].help
    );
    assert!(d[4].message.contains("row 2"), "{}", d[4].message);
    let data = load.data.unwrap();
    assert_eq!(data.excluded, [5]);
    // kept: row 2, the E303 rows 6 and 12, the W310 row 10, the 0/0 row 15
    let rows: Vec<usize> = data.reported.iter().map(|r| r.row).collect();
    assert_eq!(rows, [2, 6, 10, 12, 15]);
    assert_eq!(data.reported[2].value, Some(80.0)); // the given value wins over 83.2
    let zero = &data.reported[4];
    assert_eq!((zero.value, zero.denominator), (None, Some(0.0)));
}

#[test]
fn several_files_for_one_name_or_missing_files_are_e306() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let dir = data_dir(tmp.path(), &[("units.csv", UNITS), ("units.xlsx", "")]);
    let load = load_data(&dir, &cat);
    assert!(load.data.is_none());
    let first = &load.diagnostics[0];
    assert_eq!(first.code, Code::E306);
    assert!(first.message.contains("units.csv") && first.message.contains("units.xlsx"));
    // and the dataset `ho_so` that `online` reads is missing; `unused` is not reported
    assert_eq!(load.diagnostics.len(), 2);
    assert!(load.diagnostics[1].message.contains("`ho_so`"));
    assert!(load.diagnostics[1].message.contains("`online`"));

    let tmp = tempfile::tempdir().unwrap();
    let dir = data_dir(
        tmp.path(),
        &[("reported.csv", "unit,period,indicator,value\n")],
    );
    let load = load_data(&dir, &cat);
    assert!(load.data.is_none());
    assert_eq!(load.diagnostics[0].code, Code::E306);
    assert!(load.diagnostics[0].message.contains("units.csv"));

    let load = load_data(&tmp.path().join("nowhere"), &cat);
    assert!(load.data.is_none());
    assert_eq!(load.diagnostics[0].code, Code::E306);
}

#[test]
fn negative_counts_are_e303_and_left_out() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let reported = "unit,period,indicator,value,numerator,denominator\n\
            xa-1,2026-01,pct,,-5,10\n\
            xa-1,2026-02,pct,,5,-10\n\
            xa-1,2026-03,pct,,5,10\n\
            xa-1,2026-04,pct,,5 hồ sơ,10\n\
            xa-1,2026-05,pct,,11,10\n";
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", UNITS),
            ("reported.csv", reported),
            ("ho_so.csv", "x\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    let r = |code, row: usize, col: &str| (code, "reported.csv".to_string(), row, col.to_string());
    assert_eq!(
        cells(&load),
        [
            r(Code::E303, 2, "numerator"),
            r(Code::E303, 3, "denominator"),
            r(Code::E307, 5, "numerator"),
            r(Code::E302, 6, "numerator"),
        ]
    );
    assert!(load.diagnostics[0].message.contains("-5 is negative"));
    let data = load.data.unwrap();
    let rows: Vec<usize> = data.reported.iter().map(|r| r.row).collect();
    assert_eq!(rows, [4], "only the row with sound counts is kept");
}

#[test]
fn a_dataset_without_file_is_read_from_reported_counts() {
    // `online` reads ho_so; without ho_so.csv, reported rows for it are its figures (read by
    // eval::values like a reported indicator's), and the missing file is no error
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let reported = "unit,period,indicator,numerator,denominator\n\
            xa-1,2026,online,333862,378458\n";
    let dir = data_dir(
        tmp.path(),
        &[("units.csv", UNITS), ("reported.csv", reported)],
    );
    let load = load_data(&dir, &cat);
    assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
    let data = load.data.unwrap();
    assert_eq!(data.reported.len(), 1);
    assert!(data.datasets.is_empty());

    // without reported rows for it, the missing file is still E306
    let tmp = tempfile::tempdir().unwrap();
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", UNITS),
            (
                "reported.csv",
                "unit,period,indicator,value\nxa-1,2026,pct,80\n",
            ),
        ],
    );
    let load = load_data(&dir, &cat);
    let codes: Vec<Code> = load.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, [Code::E306]);
}

#[test]
fn missing_columns_make_the_data_unusable() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", UNITS),
            (
                "reported.csv",
                "unit,period,indicator,numerator\nxa-1,2026,pct,3\n",
            ),
            ("tasks.csv", "task,unit\nt1,xa-1\n"),
            ("ho_so.csv", "x\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    assert!(load.data.is_none());
    let codes: Vec<(Code, String)> = load
        .diagnostics
        .iter()
        .map(|d| (d.code, table::file_name(&d.path)))
        .collect();
    assert_eq!(
        codes,
        [
            (Code::E306, "reported.csv".to_string()),
            (Code::E306, "tasks.csv".to_string())
        ]
    );
    assert!(load.diagnostics[0].message.contains("`denominator`"));
    assert!(load.diagnostics[1].message.contains("`status`"));
}

#[test]
fn broken_units_still_check_the_other_files() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let dir = data_dir(
        tmp.path(),
        &[
            (
                "units.csv",
                "id,name,parent,level\na,A,,tinh\na,A2,,tinh\nb,B,zz,so\n",
            ),
            (
                "reported.csv",
                "unit,period,indicator,value\nb,2026,nope,1\n",
            ),
            ("ho_so.csv", "x\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    assert!(load.data.is_none());
    let found: Vec<_> = cells(&load)
        .into_iter()
        .map(|(c, f, r, _)| (c, f, r))
        .collect();
    assert_eq!(
        found,
        [
            (Code::E305, "units.csv".to_string(), 3),
            (Code::E305, "units.csv".to_string(), 4),
            (Code::E301, "reported.csv".to_string(), 2),
        ]
    );
}

#[test]
fn task_rows_each_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let tasks = "task,unit,status,completed_on,note\n\
            t1,xa-1,hoan_thanh,2026-06-30,\n\
            t9,xa-1,hoan_thanh,,\n\
            t1,xa-9,hoan_thanh,,\n\
            t2,xa-1,xong,,\n\
            t2,so-a,Hoàn thành,31/6/2026,\n\
            t1,xa-1,Chưa thực hiện,,\n";
    let dir = data_dir(
        tmp.path(),
        &[
            ("units.csv", UNITS),
            ("tasks.csv", tasks),
            ("ho_so.csv", "x\n"),
        ],
    );
    let load = load_data(&dir, &cat);
    let t = |code, row: usize, col: &str| (code, "tasks.csv".to_string(), row, col.to_string());
    assert_eq!(
        cells(&load),
        [
            t(Code::E301, 3, "task"),
            t(Code::E300, 4, "unit"),
            t(Code::E307, 5, "status"),
            t(Code::E307, 6, "completed_on"),
            t(Code::E304, 7, "task"),
        ]
    );
    assert!(load.diagnostics[0].message.contains("task"));
    let data = load.data.unwrap();
    assert_eq!(data.tasks.len(), 1);
    assert_eq!(data.tasks[0].row, 2);
}

#[test]
fn an_xlsx_units_file_reads_like_csv() {
    use rust_xlsxwriter::Workbook;
    let tmp = tempfile::tempdir().unwrap();
    let cat = catalogue(tmp.path());
    let dir = data_dir(tmp.path(), &[("ho_so.csv", "x\n")]);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["id", "name", "parent", "level"],
        ["tinh", "Tỉnh", "", "tinh"],
        ["101", "Xã 101", "tinh", "xa"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Ok(n) = v.parse::<f64>() {
                sheet.write_number(r as u32, c as u16, n).unwrap();
            } else if !v.is_empty() {
                sheet.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    book.save(dir.join("units.xlsx")).unwrap();
    let load = load_data(&dir, &cat);
    assert!(load.diagnostics.is_empty(), "{:?}", load.diagnostics);
    let data = load.data.unwrap();
    let xa = data.units.index("101").unwrap();
    assert_eq!(data.units.ancestors(xa), [0]);
}
