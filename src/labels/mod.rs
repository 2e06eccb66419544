//! What a person reads and sees, shared by the charts and the report: labels in Vietnamese
//! (default) and English, number formatting for people (`12,44%` / `24.742` in vi, `12.44%` /
//! `24,742` in en), the palette, and file names of charts. The JSON codes (`dat`, `qua_han`) are
//! never translated; only what a person reads is. A leaf: uses neither `chart` nor `report`.

use crate::cycle::ReportStatus;
use crate::definition::Target;
use crate::eval::values::Reason;
use crate::project::Lang;
use crate::score::{ForecastStatus, Status};
use crate::tasks::status::TaskStatus;
use crate::tasks::Deadline;

/// The label of an indicator status (SPEC §5.3).
pub fn status(s: Status, lang: Lang) -> &'static str {
    match s {
        Status::Dat => lang.pick("Đạt", "Met"),
        Status::GanDat => lang.pick("Gần đạt", "Nearly met"),
        Status::ChuaDat => lang.pick("Chưa đạt", "Not met"),
        Status::KhongCoDuLieu => lang.pick("Không có dữ liệu", "No data"),
        Status::KhongCham => lang.pick("Không chấm điểm", "Not scored"),
        Status::KhongPhatSinh => lang.pick("Không phát sinh", "None arose (full points)"),
    }
}

/// The label of a task status (SPEC §6).
pub fn task_status(s: TaskStatus, lang: Lang) -> &'static str {
    match s {
        TaskStatus::HoanThanhDungHan => lang.pick("Hoàn thành đúng hạn", "Done on time"),
        TaskStatus::HoanThanhQuaHan => lang.pick("Hoàn thành quá hạn", "Done late"),
        TaskStatus::HoanThanh => lang.pick("Hoàn thành", "Done"),
        TaskStatus::TrongHan => {
            lang.pick("Đang thực hiện (trong hạn)", "In progress (on schedule)")
        }
        TaskStatus::QuaHan => lang.pick("Quá hạn", "Overdue"),
        TaskStatus::ThuongXuyen => lang.pick("Thường xuyên", "Recurring"),
        TaskStatus::KhongThoiHan => lang.pick("Không có thời hạn", "No deadline"),
        TaskStatus::ChuaBaoCao => lang.pick("Chưa báo cáo (quá hạn)", "Not reported (overdue)"),
    }
}

/// The label of a report's status (SPEC §6.1).
pub fn report_status(s: ReportStatus, lang: Lang) -> &'static str {
    match s {
        ReportStatus::DungHan => lang.pick("Đúng hạn", "On time"),
        ReportStatus::TreHan => lang.pick("Trễ hạn", "Late"),
        ReportStatus::ChuaNop => lang.pick("Chưa nộp (quá hạn)", "Missing (overdue)"),
        ReportStatus::ChuaDenHan => lang.pick("Chưa đến hạn", "Not yet due"),
    }
}

/// The colour of a report's status: missing red, late amber, on time green, not yet due grey
/// (the indicator palette's meanings).
pub fn report_status_rgb(s: ReportStatus) -> (u8, u8, u8) {
    match s {
        ReportStatus::DungHan => status_rgb(Status::Dat),
        ReportStatus::TreHan => status_rgb(Status::GanDat),
        ReportStatus::ChuaNop => status_rgb(Status::ChuaDat),
        ReportStatus::ChuaDenHan => status_rgb(Status::KhongCoDuLieu),
    }
}

/// The label of a forecast status (SPEC §5.6).
pub fn forecast(s: ForecastStatus, lang: Lang) -> &'static str {
    match s {
        ForecastStatus::DaDat => lang.pick("Đã đạt", "Already met"),
        ForecastStatus::DungLoTrinh => lang.pick("Đúng lộ trình", "On track"),
        ForecastStatus::CanTangToc => lang.pick("Cần tăng tốc", "Needs acceleration"),
        ForecastStatus::ChamHoacDiLui => lang.pick("Chậm hoặc đi lùi", "Stagnating or regressing"),
        ForecastStatus::KhongDuDuLieu => lang.pick("Không đủ dữ liệu", "Not enough data"),
    }
}

