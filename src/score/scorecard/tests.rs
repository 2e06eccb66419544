//! Tests of `scorecard`.

use super::*;

const CATALOGUE: &str = r#"
id = "bang-diem"
title = "Bảng điểm"
[rounding]
points = 2
[[group]]
id = "hl"
name = "Mức độ hài lòng"
"#;
const INDICATORS: &str = r#"
[[indicator]]
id = "dung-han"
name = "Tỷ lệ phản ánh xử lý đúng hạn"
group = "hl"
unit = "%"
direction = "higher"
points = 6
zero_denominator = "full"
[indicator.targets]
2025 = ">= 100"

[[indicator]]
id = "hai-long"
name = "Tỷ lệ hài lòng"
group = "hl"
unit = "%"
direction = "higher"
points = 4
zero_denominator = "zero"
[indicator.targets]
2025 = ">= 90"

[[indicator]]
id = "phan-loai"
name = "Tỷ lệ phản ánh về thủ tục"
group = "hl"
unit = "%"
direction = "higher"
points = 0
"#;

fn units() -> &'static str {
    "id,name,parent,level\ntinh,Tỉnh,,tinh\na,Xã A,tinh,xa\nb,Xã B,tinh,xa\nc,Xã C,tinh,xa\n"
}

#[test]
fn official_rules_and_change_since_the_previous_year() {
    // 2025: A 1/48 on time (6 × 1/48 = 0.125 → 0.12) and 45/50 satisfied (90 %: 4);
    // B 0/0 petitions (full 6) and 0/0 dossiers (0 points, kept); C 3/4 and 40/50.
    // 2026: A 2/2 and 45/50 → 10; B 1/2 and 45/50 → 7; C no rows.
    let reported = "unit,period,indicator,numerator,denominator\n\
            a,2025,dung-han,1,48\n\
            a,2025,hai-long,45,50\n\
            a,2025,phan-loai,3,4\n\
            b,2025,dung-han,0,0\n\
            b,2025,hai-long,0,0\n\
            c,2025,dung-han,3,4\n\
            c,2025,hai-long,40,50\n\
            a,2026,dung-han,2,2\n\
            a,2026,hai-long,45,50\n\
            b,2026,dung-han,1,2\n\
            b,2026,hai-long,45,50\n";
    let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let (card, _, _) = score_texts(
        &[
            ("catalogue.toml", CATALOGUE),
            ("indicators.toml", INDICATORS),
        ],
        &[("units.csv", units()), ("reported.csv", reported)],
        date,
    );
    let unit = |id: &str| {
        card.units
            .iter()
            .find(|u| u.id == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let ind = |u: &str, i: &str| {
        unit(u)
            .indicators
            .iter()
            .find(|x| x.id == i)
            .unwrap_or_else(|| panic!("{i}"))
            .clone()
    };
    // 2026: A 6 + 4 = 10 of 10; B 3 + 4 = 7 (1/2 → 3 points, 1 more petition on time)
    assert_eq!(unit("a").score, Some(100.0));
    assert_eq!(ind("b", "dung-han").earned, Some(3.0));
    assert_eq!(ind("b", "dung-han").points_lost, Some(3.0));
    assert_eq!(ind("b", "dung-han").needed, Some(1));
    assert_eq!(unit("b").score, Some(70.0));
    // tracked: shown, never in Σ max (the group's max is 10, not 10 + 0 with coverage)
    assert_eq!(ind("a", "phan-loai").points, 0.0);
    assert_eq!(unit("a").groups[0].max, 10.0);
    // 2025, by hand: A 0.12 + 4 = 4.12 → 41.2 (rank 3); B 6 + 0 = 6 → 60 (rank 2);
    // C 4.5 + 3.56 (40/50 = 80 % of a 90 % target: 4 × 0.888… = 3.56) = 8.06 → 80.6 (rank 1)
    // now A 100 (rank 1), B 70 (rank 2), C no data (no score change)
    let (a, b, c) = (unit("a"), unit("b"), unit("c"));
    assert_eq!((a.score_change, a.rank_change), (Some(58.8), Some(2)));
    assert_eq!((b.score_change, b.rank_change), (Some(10.0), Some(0)));
    assert_eq!(b.groups[0].earned_change, Some(1.0));
    assert_eq!(a.groups[0].earned_change, Some(5.88));
    // C has no rows in 2026: 0 of 10 under missing = "zero", and last year's 80.6
    assert_eq!(c.score, Some(0.0));
    assert_eq!(c.score_change, Some(-80.6));
    assert_eq!(c.rank_change, Some(-2));
}

#[test]
fn tasks_are_listed_most_urgent_first() {
    let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let (mut card, _, _) = score_texts(
        &[
            ("catalogue.toml", CATALOGUE),
            ("indicators.toml", INDICATORS),
        ],
        &[("units.csv", units())],
        date,
    );
    let day = |m: u32, d: u32| NaiveDate::from_ymd_opt(2026, m, d);
    let line = |task: &str, status: TaskStatus, due: Option<NaiveDate>| TaskLine {
        task: task.to_string(),
        unit: "a".to_string(),
        status,
        due,
        completed_on: None,
    };
    card.tasks = vec![
        line("done", TaskStatus::HoanThanhDungHan, day(3, 31)),
        line("open", TaskStatus::TrongHan, day(12, 31)),
        line("late-june", TaskStatus::QuaHan, day(6, 30)),
        line("missing-undated", TaskStatus::ChuaBaoCao, None),
        line("late-march", TaskStatus::QuaHan, day(3, 31)),
        line("recurring", TaskStatus::ThuongXuyen, None),
    ];
    let order: Vec<&str> = card
        .tasks_by_urgency()
        .iter()
        .map(|l| l.task.as_str())
        .collect();
    // overdue by oldest due date, undated overdue last among them; then open tasks in the
    // scorecard's order; done last
    assert_eq!(
        order,
        [
            "late-march",
            "late-june",
            "missing-undated",
            "open",
            "recurring",
            "done"
        ]
    );
}

#[test]
fn zero_denominators_by_rule() {
    let reported = "unit,period,indicator,numerator,denominator\n\
            a,2026,dung-han,0,0\n\
            a,2026,hai-long,0,0\n";
    let date = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let exclude = CATALOGUE.replace(
        "title = \"Bảng điểm\"",
        "title = \"Bảng điểm\"\nmissing = \"exclude\"",
    );
    let (card, _, _) = score_texts(
        &[
            ("catalogue.toml", &exclude),
            ("indicators.toml", INDICATORS),
        ],
        &[("units.csv", units()), ("reported.csv", reported)],
        date,
    );
    let a = &card.units[1];
    let status: Vec<(Status, Option<f64>)> =
        a.indicators.iter().map(|i| (i.status, i.earned)).collect();
    assert_eq!(
        status,
        [
            (Status::KhongPhatSinh, Some(6.0)),
            (Status::KhongCoDuLieu, Some(0.0)),
            (Status::KhongCham, None),
        ]
    );
    // "zero" stays in Σ max under exclude: 6 of 10
    assert_eq!(a.score, Some(60.0));
    assert_eq!(a.coverage, Some(0.5));
}

/// The order every renderer lists reports in: missing (most days first), late (most days
/// first), not yet due, on time.
#[test]
fn reports_by_urgency_puts_missing_then_late_first() {
    let (card, _, _) = score_texts(
        &[
            ("catalogue.toml", "id = \"t\"\ntitle = \"t\"\n"),
            (
                "r.toml",
                "[[report]]\nid = \"bc\"\nname = \"B\"\nfrom = { levels = [\"xa\"] }\n\
                     carries = []\ndue = \"trước ngày 10 hàng tháng\"\n",
            ),
        ],
        &[
            ("units.csv", "id,name,parent,level\na,A,,xa\nb,B,,xa\n"),
            (
                "submissions.csv",
                "unit,report,period,submitted_on\n\
                     a,bc,2026-01,2026-02-01\na,bc,2026-02,2026-03-20\na,bc,2026-03,2026-04-12\n\
                     b,bc,2026-02,2026-03-01\n",
            ),
        ],
        NaiveDate::from_ymd_opt(2026, 4, 20).unwrap_or_default(),
    );
    // the year 2026 at 20/4: January to March are due (10/2, 10/3, 10/4), April to December
    // are not; A: Jan on time, Feb late 10, Mar late 2; B: Jan missing 69 days, Feb on time,
    // Mar missing 10 days
    let order: Vec<(&str, String, ReportStatus, Option<i64>)> = card
        .reports_by_urgency()
        .into_iter()
        .filter(|l| l.status != ReportStatus::ChuaDenHan)
        .map(|l| (l.unit.as_str(), l.period.to_string(), l.status, l.days_late))
        .collect();
    use ReportStatus::*;
    assert_eq!(
        order,
        [
            ("b", "2026-01".to_string(), ChuaNop, Some(69)),
            ("b", "2026-03".to_string(), ChuaNop, Some(10)),
            ("a", "2026-02".to_string(), TreHan, Some(10)),
            ("a", "2026-03".to_string(), TreHan, Some(2)),
            ("a", "2026-01".to_string(), DungHan, None),
            ("b", "2026-02".to_string(), DungHan, None),
        ]
    );
    // not yet due sit between late and on time
    let statuses: Vec<ReportStatus> = card.reports_by_urgency().iter().map(|l| l.status).collect();
    let first_not_due = statuses.iter().position(|s| *s == ChuaDenHan);
    let first_on_time = statuses.iter().position(|s| *s == DungHan);
    assert!(first_not_due < first_on_time && first_not_due > Some(3));
    // B before A in the units list of the report section: more missing
    let units: Vec<&str> = card
        .report_counts_by_unit()
        .iter()
        .map(|(u, _)| u.id.as_str())
        .collect();
    assert_eq!(units, ["b", "a"]);
}
