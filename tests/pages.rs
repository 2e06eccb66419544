//! A run with more units than one page carries is shown as pages (README "National scale:
//! pages"): on the national synthetic data (`chitieu generate national`: 34 provinces, 4,114
//! units), report.html is an index whose every link reaches a page that exists, at a section
//! that exists; each province has its page under report/, every page under 2 MB; a later run
//! on one page leaves no page of the earlier one behind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // a test's panic is its failure report

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{open_workbook, Reader, Xlsx};

const BIN: &str = env!("CARGO_BIN_EXE_chitieu");

/// The budget of every page of a national run (issue 22): what a phone opens.
const PAGE_BUDGET: u64 = 2 * 1024 * 1024;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chitieu(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
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

fn path(p: &Path) -> &str {
    p.to_str()
        .unwrap_or_else(|| panic!("{} is not UTF-8", p.display()))
}

/// The `href`s of a page.
fn links(page: &str) -> Vec<&str> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

#[test]
fn a_national_run_is_an_index_and_a_page_per_province() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (data, out) = (tmp.path().join("data"), tmp.path().join("out"));
    ok(&chitieu(&[
        "generate",
        "national",
        "--dossiers",
        "20000",
        "--out",
        path(&data),
    ]));
    let run = chitieu(&[
        "score",
        "--no-history",
        "--no-charts",
        "--catalogue",
        "indicators/bo-chi-so-766",
        "--data",
        path(&data),
        "--out",
        path(&out),
    ]);
    ok(&run);
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("(mục lục), 34 trang đơn vị cấp trên cùng"),
        "{stdout}"
    );
    // the provinces: the units of units.csv without a parent (the parent is the column before
    // the last; a department's name may hold a comma, quoted)
    let units = std::fs::read_to_string(data.join("units.csv")).unwrap_or_default();
    let parent = |line: &str| line.rsplit(',').nth(1).map(str::to_string);
    let provinces: Vec<&str> = units
        .lines()
        .skip(1)
        .filter(|l| parent(l).as_deref() == Some(""))
        .filter_map(|l| l.split(',').next())
        .collect();
    assert_eq!(provinces.len(), 34);
    let index = std::fs::read_to_string(out.join("report.html")).unwrap_or_default();
    assert!(
        index.len() as u64 <= PAGE_BUDGET,
        "index {} bytes",
        index.len()
    );
    assert!(!index.contains("<section id=\"units\">"));
    let pages: Vec<PathBuf> = std::fs::read_dir(out.join("report"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(pages.len(), 34, "{pages:?}");
    for p in &provinces {
        let page = out.join("report").join(format!("{p}.html"));
        let size = std::fs::metadata(&page).map(|m| m.len()).unwrap_or(0);
        assert!(
            size > 0 && size <= PAGE_BUDGET,
            "{}: {size}",
            page.display()
        );
        let text = std::fs::read_to_string(&page).unwrap_or_default();
        assert!(
            text.contains("<a href=\"../report.html\">"),
            "{p}: no way back"
        );
        // the province's own section and its units' (20 departments, 100 communes and wards,
        // as units.csv says)
        let below = units
            .lines()
            .filter(|l| parent(l).as_deref() == Some(*p))
            .count();
        assert_eq!(below, 120, "{p}");
        assert_eq!(
            text.matches("<section class=\"unit\"").count(),
            1 + below,
            "{p}"
        );
    }
    // every link of the index reaches a page that exists, at a section it holds
    let mut checked = 0;
    for link in links(&index) {
        if let Some(id) = link.strip_prefix('#') {
            assert!(
                index.contains(&format!("id=\"{id}\"")),
                "#{id} not on the index"
            );
            continue;
        }
        let (file, section) = link.split_once('#').unwrap_or((link, ""));
        let page =
            std::fs::read_to_string(out.join(file)).unwrap_or_else(|e| panic!("{link}: {e}"));
        if !section.is_empty() {
            assert!(page.contains(&format!("id=\"{section}\"")), "{link}");
        }
        checked += 1;
    }
    assert!(checked >= 34, "{checked} links to pages");
    // the workbook: every unit in the summary; the indicator sheet the provinces' rows (as
    // many as scorecard.csv has for them), then the note saying where the rest are
    let csv = std::fs::read_to_string(out.join("scorecard.csv")).unwrap_or_default();
    let province_rows = csv
        .lines()
        .filter(|l| provinces.contains(&l.split(',').next().unwrap_or("")))
        .count();
    assert_eq!(province_rows % 34, 0);
    let mut book: Xlsx<_> = open_workbook(out.join("scorecard.xlsx"))
        .unwrap_or_else(|e: calamine::XlsxError| panic!("{e}"));
    let summary = book
        .worksheet_range("Tổng hợp")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(summary.height(), 1 + units.lines().count() - 1);
    let sheet = book
        .worksheet_range("Chỉ tiêu")
        .unwrap_or_else(|e| panic!("{e}"));
    let column_a: Vec<String> = sheet.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(
        column_a.len(),
        1 + province_rows + 1,
        "header, provinces, note"
    );
    assert!(column_a[1..=province_rows]
        .iter()
        .all(|id| provinces.contains(&id.as_str())));
    assert!(
        column_a[province_rows + 1].contains("scorecard.parquet"),
        "{}",
        column_a[province_rows + 1]
    );
    // a later run on one page (Lào Cai, 113 units) leaves none of the national pages
    ok(&chitieu(&[
        "score",
        "--no-history",
        "--no-charts",
        "--out",
        path(&out),
    ]));
    assert!(!out.join("report").exists());
    let page = std::fs::read_to_string(out.join("report.html")).unwrap_or_default();
    assert!(page.contains("<section id=\"units\">"));
}
