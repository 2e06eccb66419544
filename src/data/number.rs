//! Reading the cells of data files as numbers, booleans and dates, in the forms Vietnamese
//! offices write them (SPEC §4.1, §6). Pure functions on strings; no diagnostics here.

use chrono::{NaiveDate, NaiveDateTime};

use crate::text::fold;

/// Reads a number written with `.` or `,` as decimal separator (SPEC §4.1).
///
/// | text | value | rule |
/// |---|---|---|
/// | `12.44`, `-3`, ` 7 `, `1e3` | 12.44, -3, 7, 1000 | plain number (surrounding spaces ignored) |
/// | `12,44`, `1,234` | 12.44, 1.234 | a comma and no dot: the comma is the decimal separator |
/// | `24.742`, `1.234.567` | 24742, 1234567 | `^\d{1,3}(\.\d{3})+$`: thousands-grouped integer |
/// | `0.742` | 0.742 | the same shape with a leading zero is a decimal |
/// | `1.234,5` | 1234.5 | dot-grouped thousands with a decimal comma (Vietnamese style) |
/// | `1,234.5`, `1,234,567.0` | 1234.5, 1234567 | comma-grouped thousands, decimal dot (English) |
/// | `12,44%` | 12.44 | one trailing `%` is ignored: values are in percentage points |
///
/// Anything else — empty, `abc`, `NaN`, `inf`, `1,234,567` (comma groups without a decimal dot
/// are ambiguous), `1 234` — is `None`.
pub fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    let s = s.strip_suffix('%').map_or(s, str::trim_end);
    let (negative, body) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let plain = match (body.contains(','), body.contains('.')) {
        (false, true) if is_grouped(body, '.') => body.replace('.', ""),
        (false, _) => body.to_string(),
        (true, false) => {
            // A decimal comma: exactly one comma between digits.
            let (int, frac) = body.split_once(',')?;
            if !is_digits(int) || !is_digits(frac) {
                return None;
            }
            format!("{int}.{frac}")
        }
        (true, true) => {
            let vietnamese = body
                .rsplit_once(',')
                .filter(|(int, frac)| is_grouped(int, '.') && is_digits(frac));
            let english = body
                .split_once('.')
                .filter(|(int, frac)| is_grouped(int, ',') && is_digits(frac));
            let (int, frac) = vietnamese.or(english)?;
            format!("{}.{frac}", int.replace([',', '.'], ""))
        }
    };
    let starts_well = plain
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.');
    let only_number_bytes = plain
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !starts_well || !only_number_bytes {
        return None;
    }
    let v = plain.parse::<f64>().ok().filter(|v| v.is_finite())?;
    Some(if negative { -v } else { v })
}

/// `^\d{1,3}(SEP\d{3})+$`: at least one separator, a head of 1–3 digits, groups of 3. A head
/// with a leading zero (`0.742`, `012.345`) is not a grouped integer: no one groups thousands
/// after a zero, so `0.742` stays a decimal.
fn is_grouped(s: &str, sep: char) -> bool {
    let mut parts = s.split(sep);
    let head_ok = parts
        .next()
        .is_some_and(|h| (1..=3).contains(&h.len()) && is_digits(h) && !h.starts_with('0'));
    let mut groups = 0;
    for p in parts {
        if p.len() != 3 || !is_digits(p) {
            return false;
        }
        groups += 1;
    }
    head_ok && groups > 0
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// Prints a number read from a typed cell (XLSX, Parquet) so that [`parse_number`] reads it
/// back to the same value: integers without `.0` (`24742`), other values in Rust's shortest
/// round-trip form. A value whose text would look like a thousands-grouped integer (`24.742`)
/// gets a trailing zero (`24.7420`) so that it is not read as 24742.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return String::new();
    }
    let text = if v == 0.0 {
        "0".to_string()
    } else {
        v.to_string()
    };
    if is_grouped(text.trim_start_matches('-'), '.') {
        format!("{text}0")
    } else {
        text
    }
}

