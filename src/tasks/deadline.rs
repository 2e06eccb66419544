//! Task deadlines as the plans write them ("Quý I/2027", "Thường xuyên", "Sau khi ...") read into a
//! due date, a recurrence or a condition; the same date words of a report's due rule, which
//! `calendar::due` turns into a rule. Text in, value out: no files, diagnostics or task status.

use chrono::{Datelike, NaiveDate};

use crate::project::Lang;
use crate::text::fold;

/// When a task is due, as read from its deadline text (SPEC §6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deadline {
    /// A fixed due date.
    Date(NaiveDate),
    /// Recurring work. `yearly_due` = Some((month, day)) when the text fixes a due date in every
    /// year ("Trong Quý I hàng năm" → Some((3, 31))); `from_year` = the first year when the text
    /// names it ("Năm 2026 và các năm tiếp theo" → Some(2026); "Triển khai từ 2026, thực hiện
    /// thường xuyên" → Some(2026)).
    Recurring {
        yearly_due: Option<(u32, u32)>,
        from_year: Option<i32>,
    },
    /// Depends on an outside instruction or event ("Theo chỉ đạo của Trung ương", "Sau khi ...",
    /// "Khi có ...").
    Conditional,
}

impl Deadline {
    /// The kind of deadline as a person reads it (SPEC §6): a date, recurring, or on a
    /// condition.
    pub fn kind_label(&self, lang: Lang) -> &'static str {
        match self {
            Deadline::Date(_) => lang.pick("Có thời hạn", "Fixed date"),
            Deadline::Recurring { .. } => lang.pick("Thường xuyên, định kỳ", "Recurring"),
            Deadline::Conditional => lang.pick("Theo điều kiện", "Conditional"),
        }
    }

    /// "date" | "recurring" | "conditional"
    pub fn kind(&self) -> &'static str {
        match self {
            Deadline::Date(_) => "date",
            Deadline::Recurring { .. } => "recurring",
            Deadline::Conditional => "conditional",
        }
    }

    /// The due date that applies at `as_of`: Date → that date; Recurring with yearly_due → that
    /// month/day in as_of's year; otherwise None.
    ///
    /// A yearly 29 February falls on 28 February in common years ("Tháng 2 hằng năm").
    pub fn due_at(&self, as_of: NaiveDate) -> Option<NaiveDate> {
        match *self {
            Deadline::Date(date) => Some(date),
            Deadline::Recurring {
                yearly_due: Some((month, day)),
                ..
            } => {
                // Clamp so that an impossible day never loops for long: 31 is the longest month.
                let day = day.min(31);
                (day.min(28)..=day)
                    .rev()
                    .find_map(|d| NaiveDate::from_ymd_opt(as_of.year(), month, d))
            }
            Deadline::Recurring { .. } | Deadline::Conditional => None,
        }
    }
}

/// One help line listing the accepted forms, for the E140 diagnostic.
pub const FORMS_HELP: &str = "write a date (30/6/2026, Hoàn thành trước ngày 30/6/2026, \
    Tháng 5/2026, Quý I/2027, Năm 2026), a recurring form (Thường xuyên, Hằng năm, \
    Năm 2026 và các năm tiếp theo, Trong Quý I hàng năm) or a condition (Theo chỉ đạo của ..., \
    Sau khi ..., Khi có ...)";

