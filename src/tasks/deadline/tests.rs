//! Tests of `deadline`.

use super::{parse_deadline, Deadline, FORMS_HELP};
use chrono::NaiveDate;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date in the test table")
}

/// `Deadline::Date` on y-m-d.
fn on(y: i32, m: u32, d: u32) -> Deadline {
    Deadline::Date(day(y, m, d))
}

fn every(yearly_due: Option<(u32, u32)>, from_year: Option<i32>) -> Deadline {
    Deadline::Recurring {
        yearly_due,
        from_year,
    }
}

const ONGOING: Deadline = Deadline::Recurring {
    yearly_due: None,
    from_year: None,
};
const WHEN: Deadline = Deadline::Conditional;

fn check(cases: &[(&str, Deadline)]) {
    for (text, expected) in cases {
        assert_eq!(
            parse_deadline(text).as_ref(),
            Some(expected),
            "parse_deadline({text:?})"
        );
    }
}

/// Every distinct time text of the task tables in the five seed documents, as extracted
/// (line breaks inside a cell included), and the time limits stated in their bodies.
#[test]
fn seed_deadlines() {
    check(&[
        // 000 (Sở KH&CN Đồng Nai, Đề án 06 năm 2026): Phụ lục, "Thời gian thực hiện".
        ("Theo lộ trình của các bộ, ngành Trung ương", WHEN),
        ("Hoàn thành trước ngày 30/6/2026", on(2026, 6, 30)),
        ("Hoàn thành trước ngày 31/12/2026", on(2026, 12, 31)),
        ("Ngay sau khi các bộ, ngành công bố", WHEN),
        (
            "Triển khai từ 2026, thực hiện thường xuyên",
            every(None, Some(2026)),
        ),
        ("Thực hiện thường xuyên", ONGOING),
        ("Theo tiến độ hoàn thành các CSDL", WHEN),
        ("Sau khi triển khai thành công tại Đà Nẵng và Huế", WHEN),
        // 000, IV.2: reporting deadlines.
        ("định kỳ báo cáo tháng trước ngày 05 hàng tháng", ONGOING),
        ("trước ngày 5/6/2026", on(2026, 6, 5)),
        ("trước ngày 05/12/2026", on(2026, 12, 5)),
        ("trước ngày 10 hàng tháng", ONGOING),
        ("trước ngày 10/6/2026", on(2026, 6, 10)),
        ("trước ngày 10/12/2026.", on(2026, 12, 10)),
        // 001 (report, tháng 10/2025): no task table; its time phrases.
        ("tháng 10/2025", on(2025, 10, 31)),
        ("tháng 10 năm 2025", on(2025, 10, 31)),
        ("khi có hướng dẫn của Bộ Khoa học và Công nghệ", WHEN),
        ("Sẽ triển khai khi có hướng dẫn của Bộ ngành", WHEN),
        ("theo hướng dẫn của Bộ Khoa học và Công nghệ", WHEN),
        ("ngày 13/10/2025", on(2025, 10, 13)),
        ("Từ ngày 01/7/2025", every(None, Some(2025))),
        // 002 (UBND tỉnh Lào Cai, 2026-2030): Phụ lục II, "Thời gian hoàn thành".
        ("Theo chỉ đạo của Trung ương", WHEN),
        ("Tháng 5/2026", on(2026, 5, 31)),
        ("Tháng 12/2026", on(2026, 12, 31)),
        ("Thường xuyên", ONGOING),
        ("Theo chỉ đạo của Bộ Công an", WHEN),
        ("01/2027", on(2027, 1, 31)),
        ("Theo Hướng dẫn của Bộ Công an", WHEN),
        ("Tháng 2/2027", on(2027, 2, 28)),
        ("Tháng 3/2027", on(2027, 3, 31)),
        ("Tháng 1/2030", on(2030, 1, 31)),
        ("Tháng 6/2026", on(2026, 6, 30)),
        ("Quý I/2027", on(2027, 3, 31)),
        ("Theo tiến độ đã được giao", WHEN),
        ("Tháng 3/2028", on(2028, 3, 31)),
        ("Quý II/2027", on(2027, 6, 30)),
        ("Tháng 1/2028", on(2028, 1, 31)),
        ("Tháng 02/2027", on(2027, 2, 28)),
        ("Tháng 6/2028", on(2028, 6, 30)),
        // 002, Phụ lục I (qualitative targets) and body.
        ("Theo chỉ đạo của Bộ Khoa học và Công nghệ", WHEN),
        ("hoàn thành trước ngày 06/6/2026", on(2026, 6, 6)),
        ("Định kỳ trước ngày 10 hàng tháng", ONGOING),
        ("Định kỳ hàng tháng, đột xuất", ONGOING),
        ("Hàng năm", ONGOING),
        ("Giai đoạn từ năm 2026 đến năm 2030", on(2030, 12, 31)),
        ("giai đoạn 2026 - 2030", on(2030, 12, 31)),
        // 003 (UBND xã Thanh Sơn, NQ 57): Phụ lục 2, "Thời gian hoàn thành".
        ("Trong Quý I \nhàng năm", every(Some((3, 31)), None)),
        ("Quý I/2026", on(2026, 3, 31)),
        ("Tháng 02/2026", on(2026, 2, 28)),
        (
            "Khi có sản \nphẩm, sáng chế \nđược UBND xã \n\nsơ duyệt",
            WHEN,
        ),
        ("Khi có chủ \ntrương của cấp \n\ntrên", WHEN),
        (
            "Năm 2026 và \ncác năm tiếp \n\ntheo",
            every(None, Some(2026)),
        ),
        ("Năm 2026", on(2026, 12, 31)),
        ("Tháng 2/2026", on(2026, 2, 28)),
        ("Năm 2025", on(2025, 12, 31)),
        ("Khi có chính \nsách của cấp \n\ntrên", WHEN),
        ("định kỳ quý, \nnăm", ONGOING),
        ("2025 và những \nnăm tiếp theo", every(None, Some(2025))),
        ("Tháng 05/2026", on(2026, 5, 31)),
        ("Tháng 3/2026", on(2026, 3, 31)),
        ("Quý II/2026", on(2026, 6, 30)),
        // 003, body.
        ("hoàn thành trước ngày 11/02/2026", on(2026, 2, 11)),
        (
            "định kỳ hàng Quý (trước ngày 15 của tháng cuối Quý) hoặc khi có yêu cầu đột xuất",
            ONGOING,
        ),
        // 004 (UBND phường Phước Tân, 2026): targets in prose; its time phrases.
        ("theo chỉ đạo của UBND tỉnh", WHEN),
        ("theo hướng dẫn của Sở Khoa học và Công nghệ", WHEN),
        ("ngày 22 tháng 12 năm 2024", on(2024, 12, 22)),
        ("đến năm 2030", on(2030, 12, 31)),
    ]);
}