/// The kind of a task's deadline (SPEC §6): a date, recurring, or on a condition.
pub fn deadline_kind(d: &Deadline, lang: Lang) -> &'static str {
    match d {
        Deadline::Date(_) => lang.pick("Có thời hạn", "Fixed date"),
        Deadline::Recurring { .. } => lang.pick("Thường xuyên, định kỳ", "Recurring"),
        Deadline::Conditional => lang.pick("Theo điều kiện", "Conditional"),
    }
}

/// Why an indicator has no value for a unit, as a person reads it (the JSON keeps the
/// Vietnamese text of [`Reason::as_str`]).
pub fn reason(r: Reason, lang: Lang) -> &'static str {
    match r {
        Reason::ZeroDenominator => lang.pick(r.as_str(), "denominator is 0"),
        Reason::NoBaseline => lang.pick(r.as_str(), "baseline value unknown"),
        Reason::NotForLevel => lang.pick(r.as_str(), "not for this unit's level"),
    }
}

/// The colour of an indicator status (SPEC §7.2), as an RGB triple.
pub fn status_rgb(s: Status) -> (u8, u8, u8) {
    match s {
        Status::Dat => (46, 139, 87),             // green
        Status::GanDat => (240, 173, 0),          // amber
        Status::ChuaDat => (204, 51, 51),         // red
        Status::KhongCham => (173, 216, 230),     // light blue
        Status::KhongCoDuLieu => (160, 160, 160), // grey
        Status::KhongPhatSinh => (152, 210, 160), // pale green: full points, nothing measured
    }
}

/// The colour of a forecast status: in the indicator status colours — on track green, needs
/// acceleration amber, stagnating red, not enough data grey.
pub fn forecast_rgb(s: ForecastStatus) -> (u8, u8, u8) {
    status_rgb(match s {
        ForecastStatus::DaDat | ForecastStatus::DungLoTrinh => Status::Dat,
        ForecastStatus::CanTangToc => Status::GanDat,
        ForecastStatus::ChamHoacDiLui => Status::ChuaDat,
        ForecastStatus::KhongDuDuLieu => Status::KhongCoDuLieu,
    })
}

/// The colour of a task status (the `tasks` chart, the report's badges): done in greens, open
/// in blues, overdue in reds, without deadline grey.
pub fn task_rgb(s: TaskStatus) -> (u8, u8, u8) {
    match s {
        TaskStatus::HoanThanhDungHan => (46, 139, 87),
        TaskStatus::HoanThanhQuaHan => (140, 160, 50),
        TaskStatus::HoanThanh => (120, 195, 140),
        TaskStatus::TrongHan => (60, 120, 200),
        TaskStatus::ThuongXuyen => (150, 190, 230),
        TaskStatus::KhongThoiHan => (170, 170, 170),
        TaskStatus::QuaHan => (204, 51, 51),
        TaskStatus::ChuaBaoCao => (130, 25, 25),
    }
}

/// A number with `decimals` decimals, grouped by thousands: `24.742` / `12,44` in vi,
/// `24,742` / `12.44` in en. Negative numbers keep their sign.
pub fn number(v: f64, decimals: usize, lang: Lang) -> String {
    let (group, point) = match lang {
        Lang::Vi => ('.', ','),
        Lang::En => (',', '.'),
    };
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}{point}{frac}")
    }
}

/// A percentage with 2 decimals: `12,44%` (vi) / `12.44%` (en).
pub fn percent(v: f64, lang: Lang) -> String {
    format!("{}%", number(v, 2, lang))
}

/// Colour of the `i`-th of `n` grade bands, best first: green through amber to red (the
/// RdYlGn scheme of ColorBrewer, darkened where it is too light for bars on white).
pub fn band_rgb(i: usize, n: usize) -> (u8, u8, u8) {
    const STOPS: [(f64, f64, f64); 5] = [
        (26.0, 150.0, 65.0),
        (120.0, 190.0, 80.0),
        (235.0, 190.0, 50.0),
        (245.0, 130.0, 60.0),
        (215.0, 48.0, 39.0),
    ];
    if n <= 1 {
        return (26, 150, 65);
    }
    let t = i.min(n - 1) as f64 / (n - 1) as f64 * (STOPS.len() - 1) as f64;
    let k = (t.floor() as usize).min(STOPS.len() - 2);
    let f = t - k as f64;
    let (a, b) = (STOPS[k], STOPS[k + 1]);
    let mix = |p: f64, q: f64| (p + (q - p) * f).round().clamp(0.0, 255.0) as u8;
    (mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The chart name of a peer set's league other than the largest: `league-<level>` for roots,
/// `league-<level>-<parent>` otherwise (file-safe).
pub fn league_chart(level: &str, parent: Option<&str>) -> String {
    match parent {
        Some(p) => format!("league-{}-{}", file_safe(level), file_safe(p)),
        None => format!("league-{}", file_safe(level)),
    }
}

/// File names made unique in order: the second of two equal names gets `-2`, the third `-3` …;
/// a name in `reserved` counts as already taken.
pub fn unique_names<'a>(
    names: impl IntoIterator<Item = &'a str>,
    reserved: &[&str],
) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> =
        reserved.iter().map(|r| (r.to_string(), 1)).collect();
    names
        .into_iter()
        .map(|name| {
            let n = seen.entry(name.to_string()).or_insert(0);
            *n += 1;
            if *n > 1 {
                format!("{name}-{n}")
            } else {
                name.to_string()
            }
        })
        .collect()
}