/// Parses a deadline text as written in a plan (case-insensitive, with or without diacritics).
/// None when the text matches no known form (the caller reports E140).
///
/// The forms, on the folded text (`crate::text::fold`):
/// * dates: `30/6/2026`, `30-6-2026`, `2026-06-30`, `ngày 30 tháng 6 năm 2026` → that day;
///   `Tháng 5/2026`, `Tháng 5 năm 2026`, `01/2027` → last day of the month; `Quý I/2027`,
///   `Quý 3/2026`, `Quý IV năm 2026` → last day of the quarter; `Năm 2026`, `2026` → 31 December;
///   `2026 - 2030`, `Giai đoạn từ năm 2026 đến năm 2030` → 31 December of the last year. Lead words
///   may come first: `Hoàn thành`, `Thực hiện`, `Triển khai`, `trước`, `trong`, `đến (hết)`,
///   `chậm nhất`, `cuối`, `vào`.
/// * recurring: any of `thường xuyên`, `liên tục`, `định kỳ`, `hàng/hằng/mỗi` +
///   `năm|quý|tháng|tuần|ngày`, `các/những năm tiếp theo`; also an open start `Từ 2026`.
/// * conditional: opening (after the lead words) with `Theo` + `chỉ đạo|lộ trình|tiến độ|
///   hướng dẫn|yêu cầu|kế hoạch|quy định`, `Sau khi`, `Ngay sau khi`, `Ngay khi có`, `Khi có`,
///   each followed by what is awaited: a text that merely starts with the word `Khi` ("Khi nào
///   xong thì báo cáo"), or an opener with nothing after it, names no event and is `None`.
///
/// Texts that combine forms are read by these rules, in this order:
/// 1. A text that opens with a condition is `Conditional`, whatever follows: "Sau khi có hướng dẫn,
///    hoàn thành trước 30/6/2026" cannot be due before the event.
/// 2. Otherwise a recurrence word anywhere makes it `Recurring`; the periods written in it give
///    `from_year` (the first year written) and, when the recurrence is yearly (`hằng năm`,
///    `mỗi năm`, `các năm tiếp theo`), `yearly_due` (the first period shorter than a year, its
///    last day):
///    "Quý I/2026 và hằng năm" → `Recurring { yearly_due: Some((3, 31)), from_year: Some(2026) }`;
///    "Hoàn thành trước 30/6/2026, cập nhật thường xuyên" → `Recurring { yearly_due: None,
///    from_year: Some(2026) }` (ongoing work is never finished at a date; give `due =` to score
///    the first milestone).
/// 3. Otherwise the whole text must be one date form, so "30/6/2026 hoặc khi có yêu cầu" is `None`:
///    ambiguous, and the author settles it with `due =`.
///
/// "trước ngày 30/6/2026" is due on 30/6/2026 (SPEC §6), but "trước tháng 6/2026", "trước Quý
/// III/2026" and "trước năm 2027" are due the day before that period starts (31/5/2026,
/// 30/6/2026, 31/12/2026). A date without a year ("trước ngày 30/6") is no fixed date. An
/// impossible date anywhere in the text (31/2/2026, Tháng 13/2026, Quý V/2026) gives `None`.
/// Years are four digits from 1900 to 2199.
pub fn parse_deadline(text: &str) -> Option<Deadline> {
    let normalised = normalise(&fold(text));
    let words: Vec<&str> = normalised.split(' ').filter_map(word).collect();
    if words.is_empty() {
        return None;
    }
    let (opening, _) = strip_lead(&words);
    if CONDITION_OPENERS
        .iter()
        .any(|opener| strip_phrase(opening, opener).is_some_and(|awaited| !awaited.is_empty()))
    {
        return Some(Deadline::Conditional);
    }
    if RECURRENCE_MARKERS
        .iter()
        .any(|marker| contains_phrase(&words, marker))
    {
        return recurring(&words);
    }
    fixed(&words)
}

/// Words that may open any deadline text without changing it; `truoc` ("before") is noted.
const LEAD_WORDS: &[&str] = &[
    "hoan thanh",
    "thuc hien",
    "trien khai",
    "se",
    "xong",
    "cham nhat",
    "thoi han",
    "han chot",
    "giai doan",
    "truoc",
    "trong",
    "den",
    "het",
    "vao",
    "cuoi",
    "-",
];

/// Openings of a condition on an outside instruction or event.
const CONDITION_OPENERS: &[&str] = &[
    "theo chi dao",
    "theo lo trinh",
    "theo tien do",
    "theo huong dan",
    "theo yeu cau",
    "theo ke hoach",
    "theo quy dinh",
    "ngay sau khi",
    "ngay khi co",
    "sau khi",
    "khi co",
];