/// The SPEC §6 table and the forms of the brief not already in the seeds.
#[test]
fn spec_forms() {
    check(&[
        ("ngày 05/12/2026", on(2026, 12, 5)),
        ("30/06/2026", on(2026, 6, 30)),
        ("trước 30/6/2026", on(2026, 6, 30)),
        ("Quý 3/2026", on(2026, 9, 30)),
        ("Quý IV năm 2026", on(2026, 12, 31)),
        ("2026", on(2026, 12, 31)),
        ("Hằng năm", ONGOING),
        ("Hàng tháng", ONGOING),
        ("Hằng quý", ONGOING),
        ("Theo hướng dẫn của Bộ", WHEN),
        ("Sau khi có hướng dẫn", WHEN),
    ]);
}

/// Spelling variants: case, missing diacritics, spacing, trailing punctuation, separators.
#[test]
fn spelling_variants() {
    check(&[
        ("HOÀN THÀNH TRƯỚC NGÀY 30/6/2026", on(2026, 6, 30)),
        ("hoan thanh truoc ngay 30/6/2026", on(2026, 6, 30)),
        ("Thang 5/2026", on(2026, 5, 31)),
        ("quy ii/2027", on(2027, 6, 30)),
        ("  Quý II/2027.  ", on(2027, 6, 30)),
        ("Quý I / 2027", on(2027, 3, 31)),
        ("Thường xuyên./.", ONGOING),
        ("thuong xuyen;", ONGOING),
        ("- Thường xuyên", ONGOING),
        ("30-6-2026", on(2026, 6, 30)),
        ("30.6.2026", on(2026, 6, 30)),
        ("2026-06-30", on(2026, 6, 30)),
        ("ngày 30 tháng 6 năm 2026", on(2026, 6, 30)),
        ("Tháng 5 năm 2026", on(2026, 5, 31)),
        ("2026–2030", on(2030, 12, 31)),
        ("theo chi dao cua trung uong", WHEN),
    ]);
}

