//! The reconciliation with the scoreboard's published figures (SPEC §11) in words: the summary
//! that `chitieu score` prints and the report's section opens with, each difference and each of
//! the portal's own inconsistencies on one line. Only formats.

use crate::labels::number;
use crate::project::Lang;
use crate::score::reconcile::{
    Difference, Inconsistency, Item, PortalInconsistency, Reconciliation,
};

/// How many differences and inconsistencies the printed summary lists (the report lists all).
pub const SHOWN: usize = 5;

/// The name of a kind of figure, plural.
fn items(item: Item, lang: Lang) -> &'static str {
    match item {
        Item::Indicator => lang.pick("điểm chỉ số", "sub-indicator points"),
        Item::Group => lang.pick("nhóm", "groups"),
        Item::Total => lang.pick("tổng điểm", "totals"),
        Item::Rank => lang.pick("thứ hạng", "ranks"),
    }
}

/// `khớp 1.953/1.956 điểm chỉ số, 980/984 nhóm` (kinds with nothing compared left out).
pub fn tallies(r: &Reconciliation, lang: Lang) -> String {
    let parts: Vec<String> = [
        (Item::Indicator, r.indicators),
        (Item::Group, r.groups),
        (Item::Total, r.totals),
        (Item::Rank, r.ranks),
    ]
    .iter()
    .filter(|(_, t)| t.compared > 0)
    .map(|(item, t)| {
        format!(
            "{}/{} {}",
            number(t.matched as f64, 0, lang),
            number(t.compared as f64, 0, lang),
            items(*item, lang)
        )
    })
    .collect();
    if parts.is_empty() {
        lang.pick(
            "không có số liệu đếm để đối chiếu",
            "no counts to reconcile",
        )
        .to_string()
    } else {
        format!("{} {}", lang.pick("khớp", "matched"), parts.join(", "))
    }
}

/// A figure as the reader sees it: points with 2 decimals, a rank whole.
fn figure(item: Item, x: Option<f64>, lang: Lang) -> String {
    match x {
        None => "—".into(),
        Some(x) if item == Item::Rank => number(x, 0, lang),
        Some(x) => number(x, 2, lang),
    }
}

/// What a difference is of: `H44.19 so-hoa-giay-to-giai-quyet`, `H44 tổng điểm`.
pub fn what(d: &Difference, lang: Lang) -> String {
    match d.item {
        Item::Indicator | Item::Group => format!("{} {}", d.unit, d.id),
        Item::Total => format!("{} {}", d.unit, lang.pick("tổng điểm", "total")),
        Item::Rank => format!("{} {}", d.unit, lang.pick("thứ hạng", "rank")),
    }
}

/// One difference on one line, located.
pub fn difference_line(d: &Difference, lang: Lang) -> String {
    let counts = match (d.numerator, d.denominator) {
        (Some(n), Some(den)) => format!("{}/{}; ", number(n, 0, lang), number(den, 0, lang)),
        _ => String::new(),
    };
    format!(
        "{}: chitieu {}, {} {} ({counts}published.csv {} {}, {})",
        what(d, lang),
        figure(d.item, d.ours, lang),
        lang.pick("Cổng", "portal"),
        figure(d.item, Some(d.published), lang),
        lang.pick("dòng", "row"),
        d.row,
        d.source
    )
}

/// One of the portal's inconsistencies on one line, located.
pub fn inconsistency_line(p: &PortalInconsistency, lang: Lang) -> String {
    let what = match p.kind {
        Inconsistency::TotalNotSumOfGroups => format!(
            "{} {}: {} {}, {} {}",
            p.unit,
            p.as_of.format("%Y-%m-%d"),
            lang.pick("tổng điểm công bố", "published total"),
            number(p.published, 2, lang),
            lang.pick("tổng các nhóm", "sum of the groups"),
            number(p.expected, 2, lang)
        ),
        Inconsistency::GroupAboveMax => format!(
            "{} {} {}: {} {}, {} {}",
            p.unit,
            p.as_of.format("%Y-%m-%d"),
            p.id,
            lang.pick("nhóm công bố", "published group"),
            number(p.published, 2, lang),
            lang.pick("tối đa", "maximum"),
            number(p.expected, 2, lang)
        ),
    };
    format!(
        "{what} (published.csv {} {}, {})",
        lang.pick("dòng", "row"),
        p.row,
        p.source
    )
}

/// The portal's inconsistencies counted: `96 tổng điểm khác tổng các nhóm, 1 nhóm vượt điểm tối đa`.
pub fn inconsistency_counts(r: &Reconciliation, lang: Lang) -> String {
    let n = |k: Inconsistency| r.inconsistencies.iter().filter(|p| p.kind == k).count();
    let mut parts = Vec::new();
    let totals = n(Inconsistency::TotalNotSumOfGroups);
    if totals > 0 {
        parts.push(format!(
            "{} {}",
            number(totals as f64, 0, lang),
            lang.pick(
                "tổng điểm khác tổng các nhóm",
                "totals unequal to their groups' sum"
            )
        ));
    }
    let above = n(Inconsistency::GroupAboveMax);
    if above > 0 {
        parts.push(format!(
            "{} {}",
            number(above as f64, 0, lang),
            lang.pick("nhóm vượt điểm tối đa", "groups above their maximum")
        ));
    }
    parts.join(", ")
}

/// What `chitieu score` prints: the tallies, then the first differences and the portal's first
/// inconsistencies.
pub fn summary(r: &Reconciliation, lang: Lang) -> String {
    let mut s = format!(
        "\n{}: {}",
        lang.pick("Đối chiếu với Cổng", "Reconciled with the portal"),
        tallies(r, lang)
    );
    if r.not_compared > 0 {
        s += &format!(
            "; {} {}",
            number(r.not_compared as f64, 0, lang),
            lang.pick(
                "số công bố không đối chiếu được (không có số liệu đếm, hoặc thứ hạng trong tập đơn vị khác)",
                "published figures not comparable (no counts, or a rank among other units)"
            )
        );
    }
    s += "\n";
    if !r.differences.is_empty() {
        s += &format!(
            "  {} {}:\n",
            number(r.differences.len() as f64, 0, lang),
            lang.pick("số khác", "differences")
        );
        for d in r.differences.iter().take(SHOWN) {
            s += &format!("    {}\n", difference_line(d, lang));
        }
        if r.differences.len() > SHOWN {
            s += &format!(
                "    … {} {}\n",
                number((r.differences.len() - SHOWN) as f64, 0, lang),
                lang.pick(
                    "số khác nữa (report.html, scorecard.xlsx)",
                    "more (report.html, scorecard.xlsx)"
                )
            );
        }
    }
    if !r.inconsistencies.is_empty() {
        s += &format!(
            "  {}: {}\n",
            lang.pick(
                "Số liệu Cổng tự mâu thuẫn",
                "The portal's figures disagree with themselves"
            ),
            inconsistency_counts(r, lang)
        );
        for p in r.inconsistencies.iter().take(SHOWN) {
            s += &format!("    {}\n", inconsistency_line(p, lang));
        }
        if r.inconsistencies.len() > SHOWN {
            s += &format!(
                "    … {} {}\n",
                number((r.inconsistencies.len() - SHOWN) as f64, 0, lang),
                lang.pick("nữa", "more")
            );
        }
    }
    s
}