/// Reads a boolean (SPEC §4.1): `1`/`0`, `true`/`false`, `có`/`không`, `đạt`/`chưa đạt`,
/// `hoàn thành`/`chưa hoàn thành`, also `không đạt`, `không hoàn thành`, `đảm bảo`/`chưa đảm
/// bảo`/`không đảm bảo` and `yes`/`no`; any case, with or without diacritics, `_` read as a space.
pub fn parse_bool(s: &str) -> Option<bool> {
    match fold(s).replace('_', " ").as_str() {
        "1" | "true" | "co" | "dat" | "hoan thanh" | "dam bao" | "yes" => Some(true),
        "0" | "false" | "khong" | "chua dat" | "khong dat" | "chua hoan thanh"
        | "khong hoan thanh" | "chua dam bao" | "khong dam bao" | "no" => Some(false),
        _ => None,
    }
}

/// Reads a date: ISO `2026-06-30`, Vietnamese day-first `30/6/2026`, `30/06/2026`,
/// `30-06-2026` or `30.06.2026`, an ISO datetime as spreadsheets and Parquet files print them
/// (`2026-06-30 00:00:00`, `2026-06-30T08:15:00.000`), whose time is dropped, or an Excel serial
/// date of five digits (`46203` is 2026-06-30; a fraction is a time of day, dropped). A month
/// above 12 (`2/15/2026`, written month-first) is no date.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let ymd = |y: &str, m: &str, d: &str| {
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    };
    for sep in ['/', '-', '.'] {
        if let Some((a, b, c)) = split3(s, sep) {
            return match (a.len(), c.len()) {
                (4, 1..=2) if sep == '-' => ymd(a, b, c),
                (1..=2, 4) => ymd(c, b, a),
                _ => None,
            };
        }
    }
    if let Some(date) = excel_serial(s) {
        return Some(date);
    }
    // every datetime below has a time of day (an empty cell, the most common text here, would
    // otherwise be parsed four times by chrono)
    if !s.contains(':') {
        return None;
    }
    [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
    .map(|dt| dt.date())
}

/// The day of an Excel serial date (1900 date system) of five digits, 10000–99999 (1927–2173),
/// optionally with a fraction of a day: `46203` → 2026-06-30. Shorter numbers are not taken for
/// dates (`2026` is a year).
fn excel_serial(s: &str) -> Option<NaiveDate> {
    let whole = s
        .split_once('.')
        .map_or(s, |(w, f)| if is_digits(f) { w } else { "" });
    if whole.len() != 5 || !is_digits(whole) {
        return None;
    }
    let days: i64 = whole.parse().ok()?;
    // serial 60 is the 29 February 1900 that Excel counts; every serial above it is days after
    // 30 December 1899
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(days))
}