/// Words that make a text recurring, wherever they stand.
const RECURRENCE_MARKERS: &[&str] = &[
    "thuong xuyen",
    "lien tuc",
    "dinh ky",
    "hang nam",
    "moi nam",
    "nam tiep theo",
    "hang quy",
    "moi quy",
    "hang thang",
    "moi thang",
    "hang tuan",
    "hang ngay",
];

/// Recurrence markers that repeat every year, so that a shorter period in the text is a yearly due.
const YEARLY_MARKERS: &[&str] = &["hang nam", "moi nam", "nam tiep theo"];

/// Years accepted in dates: four digits, and nothing that is more likely a count or a code.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2199;

/// A leap year in which periods without a year are placed, so that 29/2 is a valid yearly due.
const LEAP_YEAR: i32 = 2000;

/// Rule 2 of [`parse_deadline`]: the text holds a recurrence marker.
fn recurring(words: &[&str]) -> Option<Deadline> {
    let yearly = YEARLY_MARKERS
        .iter()
        .any(|marker| contains_phrase(words, marker));
    let mut yearly_due = None;
    let mut from_year = None;
    let mut i = 0;
    while i < words.len() {
        match read_period(&words[i..]) {
            Found::Invalid => return None,
            Found::NotAPeriod => i += 1,
            Found::Period(period, consumed) => {
                let before = i > 0 && words[i - 1] == "truoc";
                if yearly && yearly_due.is_none() {
                    yearly_due = period.yearly_due(before);
                }
                from_year = from_year.or(period.year());
                i += consumed;
            }
        }
    }
    Some(Deadline::Recurring {
        yearly_due,
        from_year,
    })
}

/// Rule 3 of [`parse_deadline`]: lead words, then exactly one period with a year, or a range
/// `từ P1 đến P2`, or an open start `từ P1` (recurring from that year).
fn fixed(words: &[&str]) -> Option<Deadline> {
    let (rest, before) = strip_lead(words);
    let Some(after_from) = strip_phrase(rest, "tu") else {
        return whole_period(rest)?.fixed_due(before).map(Deadline::Date);
    };
    let Found::Period(start, consumed) = read_period(after_from) else {
        return None;
    };
    let start_year = start.year()?;
    let tail = &after_from[consumed..];
    match (start, tail.is_empty()) {
        // "Từ năm 2026 - 2030": the range is read as one period.
        (Period::Years { .. }, true) => return start.fixed_due(false).map(Deadline::Date),
        (_, true) => {
            return Some(Deadline::Recurring {
                yearly_due: None,
                from_year: Some(start_year),
            })
        }
        (_, false) => {}
    }
    if !matches!(tail.first(), Some(&"den") | Some(&"-")) {
        return None;
    }
    let (tail, _) = strip_lead(tail);
    let due = whole_period(tail)?.fixed_due(false)?;
    let (first_day, _) = start.span(start_year)?;
    (first_day <= due).then_some(Deadline::Date(due))
}

/// A stretch of calendar named in a deadline text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Period {
    /// `30/6/2026`, `ngày 30 tháng 6 năm 2026`
    Day(NaiveDate),
    /// `ngày 15/3` (in "trước ngày 15/3 hằng năm")
    DayOfYear { month: u32, day: u32 },
    /// `ngày 10` (in "trước ngày 10 hàng tháng")
    DayOfMonth(u32),
    /// `Tháng 5/2026`, `01/2027`
    Month { year: i32, month: u32 },
    /// `Tháng 12` (in "Tháng 12 hằng năm")
    MonthOfYear(u32),
    /// `Quý I/2027`, `Quý IV năm 2026`
    Quarter { year: i32, quarter: u32 },
    /// `Quý I` (in "Trong Quý I hàng năm")
    QuarterOfYear(u32),
    /// `Năm 2026`, `2026`
    Year(i32),
    /// `2026 - 2030`
    Years { first: i32, last: i32 },
}