/// Texts that combine forms or need a reading; see the rules on `parse_deadline`.
#[test]
fn combined_and_ambiguous_texts() {
    check(&[
        // Recurrence wins over a date; the date gives the yearly due and the first year.
        ("Quý I/2026 và hằng năm", every(Some((3, 31)), Some(2026))),
        ("Tháng 12 hằng năm", every(Some((12, 31)), None)),
        ("Trước ngày 15/3 hằng năm", every(Some((3, 15)), None)),
        ("Tháng 2 hằng năm", every(Some((2, 29)), None)),
        ("Quý I và Quý III hằng năm", every(Some((3, 31)), None)),
        (
            "Hoàn thành trước 30/6/2026, cập nhật thường xuyên",
            every(None, Some(2026)),
        ),
        ("Năm 2026 và hằng năm", every(None, Some(2026))),
        // A condition opening the text wins over what follows.
        ("Sau khi có hướng dẫn, hoàn thành trước 30/6/2026", WHEN),
        ("Khi có yêu cầu hoặc định kỳ hằng năm", WHEN),
        // "trước" a month, quarter or year: the day before it starts.
        ("Trước tháng 6/2026", on(2026, 5, 31)),
        ("Hoàn thành trước Quý III/2026", on(2026, 6, 30)),
        ("Trước năm 2027", on(2026, 12, 31)),
        ("Trong năm 2026", on(2026, 12, 31)),
        ("Cuối năm 2026", on(2026, 12, 31)),
        ("Chậm nhất ngày 15/7/2026", on(2026, 7, 15)),
        ("Tháng 2/2028", on(2028, 2, 29)),
        // An open start is recurring from that year.
        ("Từ năm 2026", every(None, Some(2026))),
        ("Từ năm 2026 - 2030", on(2030, 12, 31)),
        ("Từ tháng 6/2026 đến hết tháng 12/2027", on(2027, 12, 31)),
    ]);
}

#[test]
fn texts_matching_no_form_are_none() {
    let texts = [
        "",
        "   ",
        "./.",
        "31/2/2026",
        "29/2/2026",
        "32/1/2026",
        "0/1/2026",
        "Tháng 13/2026",
        "Tháng 0/2026",
        "13/2026",
        "Quý V/2026",
        "Quý 0/2026",
        "Quý 5/2026",
        "Quý V hằng năm",
        "31/2/2026 và hằng năm",
        "Trước ngày 30/6",
        "30/6/26",
        "Năm 3000",
        "20266",
        "2030 - 2026",
        "Từ năm 2027 đến năm 2026",
        "30/6/2026 hoặc khi có yêu cầu",
        // the word `Khi` alone, or an opener without the event it awaits
        "Khi nào xong thì báo cáo",
        "Khi cần thiết",
        "Khi",
        "Sau khi",
        "Khi có",
        "Theo chỉ đạo",
        "Quý I/2026 - Quý II/2026",
        "Hoàn thành",
        "Đang thực hiện",
        "Tháng",
        "Quý",
        "abc",
    ];
    for text in texts {
        assert_eq!(parse_deadline(text), None, "parse_deadline({text:?})");
    }
}

