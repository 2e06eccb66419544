//! Tests of `xlsx`.

use std::io::Cursor;

use calamine::{open_workbook_from_rs, Data, Range, Reader, Xlsx};

use super::*;
use crate::tasks::status::TaskStatus;

const CATALOGUE: &str = r#"
id = "thu"
title = "Kế hoạch thử"
scoring = "capped"
near = 0.9

[[group]]
id = "I"
name = "Dịch vụ công trực tuyến"

[[group]]
id = "II"
name = "Chỉ tiêu khác"

[[group]]
id = "NV"
name = "Nhiệm vụ"
"#;
const INDICATORS: &str = r#"
[[indicator]]
id = "truc-tuyen"
code = "I.1"
name = "Tỷ lệ hồ sơ trực tuyến"
group = "I"
unit = "%"
direction = "higher"
points = 10
[indicator.targets]
2026 = ">= 50"
2030 = ">= 80"

[[indicator]]
id = "lua-dao"
code = "II.1"
name = "Số vụ lừa đảo"
group = "II"
unit = "count"
direction = "lower"
[indicator.targets]
2026 = { reduce = 50, from = 2025 }

[[indicator]]
id = "ky-so"
code = "II.2"
name = "Đã ký số"
group = "II"
unit = "boolean"
[indicator.targets]
2026 = "done"

[[indicator]]
id = "chi-dao"
name = "Thực hiện theo chỉ đạo"
group = "II"
unit = "%"
direction = "higher"
[indicator.targets]
2026 = { text = "Theo chỉ đạo của Bộ Công an" }
"#;
const TASKS: &str = r#"
[[task]]
id = "t1"
code = "1"
name = "Nhiệm vụ quý I"
group = "NV"
lead = ["Xã A"]
deadline = "Quý I/2026"

[[task]]
id = "t2"
name = "Nhiệm vụ tháng 1"
group = "NV"
lead = ["Xã B"]
deadline = "Tháng 1/2026"

[[task]]
id = "t3"
name = "Nhiệm vụ thường xuyên"
group = "NV"
lead = ["Xã C"]
deadline = "Thường xuyên"
"#;
const UNITS: &str = "id,name,parent,level\n\
        tinh,UBND tỉnh Mẫu,,tinh\n\
        xa-a,Xã A,tinh,xa\n\
        xa-b,Xã B,tinh,xa\n\
        xa-c,Xã C,tinh,xa\n";
// xa-a meets 50% (2/3 online), xa-b does not (1/7), xa-c reports nothing
const REPORTED: &str = "unit,period,indicator,value,numerator,denominator\n\
        xa-a,2026,truc-tuyen,,2,3\n\
        xa-b,2026,truc-tuyen,,1,7\n\
        tinh,2025,lua-dao,200,,\n\
        tinh,2026,lua-dao,123,,\n\
        xa-a,2026,ky-so,1,,\n\
        xa-b,2026,ky-so,0,,\n";
const TASK_ROWS: &str = "task,unit,status,completed_on\nt1,xa-a,hoan_thanh,10/2/2026\n";

fn scorecard() -> (Scorecard, Catalogue, crate::data::Units) {
    crate::score::scorecard::score_texts(
        &[
            ("catalogue.toml", CATALOGUE),
            ("indicators.toml", INDICATORS),
            ("tasks.toml", TASKS),
        ],
        &[
            ("units.csv", UNITS),
            ("reported.csv", REPORTED),
            ("tasks.csv", TASK_ROWS),
        ],
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
    )
}

fn open(bytes: Vec<u8>) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"))
}