impl Period {
    /// The year the text names, if any (the first one of a range).
    fn year(self) -> Option<i32> {
        match self {
            Period::Day(date) => Some(date.year()),
            Period::Month { year, .. }
            | Period::Quarter { year, .. }
            | Period::Year(year)
            | Period::Years { first: year, .. } => Some(year),
            Period::DayOfYear { .. }
            | Period::DayOfMonth(_)
            | Period::MonthOfYear(_)
            | Period::QuarterOfYear(_) => None,
        }
    }

    /// First and last day of the period; a period without a year is placed in `default_year`.
    fn span(self, default_year: i32) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Period::Day(date) => Some((date, date)),
            Period::DayOfYear { month, day } => {
                let date = NaiveDate::from_ymd_opt(default_year, month, day)?;
                Some((date, date))
            }
            Period::DayOfMonth(_) => None,
            Period::Month { year, month } => months_span(year, month, month),
            Period::MonthOfYear(month) => months_span(default_year, month, month),
            Period::Quarter { year, quarter } => quarter_span(year, quarter),
            Period::QuarterOfYear(quarter) => quarter_span(default_year, quarter),
            Period::Year(year) => months_span(year, 1, 12),
            Period::Years { first, last } => {
                let (start, _) = months_span(first, 1, 1)?;
                let (_, end) = months_span(last, 12, 12)?;
                Some((start, end))
            }
        }
    }

    /// The due date: the last day of the period or, after "trước" ("trước tháng 6/2026"), the day
    /// before it starts. A day stays itself: "trước ngày 30/6/2026" is due on 30/6/2026 (SPEC §6).
    fn due(self, default_year: i32, before: bool) -> Option<NaiveDate> {
        let (first, last) = self.span(default_year)?;
        let is_day = matches!(self, Period::Day(_) | Period::DayOfYear { .. });
        if before && !is_day {
            first.pred_opt()
        } else {
            Some(last)
        }
    }

    /// The due date of a period that names its year; None for "Quý I", "ngày 10", ...
    fn fixed_due(self, before: bool) -> Option<NaiveDate> {
        self.due(self.year()?, before)
    }

    /// (month, day) due every year for a period shorter than a year; the year written, if any, is
    /// dropped ("Quý I/2026 và hằng năm" → (3, 31)).
    fn yearly_due(self, before: bool) -> Option<(u32, u32)> {
        let in_any_year = match self {
            Period::Day(date) => Period::DayOfYear {
                month: date.month(),
                day: date.day(),
            },
            Period::Month { month, .. } => Period::MonthOfYear(month),
            Period::Quarter { quarter, .. } => Period::QuarterOfYear(quarter),
            Period::DayOfYear { .. } | Period::MonthOfYear(_) | Period::QuarterOfYear(_) => self,
            Period::DayOfMonth(_) | Period::Year(_) | Period::Years { .. } => return None,
        };
        let due = in_any_year.due(LEAP_YEAR, before)?;
        Some((due.month(), due.day()))
    }
}

/// First day of `first_month` to last day of `last_month`, in `year`.
fn months_span(year: i32, first_month: u32, last_month: u32) -> Option<(NaiveDate, NaiveDate)> {
    let start = NaiveDate::from_ymd_opt(year, first_month, 1)?;
    let (next_year, next_month) = if last_month == 12 {
        (year + 1, 1)
    } else {
        (year, last_month + 1)
    };
    let end = NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()?;
    Some((start, end))
}

fn quarter_span(year: i32, quarter: u32) -> Option<(NaiveDate, NaiveDate)> {
    let last_month = quarter.checked_mul(3)?;
    months_span(year, last_month.checked_sub(2)?, last_month)
}

/// What [`read_period`] finds at the start of some words.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// The words do not start with a period.
    NotAPeriod,
    /// They start like a period but name an impossible one (`31/2/2026`, `Quý V/2026`).
    Invalid,
    /// A period, and how many words it took.
    Period(Period, usize),
}

impl Found {
    fn checked(period: Option<Period>, consumed: usize) -> Found {
        match period {
            Some(period) => Found::Period(period, consumed),
            None => Found::Invalid,
        }
    }