/// The note of a focused report (README "Focused reports"): whose report it is, how much of the
/// run it shows, and that ranks are the whole run's (`rank` = the unit's rank and peer count).
pub fn focus_note(
    name: &str,
    shown: usize,
    run_units: usize,
    rank: Option<(usize, usize)>,
    lang: Lang,
) -> String {
    let n = |v: usize| number(v as f64, 0, lang);
    let rank = rank.map(|(r, of)| match lang {
        Lang::Vi => format!(" {name} xếp thứ {} trong {} đơn vị cùng cấp.", n(r), n(of)),
        Lang::En => format!(" {name} ranks {} of {} peers.", n(r), n(of)),
    });
    match lang {
        Lang::Vi => format!(
            "Đơn vị: {name} và các đơn vị trực thuộc ({} trong {} đơn vị của lần chấm điểm). \
             Thứ hạng là thứ hạng trong toàn bộ lần chấm điểm, giữa các đơn vị cùng cấp.{}",
            n(shown),
            n(run_units),
            rank.unwrap_or_default()
        ),
        Lang::En => format!(
            "Unit: {name} and its subordinate units ({} of the run's {} units). Ranks are those \
             of the whole run, among the units of the same level.{}",
            n(shown),
            n(run_units),
            rank.unwrap_or_default()
        ),
    }
}