fn range(book: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    book.worksheet_range(name)
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn at(r: &Range<Data>, row: usize, col: usize) -> Data {
    r.get_value((row as u32, col as u32))
        .cloned()
        .unwrap_or(Data::Empty)
}

/// A number cell (a date reads as its serial), or None for an empty cell.
fn num(d: Data) -> Option<f64> {
    match d {
        Data::Float(v) => Some(v),
        Data::Int(v) => Some(v as f64),
        Data::DateTime(x) => Some(x.as_f64()),
        Data::Empty => None,
        other => panic!("not a number: {other:?}"),
    }
}

fn txt(d: Data) -> Option<String> {
    match d {
        Data::String(s) => Some(s),
        Data::Empty => None,
        other => panic!("not text: {other:?}"),
    }
}

/// The column whose header is `name`.
fn column(r: &Range<Data>, name: &str) -> usize {
    (0..r.width())
        .find(|&j| at(r, 0, j) == Data::String(name.to_string()))
        .unwrap_or_else(|| panic!("no column {name:?}"))
}

fn serial(iso: &str) -> f64 {
    let d = NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap_or_else(|e| panic!("{e}"));
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    (d - epoch).num_days() as f64
}

#[test]
fn summary_cells_equal_the_scorecard_json() {
    let (card, c, _) = scorecard();
    let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
    let mut book = open(bytes);
    assert_eq!(book.sheet_names(), ["Tổng hợp", "Chỉ tiêu", "Nhiệm vụ"]);
    let json = String::from_utf8(crate::report::json(&card).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let s = range(&mut book, "Tổng hợp");
    assert_eq!(s.height(), card.units.len() + 1);
    let (id, score, grade, rank, rank_of, coverage) = (
        column(&s, "Mã đơn vị"),
        column(&s, "Điểm"),
        column(&s, "Xếp loại"),
        column(&s, "Hạng"),
        column(&s, "Trên số đơn vị"),
        column(&s, "Tỷ lệ có dữ liệu"),
    );
    let group_i = column(&s, "Điểm nhóm I");
    let completion = column(&s, "Tỷ lệ hoàn thành nhiệm vụ");
    assert!(column(&s, "Đơn vị") < score);
    for (i, u) in card.units.iter().enumerate() {
        let r = i + 1;
        assert_eq!(txt(at(&s, r, id)), Some(u.id.clone()));
        // full precision: the cell holds exactly the card's number, which scorecard.json
        // prints in the same shortest round-trip form
        let cell = num(at(&s, r, score));
        assert_eq!(cell, u.score, "{}", u.id);
        if let Some(v) = cell {
            assert!(json.contains(&format!("\"score\": {v:?}")), "{v:?}");
        }
        assert_eq!(
            txt(at(&s, r, grade)),
            u.grade.as_ref().map(|g| g.name.clone())
        );
        assert_eq!(num(at(&s, r, rank)), u.rank.map(|v| v as f64));
        assert_eq!(num(at(&s, r, rank_of)), u.rank_of.map(|v| v as f64));
        assert_eq!(num(at(&s, r, coverage)), u.coverage);
        assert_eq!(num(at(&s, r, group_i)), u.groups[0].score);
        assert_eq!(
            num(at(&s, r, completion)),
            u.tasks.completion_rate.map(|v| v / 100.0)
        );
    }
    // the fixture is not trivial: a score with decimals, ranked peers, a unit without rates
    let xa_b = &card.units[2];
    assert!(xa_b.score.is_some_and(|v| v.fract() != 0.0), "{xa_b:?}");
    assert_eq!(xa_b.rank_of, Some(3));
    assert!(card.units.iter().any(|u| u.tasks.completion_rate.is_none()));
}

/// The number format code each cell of a sheet shows (by cell reference, "B2"), read from
/// the workbook's XML: the cell's style index into styles.xml's cell formats, and that
/// format's number format (a built-in id or one of the file's own).
fn cell_number_formats(bytes: &[u8], sheet: usize) -> HashMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        text
    };
    let styles = read("xl/styles.xml");
    let cells = read(&format!("xl/worksheets/sheet{sheet}.xml"));
    // the attribute `name` of the element starting at `tag`
    let attr = |tag: &str, name: &str| -> Option<String> {
        let end = tag.find('>').unwrap_or(tag.len());
        let at = tag[..end].find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[at..].find('"')?;
        Some(tag[at..at + len].replace("&quot;", "\""))
    };
    let mut codes: HashMap<String, String> = [
        ("0", "General"),
        ("1", "0"),
        ("2", "0.00"),
        ("3", "#,##0"),
        ("4", "#,##0.00"),
        ("9", "0%"),
        ("10", "0.00%"),
    ]
    .into_iter()
    .map(|(id, code)| (id.to_string(), code.to_string()))
    .collect();
    for tag in styles.split("<numFmt ").skip(1) {
        let tag = format!(" {tag}");
        if let (Some(id), Some(code)) = (attr(&tag, "numFmtId"), attr(&tag, "formatCode")) {
            codes.insert(id, code);
        }
    }
    let xfs = styles
        .split("<cellXfs")
        .nth(1)
        .and_then(|s| s.split("</cellXfs>").next())
        .unwrap_or_default();
    let xf_codes: Vec<String> = xfs
        .split("<xf ")
        .skip(1)
        .map(|tag| {
            let id = attr(&format!(" {tag}"), "numFmtId").unwrap_or_else(|| "0".into());
            codes.get(&id).cloned().unwrap_or(id)
        })
        .collect();
    cells
        .split("<c ")
        .skip(1)
        .filter_map(|tag| {
            let tag = format!(" {tag}");
            let cell = attr(&tag, "r")?;
            let style: usize = attr(&tag, "s").map_or(0, |s| s.parse().unwrap_or(0));
            Some((cell, xf_codes.get(style).cloned().unwrap_or_default()))
        })
        .collect()
}