/// Splits `a SEP b SEP c` where each part is 1–4 ASCII digits.
fn split3(s: &str, sep: char) -> Option<(&str, &str, &str)> {
    let mut parts = s.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    let ok = |p: &str| (1..=4).contains(&p.len()) && is_digits(p);
    (parts.next().is_none() && ok(a) && ok(b) && ok(c)).then_some((a, b, c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_the_forms_of_the_spec() {
        let cases: &[(&str, Option<f64>)] = &[
            ("12.44", Some(12.44)),
            ("12,44", Some(12.44)),
            ("98,63", Some(98.63)),
            ("24.742", Some(24742.0)),
            ("20.509", Some(20509.0)),
            ("14.068", Some(14068.0)),
            ("1.234.567", Some(1_234_567.0)),
            ("1,234", Some(1.234)),
            ("1.234,5", Some(1234.5)),
            ("1,234.5", Some(1234.5)),
            ("1,234,567.25", Some(1_234_567.25)),
            ("-3", Some(-3.0)),
            ("+3", Some(3.0)),
            ("-24.742", Some(-24742.0)),
            (" 7 ", Some(7.0)),
            ("0", Some(0.0)),
            ("1234.5", Some(1234.5)),
            ("24.7420", Some(24.742)),
            ("0.742", Some(0.742)),
            ("0,5", Some(0.5)),
            (".5", Some(0.5)),
            ("1e3", Some(1000.0)),
            ("12,44%", Some(12.44)),
            ("80 %", Some(80.0)),
            ("", None),
            ("   ", None),
            ("abc", None),
            ("NaN", None),
            ("nan", None),
            ("inf", None),
            ("-inf", None),
            ("infinity", None),
            ("1,234,567", None),
            ("1 234", None),
            ("12,44,5", None),
            ("1.23.4", None),
            ("1.234,", None),
            (",5", None),
            ("-", None),
            ("%", None),
            ("e", None),
            ("--3", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_number(text), *expected, "parse_number({text:?})");
        }
    }

    #[test]
    fn typed_numbers_print_back_to_themselves() {
        let cases: &[(f64, &str)] = &[
            (24742.0, "24742"),
            (12.44, "12.44"),
            (24.742, "24.7420"),
            (-24.742, "-24.7420"),
            (0.0, "0"),
            (-0.0, "0"),
            (1.5, "1.5"),
            (100.0, "100"),
        ];
        for (v, text) in cases {
            assert_eq!(format_number(*v), *text, "format_number({v})");
            assert_eq!(parse_number(text), Some(*v), "round trip of {v}");
        }
        assert_eq!(format_number(f64::NAN), "");
    }

    #[test]
    fn booleans_in_every_listed_spelling() {
        let cases: &[(&str, Option<bool>)] = &[
            ("1", Some(true)),
            ("0", Some(false)),
            ("true", Some(true)),
            ("FALSE", Some(false)),
            ("True", Some(true)),
            ("có", Some(true)),
            ("Có", Some(true)),
            ("co", Some(true)),
            ("không", Some(false)),
            ("KHÔNG", Some(false)),
            ("khong", Some(false)),
            ("đạt", Some(true)),
            ("Đạt", Some(true)),
            ("dat", Some(true)),
            ("chưa đạt", Some(false)),
            ("Chưa đạt", Some(false)),
            ("chua dat", Some(false)),
            ("hoàn thành", Some(true)),
            ("Hoàn thành", Some(true)),
            ("hoan_thanh", Some(true)),
            ("HOAN THANH", Some(true)),
            ("chưa hoàn thành", Some(false)),
            ("Chưa  hoàn thành ", Some(false)),
            ("chua hoan thanh", Some(false)),
            ("Đảm bảo", Some(true)),
            ("không đạt", Some(false)),
            ("", None),
            ("2", None),
            ("dang thuc hien", None),
            ("x", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_bool(text), *expected, "parse_bool({text:?})");
        }
    }

    #[test]
    fn dates_iso_vietnamese_and_spreadsheet_datetimes() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("2026-06-30", d(2026, 6, 30)),
            ("30/6/2026", d(2026, 6, 30)),
            ("30/06/2026", d(2026, 6, 30)),
            ("05/12/2026", d(2026, 12, 5)),
            (" 2026-6-30 ", d(2026, 6, 30)),
            ("2026-06-30 00:00:00", d(2026, 6, 30)),
            ("2026-06-30T08:15:00", d(2026, 6, 30)),
            ("2026-06-30 08:15:00.000000", d(2026, 6, 30)),
            ("2028-02-29", d(2028, 2, 29)),
            ("2026-02-29", None),
            ("31/6/2026", None),
            ("6/30/2026", None),
            ("30/6/26", None),
            ("2026-06", None),
            ("2026", None),
            ("", None),
            ("hôm nay", None),
            // the day-first forms of offices and Excel's serial dates (SPEC §4.2 datasets)
            ("30-06-2026", d(2026, 6, 30)),
            ("30.06.2026", d(2026, 6, 30)),
            ("1.7.2026", d(2026, 7, 1)),
            ("46203", d(2026, 6, 30)),
            ("46203.75", d(2026, 6, 30)),
            ("2/15/2026", None),
            ("15-2026-02", None),
            ("2026.06.30", None),
            ("4620", None),
            ("462030", None),
            ("46203.x", None),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_date(text), *expected, "parse_date({text:?})");
        }
    }
}
