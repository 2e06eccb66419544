//! The workbook's sheets of monitoring over time (SPEC §10.2, §10.3), written only when the run
//! keeps a history: "Diễn biến" / "Changes" — per unit, its total and groups now, their change
//! since the previous snapshot (and since `--since`), rank change and streak — and "Cảnh báo" /
//! "Alerts" — every alert that fired. Formats results; computes nothing. No cell has a fill:
//! the two sheets are made on a thread of their own with the formats numbered beforehand
//! (`sheet::plain_formats`).

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::xlsx::{number, optional_text, text, Kind, Sheet, Table};
use crate::definition::Catalogue;
use crate::project::Lang;
use crate::score::scorecard::Scorecard;

/// The reason of a change that is not a number, as a reader reads it.
fn reason(code: &str, lang: Lang) -> &str {
    match code {
        "dinh_nghia_thay_doi" => lang.pick(
            "Định nghĩa đã thay đổi: không so sánh",
            "Definition changed: not compared",
        ),
        other => other,
    }
}

/// One row per (unit, total or group).
pub(super) fn changes(
    card: &Scorecard,
    c: &Catalogue,
    lang: Lang,
    detail: super::xlsx::Detail,
    ws: Worksheet,
) -> Result<Worksheet, XlsxError> {
    let l = |vi, en| lang.pick(vi, en);
    let since = card.history.as_ref().and_then(|h| h.since_as_of);
    let mut t = Table::new(l("Diễn biến", "Changes"), 2);
    t.column(l("Mã đơn vị", "Unit ID"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Cấp", "Level"), Kind::Text);
    t.column(l("Mục", "Item"), Kind::Text);
    t.column(l("Điểm", "Points"), Kind::Score);
    t.column(
        l("Thay đổi so với lần trước", "Change since previous"),
        Kind::Score,
    );
    t.column(l("Hạng", "Rank"), Kind::Integer);
    t.column(
        l("Thay đổi hạng (+ lên)", "Rank change (+ up)"),
        Kind::Integer,
    );
    t.column(l("Số lần giảm liên tiếp", "Falls in a row"), Kind::Integer);
    t.column(l("Ghi chú", "Note"), Kind::Text);
    if let Some(d) = since {
        t.column(
            format!(
                "{} {}",
                l("Thay đổi so với", "Change since"),
                d.format("%Y-%m-%d")
            ),
            Kind::Score,
        );
    }
    let mut sheet = Sheet::new(ws, t, lang)?;
    // a run shown as pages: every unit's total, the groups of the top-level units only
    let top = card.top_units();
    let grouped = |u: &crate::score::scorecard::UnitCard| match detail {
        super::xlsx::Detail::All => true,
        super::xlsx::Detail::TopUnits => top.iter().any(|t| t.id == u.id),
    };
    if detail == super::xlsx::Detail::TopUnits {
        sheet.note = Some(
            l(
                "Điểm theo nhóm chỉ của các đơn vị cấp trên cùng; của mọi đơn vị: \
                 scorecard.json (since_previous của từng nhóm) và trang report/<đơn vị>.html.",
                "Group rows for the top-level units only; every unit's: scorecard.json (each \
                 group's since_previous) and the pages report/<unit>.html.",
            )
            .to_string(),
        );
    }
    let total = l("Tổng điểm", "Total");
    for u in &card.units {
        let prev = u.since_previous.as_ref();
        let mut row = vec![
            text(&u.id),
            text(&u.name),
            text(&u.level),
            text(total),
            number(u.score),
            number(prev.and_then(|p| p.change)),
            number(u.rank.map(|r| r as f64)),
            number(prev.and_then(|p| p.rank_change).map(|r| r as f64)),
            number(prev.and_then(|p| p.streak).map(f64::from)),
            optional_text(
                prev.and_then(|p| p.reason.as_deref())
                    .map(|r| reason(r, lang)),
            ),
        ];
        if since.is_some() {
            row.push(number(u.since.as_ref().and_then(|s| s.change)));
        }
        let cells: Vec<_> = row.into_iter().map(|c| (c, None)).collect();
        sheet.row(&cells)?;
        if !grouped(u) {
            continue;
        }
        for g in &u.groups {
            let prev = g.since_previous.as_ref();
            let name = c
                .groups
                .iter()
                .find(|x| x.id == g.id)
                .map_or(g.id.as_str(), |x| x.name.as_str());
            let mut row = vec![
                text(&u.id),
                text(&u.name),
                text(&u.level),
                text(name),
                number(Some(g.earned)),
                number(prev.and_then(|p| p.change)),
                number(None),
                number(None),
                number(prev.and_then(|p| p.streak).map(f64::from)),
                optional_text(
                    prev.and_then(|p| p.reason.as_deref())
                        .map(|r| reason(r, lang)),
                ),
            ];
            if since.is_some() {
                row.push(number(None));
            }
            let cells: Vec<_> = row.into_iter().map(|c| (c, None)).collect();
            sheet.row(&cells)?;
        }
    }
    sheet.finish()
}

/// One row per alert that fired, red first.
pub(super) fn alerts(card: &Scorecard, lang: Lang, ws: Worksheet) -> Result<Worksheet, XlsxError> {
    let l = |vi, en| lang.pick(vi, en);
    let mut t = Table::new(l("Cảnh báo", "Alerts"), 2);
    t.column(l("Mức", "Severity"), Kind::Text);
    t.column(l("Cảnh báo", "Alert"), Kind::Text);
    t.column(l("Đơn vị", "Unit"), Kind::Text);
    t.column(l("Mục", "Item"), Kind::Text);
    t.column(l("Trước", "Before"), Kind::Score);
    t.column(l("Sau", "After"), Kind::Score);
    t.column(l("Thay đổi", "Change"), Kind::Score);
    t.column(l("Đóng góp nhiều nhất", "Contributed most"), Kind::Text);
    let mut sheet = Sheet::new(ws, t, lang)?;
    for a in card.alerts.iter().flatten() {
        let item = if a.item == "total" {
            l("Tổng điểm", "Total").to_string()
        } else {
            a.item_name.clone()
        };
        let contributors: Vec<String> = a
            .contributors
            .iter()
            .map(|c| format!("{} {:+.2}", c.name, c.change))
            .collect();
        let contributors = contributors.join("; ");
        let row = [
            text(crate::history::digest::severity_label(a.severity, lang)),
            text(&a.name),
            text(&a.unit_name),
            text(&item),
            number(a.before),
            number(a.after),
            number(a.change),
            text(&contributors),
        ];
        let cells: Vec<_> = row.into_iter().map(|c| (c, None)).collect();
        sheet.row(&cells)?;
    }
    sheet.finish()
}