    /// Counts one more word, the keyword ("ngày", "tháng", "quý", "năm") read before.
    fn after_keyword(self) -> Found {
        match self {
            Found::Period(period, consumed) => Found::Period(period, consumed + 1),
            other => other,
        }
    }
}

/// Reads the period at the start of `words`: a keyword form ("ngày ...", "tháng ...", "quý ...",
/// "năm ...") or a bare numeric one ("30/6/2026", "01/2027", "2026").
fn read_period(words: &[&str]) -> Found {
    let Some((&first, rest)) = words.split_first() else {
        return Found::NotAPeriod;
    };
    match first {
        "ngay" => read_day(rest).after_keyword(),
        "thang" => read_month(rest).after_keyword(),
        "quy" => read_quarter(rest).after_keyword(),
        "nam" => match read_numeric(rest) {
            found @ Found::Period(Period::Year(_) | Period::Years { .. }, _) => {
                found.after_keyword()
            }
            Found::Invalid => Found::Invalid,
            Found::Period(..) | Found::NotAPeriod => Found::NotAPeriod,
        },
        _ => read_numeric(words),
    }
}

/// After "ngày": `30/6/2026`, `15/3`, `30 tháng 6 năm 2026`, `15 tháng 3`, or a day of the
/// month `10`.
fn read_day(words: &[&str]) -> Found {
    match read_numeric(words) {
        found @ (Found::Invalid | Found::Period(Period::Day(_) | Period::DayOfYear { .. }, _)) => {
            return found
        }
        Found::Period(..) | Found::NotAPeriod => {}
    }
    let Some(day) = words.first().and_then(|w| short_number(w)) else {
        return Found::NotAPeriod;
    };
    let month = match (words.get(1), words.get(2).and_then(|w| short_number(w))) {
        (Some(&"thang"), Some(month)) => month,
        _ => {
            let valid = (1..=31).contains(&day);
            return Found::checked(valid.then_some(Period::DayOfMonth(day)), 1);
        }
    };
    match year_after_nam(&words[3..]) {
        Some(year) => Found::checked(
            NaiveDate::from_ymd_opt(year, month, day).map(Period::Day),
            5,
        ),
        None => Found::checked(day_of_year(month, day), 3),
    }
}

/// After "tháng": `5/2026`, `5 năm 2026`, or a month of every year `12`.
fn read_month(words: &[&str]) -> Found {
    match read_numeric(words) {
        found @ (Found::Invalid | Found::Period(Period::Month { .. }, _)) => return found,
        Found::Period(..) | Found::NotAPeriod => {}
    }
    let Some(month) = words.first().and_then(|w| short_number(w)) else {
        return Found::NotAPeriod;
    };
    if !(1..=12).contains(&month) {
        return Found::Invalid;
    }
    match year_after_nam(&words[1..]) {
        Some(year) => Found::Period(Period::Month { year, month }, 3),
        None => Found::Period(Period::MonthOfYear(month), 1),
    }
}

/// After "quý": `I/2027`, `3/2026`, `IV năm 2026`, or a quarter of every year `I`.
fn read_quarter(words: &[&str]) -> Found {
    let Some(&word) = words.first() else {
        return Found::NotAPeriod;
    };
    let mut parts = word.split(['/', '-', '.']);
    let numeral = parts.next().unwrap_or_default();
    let quarter = if numeral.bytes().all(|b| b.is_ascii_digit()) && !numeral.is_empty() {
        short_number(numeral)
    } else if !numeral.is_empty() && numeral.bytes().all(|b| matches!(b, b'i' | b'v' | b'x')) {
        ["i", "ii", "iii", "iv"]
            .iter()
            .zip(1..)
            .find_map(|(roman, n)| (*roman == numeral).then_some(n))
    } else {
        return Found::NotAPeriod;
    };
    let quarter = quarter.filter(|q| (1..=4).contains(q));
    match (parts.next(), parts.next()) {
        (None, _) => match year_after_nam(&words[1..]) {
            Some(year) => {
                Found::checked(quarter.map(|quarter| Period::Quarter { year, quarter }), 3)
            }
            None => Found::checked(quarter.map(Period::QuarterOfYear), 1),
        },
        (Some(year), None) => {
            let period = quarter
                .zip(year_number(year))
                .map(|(quarter, year)| Period::Quarter { year, quarter });
            Found::checked(period, 1)
        }
        (Some(_), Some(_)) => Found::Invalid,
    }
}