#[test]
fn number_cells_show_the_format_of_their_column_and_value() {
    let (card, c, _) = scorecard();
    let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
    let formats = cell_number_formats(&bytes, 2);
    let s = range(&mut open(bytes), "Chỉ tiêu");
    let letter = |j: usize| char::from(b'A' + j as u8).to_string();
    let mut seen = Vec::new();
    for (name, kind) in [
        ("Giá trị", Kind::Amount),
        ("Tử số", Kind::Amount),
        ("Mức đạt", Kind::Percent),
        ("Điểm tối đa", Kind::Score),
        ("Năm mục tiêu", Kind::Integer),
    ] {
        let j = column(&s, name);
        for r in 1..s.height() {
            if let Some(v) = num(at(&s, r, j)) {
                let cell = format!("{}{}", letter(j), r + 1);
                let shown = formats.get(&cell).map(String::as_str);
                assert_eq!(
                    shown,
                    Some(number_format(kind, v, Lang::Vi)),
                    "{name} {cell} {v}"
                );
                seen.push((name, shown.unwrap_or_default().to_string()));
            }
        }
    }
    // by hand: xa-a's 2 of 3 online is the value 66.67 (decimals), the province's 123 frauds
    // a whole amount, xa-a's attainment a percentage
    let has = |name: &str, code: &str| seen.iter().any(|(n, c)| *n == name && c == code);
    assert!(
        has("Giá trị", "#,##0.00") && has("Giá trị", "#,##0"),
        "{seen:?}"
    );
    assert!(
        has("Mức đạt", "0.00%") && has("Điểm tối đa", "0.00"),
        "{seen:?}"
    );
    assert!(has("Năm mục tiêu", "0"), "{seen:?}");
}

#[test]
fn indicator_rows_equal_the_scorecard() {
    let (card, c, _) = scorecard();
    let mut book = open(render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}")));
    let s = range(&mut book, "Chỉ tiêu");
    assert_eq!(s.height(), 1 + card.units.len() * c.indicators.len());
    let col = |name| column(&s, name);
    let (unit, indicator, value, target, attainment, status, code) = (
        col("Mã đơn vị"),
        col("Mã chỉ tiêu"),
        col("Giá trị"),
        col("Mục tiêu"),
        col("Mức đạt"),
        col("Trạng thái"),
        col("Mã trạng thái"),
    );
    let (lost, needed) = (col("Điểm bị mất"), col("Cần thêm (hồ sơ, để đạt mục tiêu)"));
    let mut r = 1;
    let mut losses = 0;
    for u in &card.units {
        for ind in &u.indicators {
            assert_eq!(num(at(&s, r, lost)), ind.points_lost, "{} {}", u.id, ind.id);
            assert_eq!(num(at(&s, r, needed)), ind.needed.map(|k| k as f64));
            losses += usize::from(ind.points_lost.is_some_and(|p| p > 0.0));
            assert_eq!(txt(at(&s, r, unit)), Some(u.id.clone()));
            assert_eq!(txt(at(&s, r, indicator)), Some(ind.id.clone()));
            // an absent value is an empty cell, never "null"
            assert_eq!(num(at(&s, r, value)), ind.value, "{} {}", u.id, ind.id);
            assert_eq!(num(at(&s, r, attainment)), ind.attainment);
            assert_eq!(txt(at(&s, r, code)).as_deref(), Some(ind.status.as_str()));
            assert_eq!(
                txt(at(&s, r, status)).as_deref(),
                Some(ind.status.label(Lang::Vi))
            );
            r += 1;
        }
    }
    assert!(losses > 0, "the fixture loses points somewhere");
    // a qualitative target reads as its text; xa-c's missing value is an empty cell
    let text_row = 1 + c.indicators.len() - 1;
    assert_eq!(
        txt(at(&s, text_row, target)).as_deref(),
        Some("Theo chỉ đạo của Bộ Công an")
    );
    let xa_c = 1 + 3 * c.indicators.len();
    assert_eq!(at(&s, xa_c, value), Data::Empty);
    let statuses: Vec<&str> = card
        .units
        .iter()
        .flat_map(|u| u.indicators.iter().map(|i| i.status.as_str()))
        .collect();
    for expected in ["dat", "chua_dat", "khong_co_du_lieu", "khong_cham"] {
        assert!(statuses.contains(&expected), "{statuses:?}");
    }
}