/// A name safe in a file name: kept as is when it holds only `A-Z a-z 0-9 _ . -`, else folded
/// to lower-case ASCII with `-` for everything else (`Xã Y Tý` → `xa-y-ty`).
pub fn file_safe(id: &str) -> String {
    let ok = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    if !id.is_empty() && id.chars().all(ok) && !id.starts_with('.') {
        return id.to_string();
    }
    let mut out = String::new();
    for c in crate::text::fold(id).chars() {
        if ok(c) && c != '.' {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-').to_string();
    if out.is_empty() {
        "x".to_string()
    } else {
        out
    }
}

/// A target as a person reads it: `>= 57.5`, `hoàn thành (done)`, `giảm 50% so với 2025`.
pub fn target(t: &Target, lang: Lang) -> String {
    match t {
        Target::Compare { op, value } => {
            let v = (value * 100.0).round() / 100.0;
            format!("{} {}", op.as_str(), crate::definition::target::fmt_num(v))
        }
        Target::Done => lang.pick("hoàn thành (done)", "done").to_string(),
        Target::Reduce { percent, from } => {
            format!(
                "{} {}% {} {from}",
                lang.pick("giảm", "reduce"),
                crate::definition::target::fmt_num(*percent),
                lang.pick("so với", "from")
            )
        }
        Target::Increase { percent, from } => {
            format!(
                "{} {}% {} {from}",
                lang.pick("tăng", "increase"),
                crate::definition::target::fmt_num(*percent),
                lang.pick("so với", "from")
            )
        }
        Target::Text(text) => format!(
            "\"{text}\" ({})",
            lang.pick("định tính, không chấm", "qualitative, not scored")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_way_offices_write_them() {
        assert_eq!(percent(2400.0 / 193.0, Lang::Vi), "12,44%");
        assert_eq!(percent(2400.0 / 193.0, Lang::En), "12.44%");
        assert_eq!(number(24742.0, 0, Lang::Vi), "24.742");
        assert_eq!(number(24742.0, 0, Lang::En), "24,742");
        assert_eq!(number(823572.0, 0, Lang::Vi), "823.572");
        assert_eq!(number(-25.0, 2, Lang::Vi), "-25,00");
        assert_eq!(number(-0.001, 2, Lang::Vi), "0,00");
        assert_eq!(number(1234567.891, 2, Lang::Vi), "1.234.567,89");
    }

    #[test]
    fn labels_in_both_languages() {
        assert_eq!(status(Status::ChuaDat, Lang::Vi), "Chưa đạt");
        assert_eq!(status(Status::ChuaDat, Lang::En), "Not met");
        assert_eq!(task_status(TaskStatus::QuaHan, Lang::Vi), "Quá hạn");
        assert_eq!(
            forecast(ForecastStatus::CanTangToc, Lang::En),
            "Needs acceleration"
        );
        assert_eq!(reason(Reason::ZeroDenominator, Lang::Vi), "mẫu số bằng 0");
        assert_eq!(status(Status::KhongPhatSinh, Lang::Vi), "Không phát sinh");
        assert_ne!(
            status_rgb(Status::KhongPhatSinh),
            status_rgb(Status::KhongCoDuLieu)
        );
    }

    /// Every value of every enum a person reads has a label in each language, distinct from the
    /// other values' labels (a reader can tell them apart), and a colour distinct within its
    /// table where colour is what tells them apart.
    #[test]
    fn every_value_has_distinct_labels_and_colours() {
        fn distinct<T: PartialEq + std::fmt::Debug>(what: &str, items: &[T]) {
            for (i, a) in items.iter().enumerate() {
                assert!(
                    !items[i + 1..].contains(a),
                    "{what}: {a:?} is given to two values"
                );
            }
        }
        for lang in [Lang::Vi, Lang::En] {
            let s: Vec<_> = Status::ALL.iter().map(|&s| status(s, lang)).collect();
            let t: Vec<_> = TaskStatus::ALL
                .iter()
                .map(|&s| task_status(s, lang))
                .collect();
            let f: Vec<_> = ForecastStatus::ALL
                .iter()
                .map(|&s| forecast(s, lang))
                .collect();
            let r: Vec<_> = Reason::ALL.iter().map(|&r| reason(r, lang)).collect();
            let b: Vec<_> = ReportStatus::ALL
                .iter()
                .map(|&s| report_status(s, lang))
                .collect();
            for labels in [&s, &t, &f, &r, &b] {
                assert!(labels.iter().all(|l| !l.trim().is_empty()));
                distinct("label", labels);
            }
        }
        // English labels are English: no Vietnamese letter left untranslated
        for l in Status::ALL.iter().map(|&s| status(s, Lang::En)) {
            assert!(l.is_ascii(), "{l}");
        }
        for l in TaskStatus::ALL.iter().map(|&s| task_status(s, Lang::En)) {
            assert!(l.is_ascii(), "{l}");
        }
        distinct("status colour", &Status::ALL.map(status_rgb));
        distinct("task colour", &TaskStatus::ALL.map(task_rgb));
        distinct("report colour", &ReportStatus::ALL.map(report_status_rgb));
        for l in ReportStatus::ALL
            .iter()
            .map(|&s| report_status(s, Lang::En))
        {
            assert!(l.is_ascii(), "{l}");
        }
        // SPEC §7.2: dat green, gan_dat amber, chua_dat red, no data grey, not scored light blue
        assert_eq!(status_rgb(Status::Dat), (46, 139, 87));
        assert_eq!(status_rgb(Status::KhongCoDuLieu), (160, 160, 160));
        assert_eq!(
            forecast_rgb(ForecastStatus::DungLoTrinh),
            status_rgb(Status::Dat)
        );
    }

    #[test]
    fn file_names() {
        let cases = [
            ("xa-bat-xat", "xa-bat-xat"),
            ("XA_1.2", "XA_1.2"),
            ("Xã Y Tý", "xa-y-ty"),
            ("../etc", "etc"),
            ("", "x"),
        ];
        for (id, expected) in cases {
            assert_eq!(file_safe(id), expected, "{id}");
        }
    }

    #[test]
    fn grade_colours_run_from_green_to_red() {
        assert_eq!(band_rgb(0, 5), (26, 150, 65));
        assert_eq!(band_rgb(4, 5), (215, 48, 39));
        assert_eq!(band_rgb(0, 1), (26, 150, 65));
        assert_eq!(band_rgb(1, 2), (215, 48, 39));
    }
}