/// A bare numeric period: `30/6/2026` (also with `-` or `.`), `2026-06-30`, `01/2027`, `15/3`,
/// `2026`, `2026-2030`, `2026 - 2030`.
fn read_numeric(words: &[&str]) -> Found {
    let Some(&word) = words.first() else {
        return Found::NotAPeriod;
    };
    if !word.starts_with(|c: char| c.is_ascii_digit()) {
        return Found::NotAPeriod;
    }
    let parts: Vec<&str> = word.split(['/', '-', '.']).collect();
    let dashed = word.contains('-');
    match parts.as_slice() {
        [day, month, year] if is_short(day) && is_short(month) && is_year(year) => {
            Found::checked(day_in(year, month, day), 1)
        }
        [year, month, day] if dashed && is_year(year) && is_short(month) && is_short(day) => {
            Found::checked(day_in(year, month, day), 1)
        }
        [month, year] if is_short(month) && is_year(year) => {
            let period = year_number(year)
                .zip(short_number(month).filter(|m| (1..=12).contains(m)))
                .map(|(year, month)| Period::Month { year, month });
            Found::checked(period, 1)
        }
        [first, last] if dashed && is_year(first) && is_year(last) => {
            Found::checked(years(first, last), 1)
        }
        [day, month] if !dashed && word.contains('/') && is_short(day) && is_short(month) => {
            let period = short_number(month)
                .zip(short_number(day))
                .and_then(|(month, day)| day_of_year(month, day));
            Found::checked(period, 1)
        }
        [year] if is_year(year) => match (words.get(1), words.get(2)) {
            (Some(&"-"), Some(last)) if is_year(last) => Found::checked(years(year, last), 3),
            _ => match year_number(year) {
                Some(year) => Found::Period(Period::Year(year), 1),
                None => Found::NotAPeriod,
            },
        },
        _ => Found::NotAPeriod,
    }
}

/// `năm 2026` at the start of `words`, as the year of a preceding day, month or quarter.
fn year_after_nam(words: &[&str]) -> Option<i32> {
    match words {
        ["nam", year, ..] => year_number(year),
        _ => None,
    }
}

fn day_in(year: &str, month: &str, day: &str) -> Option<Period> {
    NaiveDate::from_ymd_opt(year_number(year)?, short_number(month)?, short_number(day)?)
        .map(Period::Day)
}

fn day_of_year(month: u32, day: u32) -> Option<Period> {
    NaiveDate::from_ymd_opt(LEAP_YEAR, month, day).map(|_| Period::DayOfYear { month, day })
}

fn years(first: &str, last: &str) -> Option<Period> {
    let (first, last) = (year_number(first)?, year_number(last)?);
    (first <= last).then_some(Period::Years { first, last })
}

/// One or two ASCII digits.
fn is_short(s: &str) -> bool {
    (1..=2).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Exactly four ASCII digits.
fn is_year(s: &str) -> bool {
    s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit())
}

fn short_number(s: &str) -> Option<u32> {
    if is_short(s) {
        s.parse().ok()
    } else {
        None
    }
}

fn year_number(s: &str) -> Option<i32> {
    if !is_year(s) {
        return None;
    }
    s.parse().ok().filter(|year| YEARS.contains(year))
}

/// Prepares folded text for splitting into words: punctuation that only separates (`,;:()"…`)
/// becomes a space, spaces around `/` go ("quy i / 2027" → "quy i/2027"), dashes become `-`.
fn normalise(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        let c = match c {
            '–' | '—' | '−' => '-',
            c => c,
        };
        if c == '/' {
            out.truncate(out.trim_end_matches(' ').len());
            out.push('/');
        } else if c.is_alphanumeric() || c == '-' || c == '.' {
            out.push(c);
        } else if !out.ends_with('/') && !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out
}

