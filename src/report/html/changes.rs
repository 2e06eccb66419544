//! The page's first screen under monitoring over time (SPEC §10.2, §10.3), when the run keeps a
//! history: what changed since the previous snapshot — units up and down, the alerts that fired,
//! the top unit's groups over the snapshots — and, in each unit's section, its total and rank
//! over the snapshots as a small chart. Formats the scorecard's monitoring; computes nothing.

use super::*;
use crate::definition::alert::Severity;
use crate::history::digest::{alert_line, severity_label, signed};

/// Alerts listed on the page; the rest are in alerts.csv and the workbook.
const LISTED: usize = 30;

fn severity_rgb(s: Severity) -> (u8, u8, u8) {
    match s {
        Severity::Do => (180, 35, 24),
        Severity::Vang => (220, 160, 0),
        Severity::ThongTin => (95, 107, 122),
    }
}

impl<'a> Page<'a> {
    pub(super) fn changes(&mut self) {
        let Some(h) = self.card.history.as_ref() else {
            return;
        };
        let mut s = format!(
            "<section id=\"changes\">\n<h2>{}</h2>\n",
            self.l(
                "Diễn biến so với lần chấm trước",
                "Change since the previous snapshot"
            )
        );
        match h.previous_as_of {
            None => {
                s += &format!(
                    "<p class=\"note\">{}</p>\n",
                    self.l(
                        "Đây là lần chấm đầu tiên của kỳ này trong lịch sử: chưa có gì để so sánh.",
                        "This is the first snapshot of this period in the history: nothing to compare with yet."
                    )
                );
            }
            Some(d) => {
                let gap = h.days.filter(|n| *n > 1).map(|n| {
                    format!(
                        " ({} {n} {})",
                        self.l("cách", "a gap of"),
                        self.l("ngày", "days")
                    )
                });
                s += &format!(
                    "<p>{} {}{} · {} {}</p>\n",
                    self.l("So với lần chấm ngày", "Compared with the snapshot of"),
                    self.date(d),
                    gap.unwrap_or_default(),
                    self.count(h.snapshots),
                    self.l(
                        "lần chấm trong lịch sử của kỳ",
                        "snapshots of this period in the history"
                    )
                );
                let changes: Vec<f64> = self
                    .card
                    .units
                    .iter()
                    .filter_map(|u| u.since_previous.as_ref()?.change)
                    .collect();
                let up = changes.iter().filter(|c| **c > 0.0).count();
                let down = changes.iter().filter(|c| **c < 0.0).count();
                let alerts = self.card.alerts.as_deref().unwrap_or_default();
                let red = alerts.iter().filter(|a| a.severity == Severity::Do).count();
                s += "<div class=\"kpis\">\n";
                s += &format!(
                    "<div class=\"kpi\"><b>▲ {}</b>{}</div>\n",
                    self.count(up),
                    self.l("đơn vị tăng điểm", "units up")
                );
                s += &format!(
                    "<div class=\"kpi{}\"><b>▼ {}</b>{}</div>\n",
                    if down > 0 { " alert" } else { "" },
                    self.count(down),
                    self.l("đơn vị giảm điểm", "units down")
                );
                s += &format!(
                    "<div class=\"kpi{}\"><b>{}</b>{}</div>\n</div>\n",
                    if red > 0 { " alert" } else { "" },
                    self.count(alerts.len()),
                    self.l("cảnh báo", "alerts")
                );
                for u in self.roots() {
                    let Some(c) = u.since_previous.as_ref() else {
                        continue;
                    };
                    let change = match (c.change, c.reason.as_deref()) {
                        (Some(x), _) => signed(x, self.lang),
                        (None, Some(_)) => self
                            .l(
                                "định nghĩa đã thay đổi: không so sánh",
                                "definition changed: not compared",
                            )
                            .to_string(),
                        _ => "—".into(),
                    };
                    s += &format!(
                        "<p><b>{}</b>: {} {} ({change})</p>\n",
                        escape(&u.name),
                        u.score
                            .map_or("—".into(), |x| labels::number(x, 2, self.lang)),
                        self.l("điểm", "points"),
                    );
                }
            }
        }
        let alerts = self.card.alerts.as_deref().unwrap_or_default();
        if !alerts.is_empty() {
            s += &format!(
                "<h3>{}</h3>\n<ul class=\"alerts\">\n",
                self.l("Cảnh báo", "Alerts")
            );
            for a in alerts.iter().take(LISTED) {
                let (r, g, b) = severity_rgb(a.severity);
                s += &format!(
                    "<li><span class=\"badge\" style=\"background:rgb({r},{g},{b});color:#fff\">{}</span> <b>{}</b>: {}</li>\n",
                    severity_label(a.severity, self.lang),
                    escape(&a.name),
                    escape(&alert_line(a, self.lang))
                );
            }
            s += "</ul>\n";
            if alerts.len() > LISTED {
                s += &format!(
                    "<p class=\"note\">{} {} {}</p>\n",
                    self.l("và", "and"),
                    self.count(alerts.len() - LISTED),
                    self.l(
                        "cảnh báo khác: xem alerts.csv và trang “Cảnh báo” của scorecard.xlsx",
                        "more alerts: see alerts.csv and the “Alerts” sheet of scorecard.xlsx"
                    )
                );
            }
        }
        if let Some(i) = self.take(|c| c.name == "monitor-groups") {
            s += &self.figure(i, self.l("Diễn biến các nhóm", "Groups over time"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    /// A unit's total and rank over the snapshots, inline (empty without two snapshots).
    pub(super) fn unit_trend(&self, u: &UnitCard) -> String {
        let Some(h) = self.card.history.as_ref() else {
            return String::new();
        };
        let Some(svg) = crate::chart::monitor::sparkline(&u.id, &h.trend, self.lang) else {
            return String::new();
        };
        let Some(svg) = super::charts::inline_svg(&svg) else {
            return String::new();
        };
        let change = u
            .since_previous
            .as_ref()
            .and_then(|c| c.change)
            .map(|c| {
                format!(
                    " · {} {}",
                    self.l("so với lần trước", "since the previous snapshot"),
                    signed(c, self.lang)
                )
            })
            .unwrap_or_default();
        format!(
            "<figure class=\"chart spark\" style=\"max-width:320px;margin:.4rem 0\">{svg}<figcaption>{}{change}</figcaption></figure>\n",
            self.l("Tổng điểm và hạng qua các lần chấm", "Total and rank over the snapshots")
        )
    }
}