#[test]
fn due_at_applies_the_yearly_due_in_the_year_of_as_of() {
    let q1_every_year = every(Some((3, 31)), Some(2026));
    let feb_every_year = every(Some((2, 29)), None);
    let cases = [
        (&q1_every_year, day(2027, 5, 1), Some(day(2027, 3, 31))),
        (&q1_every_year, day(2026, 1, 15), Some(day(2026, 3, 31))),
        (&feb_every_year, day(2027, 6, 1), Some(day(2027, 2, 28))),
        (&feb_every_year, day(2028, 6, 1), Some(day(2028, 2, 29))),
        (&on(2026, 6, 30), day(2030, 1, 1), Some(day(2026, 6, 30))),
        (&ONGOING, day(2026, 6, 30), None),
        (&every(None, Some(2026)), day(2026, 6, 30), None),
        (&WHEN, day(2026, 6, 30), None),
        (&every(Some((13, 1)), None), day(2026, 6, 30), None),
        (
            &every(Some((4, u32::MAX)), None),
            day(2026, 6, 30),
            Some(day(2026, 4, 30)),
        ),
        (&every(Some((4, 0)), None), day(2026, 6, 30), None),
    ];
    for (deadline, as_of, expected) in cases {
        assert_eq!(deadline.due_at(as_of), expected, "{deadline:?} at {as_of}");
    }
    let parsed = parse_deadline("Trong Quý I hàng năm").and_then(|d| d.due_at(day(2029, 12, 1)));
    assert_eq!(parsed, Some(day(2029, 3, 31)));
}

#[test]
fn kinds() {
    assert_eq!(on(2026, 6, 30).kind(), "date");
    assert_eq!(ONGOING.kind(), "recurring");
    assert_eq!(WHEN.kind(), "conditional");
}

#[test]
fn help_names_each_kind_on_one_line() {
    for needle in [
        "30/6/2026",
        "Quý I/2027",
        "Thường xuyên",
        "Trong Quý I hàng năm",
        "Sau khi",
    ] {
        assert!(FORMS_HELP.contains(needle), "FORMS_HELP lacks {needle:?}");
    }
    assert!(!FORMS_HELP.contains('\n'));
    // Every example in the help parses.
    for example in [
        "30/6/2026",
        "Tháng 5/2026",
        "Quý I/2027",
        "Năm 2026",
        "Hằng năm",
    ] {
        assert!(parse_deadline(example).is_some(), "{example:?}");
    }
}

/// No input panics: huge, empty, binary, and every short sequence of tricky words.
#[test]
fn hostile_inputs_do_not_panic() {
    let huge = "Thường xuyên 31/2/2026 quý ".repeat(400_000);
    assert!(huge.len() > 10_000_000);
    assert_eq!(parse_deadline(&huge), None);
    let huge_recurring = "hằng năm ".repeat(1_200_000);
    assert_eq!(parse_deadline(&huge_recurring), Some(ONGOING));
    let bytes: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    assert_eq!(
        parse_deadline(&String::from_utf8_lossy(&bytes)).map(|d| d.kind()),
        None
    );
    assert_eq!(parse_deadline("\u{0}\u{301}\u{feff}đ/\u{10ffff}"), None);

    let vocabulary = [
        "ngày",
        "tháng",
        "quý",
        "năm",
        "trước",
        "từ",
        "đến",
        "-",
        "/",
        "i",
        "v",
        "0",
        "31",
        "2026",
        "9999",
        "31/2",
        "29/2",
        "12/2026",
        "2026-2030",
        "hằng",
        "khi",
        "theo",
    ];
    for a in vocabulary {
        for b in vocabulary {
            for c in vocabulary {
                let text = format!("{a} {b} {c}");
                if let Some(deadline) = parse_deadline(&text) {
                    assert!(["date", "recurring", "conditional"].contains(&deadline.kind()));
                }
            }
        }
    }
}