/// One word of normalised text without its trailing or leading `.`, `/`, `-` ("xuyen./." →
/// "xuyen"); a word made only of dashes stays "-" (as in "2026 - 2030").
fn word(raw: &str) -> Option<&str> {
    let trimmed = raw.trim_matches(['.', '/', '-']);
    if !trimmed.is_empty() {
        Some(trimmed)
    } else if raw.contains('-') {
        Some("-")
    } else {
        None
    }
}

/// `words` after `phrase` ("hoan thanh"), if they start with it.
fn strip_phrase<'a, 'w>(words: &'a [&'w str], phrase: &str) -> Option<&'a [&'w str]> {
    let mut rest = words;
    for expected in phrase.split(' ') {
        let (first, tail) = rest.split_first()?;
        if *first != expected {
            return None;
        }
        rest = tail;
    }
    Some(rest)
}

fn contains_phrase(words: &[&str], phrase: &str) -> bool {
    (0..words.len()).any(|i| strip_phrase(&words[i..], phrase).is_some())
}

/// `words` without their lead words, and whether "trước" was among them.
fn strip_lead<'a, 'w>(words: &'a [&'w str]) -> (&'a [&'w str], bool) {
    let mut rest = words;
    let mut before = false;
    while let Some((lead, after)) = LEAD_WORDS
        .iter()
        .find_map(|lead| strip_phrase(rest, lead).map(|after| (*lead, after)))
    {
        before |= lead == "truoc";
        rest = after;
    }
    (rest, before)
}

/// The period that `words` consist of, and nothing else.
fn whole_period(words: &[&str]) -> Option<Period> {
    match read_period(words) {
        Found::Period(period, consumed) if consumed == words.len() => Some(period),
        _ => None,
    }
}

/// What the text of a report's due rule says in the plans' date words (read for
/// `calendar::due`, which decides the rule): whether it names a month, quarter or year
/// recurrence, and the days it names.
pub(crate) struct DueWords {
    pub monthly: bool,
    pub quarterly: bool,
    pub yearly: bool,
    /// Each period named, in text order: `Some(DueDay)` for a day of the month or of the year,
    /// None for any other period (a month, a year …); None when one is impossible.
    pub days: Option<Vec<Option<DueDay>>>,
}

/// A day named by a due rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DueDay {
    /// `ngày 10` (in "trước ngày 10 hàng tháng")
    OfMonth(u32),
    /// `05/6`, `ngày 5 tháng 6` (in "trước ngày 05/6 hằng năm")
    OfYear { month: u32, day: u32 },
}

/// The date words of a due rule's text (case-insensitive, with or without diacritics).
pub(crate) fn due_words(text: &str) -> DueWords {
    let normalised = normalise(&fold(text));
    let words: Vec<&str> = normalised.split(' ').filter_map(word).collect();
    let any = |phrases: &[&str]| phrases.iter().any(|p| contains_phrase(&words, p));
    let mut days = Some(Vec::new());
    let mut i = 0;
    while let (Some(named), true) = (days.as_mut(), i < words.len()) {
        match read_period(&words[i..]) {
            Found::Invalid => days = None,
            Found::NotAPeriod => i += 1,
            Found::Period(period, consumed) => {
                named.push(match period {
                    Period::DayOfMonth(day) => Some(DueDay::OfMonth(day)),
                    Period::DayOfYear { month, day } => Some(DueDay::OfYear { month, day }),
                    _ => None,
                });
                i += consumed;
            }
        }
    }
    DueWords {
        monthly: any(&["hang thang", "moi thang"]),
        quarterly: any(&["thang cuoi quy", "hang quy", "moi quy"]),
        yearly: any(&["hang nam", "moi nam"]),
        days,
    }
}

#[cfg(test)]
mod tests;