#[test]
fn task_rows_equal_the_scorecard_overdue_first() {
    let (card, c, _) = scorecard();
    let mut book = open(render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}")));
    let s = range(&mut book, "Nhiệm vụ");
    assert_eq!(s.height(), 1 + card.tasks.len());
    let (task, unit, due, code, done) = (
        column(&s, "Mã nhiệm vụ"),
        column(&s, "Mã đơn vị"),
        column(&s, "Hạn"),
        column(&s, "Mã trạng thái"),
        column(&s, "Ngày hoàn thành"),
    );
    let mut rows: Vec<_> = (1..s.height())
        .map(|r| {
            (
                txt(at(&s, r, task)),
                txt(at(&s, r, unit)),
                txt(at(&s, r, code)),
                num(at(&s, r, due)),
                num(at(&s, r, done)),
            )
        })
        .collect();
    let overdue = |code: &Option<String>| {
        code.as_deref()
            .and_then(|code| TaskStatus::ALL.into_iter().find(|s| s.as_str() == code))
            .is_some_and(TaskStatus::is_overdue)
    };
    assert!(overdue(&rows[0].2), "{rows:?}");
    assert!(
        rows.windows(2)
            .all(|w| overdue(&w[0].2) || !overdue(&w[1].2)),
        "{rows:?}"
    );
    // the same order as the page: the scorecard's one task ordering
    let listed: Vec<_> = rows.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
    let by_urgency: Vec<_> = card
        .tasks_by_urgency()
        .into_iter()
        .map(|l| (Some(l.task.clone()), Some(l.unit.clone())))
        .collect();
    assert_eq!(listed, by_urgency);
    let mut expected: Vec<_> = card
        .tasks
        .iter()
        .map(|l| {
            (
                Some(l.task.clone()),
                Some(l.unit.clone()),
                Some(l.status.to_string()),
                l.due.map(|d| serial(&d.format("%Y-%m-%d").to_string())),
                l.completed_on
                    .map(|d| serial(&d.format("%Y-%m-%d").to_string())),
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(rows, expected);
    // dates are real Excel dates, not text
    assert!(matches!(at(&s, 1, due), Data::DateTime(_)));
    assert!(expected.iter().any(|e| e.4 == Some(serial("2026-02-10"))));
}

#[test]
fn english_sheets_and_headers() {
    let (card, c, _) = scorecard();
    let mut book = open(render(&card, &c, Lang::En).unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(book.sheet_names(), ["Summary", "Indicators", "Tasks"]);
    let s = range(&mut book, "Summary");
    for header in ["Unit", "Score", "Grade", "Rank", "Coverage"] {
        column(&s, header);
    }
    let s = range(&mut book, "Indicators");
    let status = column(&s, "Status");
    assert_eq!(
        txt(at(&s, 1, status)).as_deref(),
        Some(card.units[0].indicators[0].status.label(Lang::En))
    );
    assert!(at(&s, 0, 0) != Data::String("Mã đơn vị".into()));
    column(&range(&mut book, "Tasks"), "Deadline");
}

#[test]
fn the_same_run_gives_the_same_bytes() {
    let (card, c, _) = scorecard();
    let a = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
    let b = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
    assert!(a == b);
}

#[test]
fn display_widths_count_the_formatted_characters() {
    // (kind, value, shown as) — the width is the length of what Excel shows
    let cases = [
        (Kind::Percent, 0.4093, "40.93%"),
        (Kind::Percent, 1.0, "100.00%"),
        (Kind::Percent, 0.0, "0.00%"),
        (Kind::Integer, 7.0, "7"),
        (Kind::Integer, 2030.0, "2030"),
        (Kind::Amount, 1234567.0, "1,234,567"),
        (Kind::Amount, 999.0, "999"),
        (Kind::Amount, -1000.0, "-1,000"),
        (Kind::Amount, 12.44, "12.44"),
        (Kind::Amount, 24742.5, "24,742.50"),
        (Kind::Score, 99.82, "99.82"),
        (Kind::Score, 0.004, "0.00"),
        (Kind::Score, 9.999, "10.00"),
    ];
    for (kind, v, shown) in cases {
        assert_eq!(display_width(kind, v), shown.len(), "{kind:?} {v}");
    }
    // the largest figures size a column without overflowing
    for v in [f64::MAX, f64::INFINITY, f64::NAN, -f64::MAX] {
        for kind in [Kind::Percent, Kind::Integer, Kind::Amount, Kind::Score] {
            assert!(display_width(kind, v) < 500, "{kind:?} {v}");
        }
    }
}

#[test]
fn number_formats_round_only_the_display() {
    assert_eq!(number_format(Kind::Amount, 24742.0, Lang::Vi), "#,##0");
    assert_eq!(number_format(Kind::Amount, 66.666, Lang::Vi), "#,##0.00");
    assert_eq!(display_width(Kind::Amount, 24742.0), "24,742".len());
    assert_eq!(display_width(Kind::Percent, 0.5), "50.00%".len());
    assert_eq!(number(Some(f64::NAN)), Cell::Empty);
    let day = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap_or_default();
    assert_eq!(date(Some(day)), Cell::Date(day));
    assert_eq!(date(None), Cell::Empty);
    assert_eq!(text_on(Status::Dat.rgb()), Color::White);
    assert_eq!(text_on(Status::GanDat.rgb()), Color::Black);
}

#[test]
fn rows_beyond_excels_limit_are_counted_in_a_note_not_a_failed_workbook() {
    let mut book = Workbook::new();
    let ws = Worksheet::new();
    let table = Table {
        name: "T",
        columns: vec![Column {
            header: "n".into(),
            kind: Kind::Integer,
            hidden: false,
        }],
        frozen_columns: 0,
    };
    let mut sheet = Sheet::new(ws, table, Lang::En).unwrap();
    sheet.room = 3;
    for k in 0..10 {
        sheet.row(&[(Cell::Number(k as f64), None)]).unwrap();
    }
    LEFT_OUT.with(|l| l.set(LeftOut::default()));
    book.push_worksheet(sheet.finish().unwrap());
    // counted for the run's warning (write_run → chitieu score's stderr)
    assert_eq!(
        LEFT_OUT.with(|l| l.get()),
        LeftOut {
            rows: 7,
            columns: 0
        }
    );
    let bytes = book.save_to_buffer().unwrap();
    let mut read: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = calamine::Reader::worksheet_range(&mut read, "T").unwrap();
    let cells: Vec<String> = range.rows().map(|r| r[0].to_string()).collect();
    assert_eq!(&cells[..4], ["n", "0", "1", "2"]);
    assert!(
        cells[4].starts_with("… and 7 more rows, 0 more columns not written"),
        "{cells:?}"
    );
    assert_eq!(cells.len(), 5);
}

#[test]
fn columns_beyond_excels_limit_are_left_out_not_a_failed_workbook() {
    let mut book = Workbook::new();
    let columns = (0..EXCEL_COLUMNS + 5)
        .map(|k| Column {
            header: format!("c{k}"),
            kind: Kind::Integer,
            hidden: false,
        })
        .collect();
    let table = Table {
        name: "T",
        columns,
        frozen_columns: 0,
    };
    let mut sheet = Sheet::new(Worksheet::new(), table, Lang::En).unwrap();
    let cells: Vec<(Cell, Option<Rgb>)> = (0..EXCEL_COLUMNS + 5)
        .map(|k| (Cell::Number(k as f64), None))
        .collect();
    sheet.row(&cells).unwrap();
    book.push_worksheet(sheet.finish().unwrap());
    let bytes = book.save_to_buffer().unwrap();
    let mut read: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let range = calamine::Reader::worksheet_range(&mut read, "T").unwrap();
    assert_eq!(range.width(), EXCEL_COLUMNS);
    let note = range
        .get_value((2, 0))
        .map(|c| c.to_string())
        .unwrap_or_default();
    assert!(note.contains("0 more rows, 5 more columns"), "{note}");
}

#[test]
fn a_name_longer_than_a_cell_holds_is_cut_not_a_failed_workbook() {
    let long = "Tỷ lệ hồ sơ ".repeat(3_000); // 36,000 characters
    let indicators = INDICATORS.replacen("Tỷ lệ hồ sơ trực tuyến", &long, 1);
    let (card, c, _units) = crate::score::scorecard::score_texts(
        &[
            ("catalogue.toml", CATALOGUE),
            ("indicators.toml", &indicators),
            ("tasks.toml", TASKS),
        ],
        &[
            ("units.csv", UNITS),
            ("reported.csv", REPORTED),
            ("tasks.csv", TASK_ROWS),
        ],
        NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default(),
    );
    let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
    let mut book = open(bytes);
    let sheet = range(&mut book, "Chỉ tiêu");
    let cut = sheet
        .rows()
        .flatten()
        .filter_map(|cell| match cell {
            Data::String(s) if s.starts_with("Tỷ lệ hồ sơ Tỷ lệ") => Some(s.clone()),
            _ => None,
        })
        .next()
        .unwrap_or_else(|| panic!("the long name is missing"));
    assert_eq!(cut.encode_utf16().count(), CELL_TEXT_LIMIT);
    assert!(cut.ends_with('…'));
}

/// The fill colour ("RRGGBB") of each filled cell of a sheet (by cell reference, "I2"), read from
/// the workbook's XML: the cell's style index into styles.xml's cell formats, that format's
/// fill, and the fill's foreground colour.
fn cell_fills(bytes: &[u8], sheet: usize) -> HashMap<String, String> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap_or_else(|e| panic!("{e}"));
    let mut read = |name: &str| {
        let mut text = String::new();
        zip.by_name(name)
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        text
    };
    let styles = read("xl/styles.xml");
    let cells = read(&format!("xl/worksheets/sheet{sheet}.xml"));
    let attr = |tag: &str, name: &str| -> Option<String> {
        let end = tag.find('>').unwrap_or(tag.len());
        let at = tag[..end].find(&format!(" {name}=\""))? + name.len() + 3;
        let len = tag[at..].find('"')?;
        Some(tag[at..at + len].to_string())
    };
    let section = |open: &str, close: &str| {
        styles
            .split(open)
            .nth(1)
            .and_then(|s| s.split(close).next())
            .unwrap_or_default()
            .to_string()
    };
    // each fill's foreground colour, without the alpha byte
    let fills: Vec<Option<String>> = section("<fills", "</fills>")
        .split("<fill>")
        .skip(1)
        .map(|fill| {
            let at = fill.find("<fgColor")?;
            attr(&fill[at..], "rgb").map(|argb| argb[argb.len().saturating_sub(6)..].to_string())
        })
        .collect();
    let xf_fills: Vec<Option<String>> = section("<cellXfs", "</cellXfs>")
        .split("<xf ")
        .skip(1)
        .map(|tag| {
            let id: usize = attr(&format!(" {tag}"), "fillId")?.parse().ok()?;
            fills.get(id).cloned().flatten()
        })
        .collect();
    cells
        .split("<c ")
        .skip(1)
        .filter_map(|tag| {
            let tag = format!(" {tag}");
            let cell = attr(&tag, "r")?;
            let style: usize = attr(&tag, "s")?.parse().ok()?;
            Some((cell, xf_fills.get(style).cloned().flatten()?))
        })
        .collect()
}

/// The workbook colours each task's status as the page and the `tasks` chart do: with the task
/// palette (TaskStatus::rgb), every status, not the indicator colours.
#[test]
fn task_statuses_are_filled_with_the_task_palette() {
    let (card, c, _) = scorecard();
    let bytes = render(&card, &c, Lang::Vi).unwrap_or_else(|e| panic!("{e}"));
    let fills = cell_fills(&bytes, 3);
    let mut book = open(bytes);
    let s = range(&mut book, "Nhiệm vụ");
    let (label, code) = (column(&s, "Trạng thái"), column(&s, "Mã trạng thái"));
    assert!(s.height() > 1, "the test scorecard has tasks");
    let mut seen = std::collections::BTreeSet::new();
    for r in 1..s.height() {
        let status = txt(at(&s, r, code))
            .and_then(|code| TaskStatus::ALL.into_iter().find(|s| s.as_str() == code))
            .unwrap_or_else(|| panic!("row {r}: no status code"));
        let cell = format!("{}{}", (b'A' + label as u8) as char, r + 1);
        let (red, green, blue) = status.rgb();
        assert_eq!(
            fills.get(&cell).map(String::as_str),
            Some(format!("{red:02X}{green:02X}{blue:02X}").as_str()),
            "{cell}: {status:?}"
        );
        seen.insert(status.as_str());
    }
    // more than the done and overdue statuses the indicator colours used to cover
    assert!(
        seen.iter()
            .any(|s| !["hoan_thanh_dung_han", "qua_han"].contains(s)),
        "{seen:?}"
    );
}
