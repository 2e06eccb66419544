//! The section "Đối chiếu với số liệu công bố" (SPEC §11, only when the data has published.csv):
//! how many of chitieu's figures match the portal's, every difference with both figures and the
//! counts behind chitieu's, then the portal's own inconsistencies.

use super::*;
use crate::report::reconciliation::{inconsistency_counts, tallies};
use crate::score::reconcile::{Inconsistency, Item};

impl Page<'_> {
    pub(super) fn reconciliation_section(&mut self) {
        let Some(r) = &self.card.reconciliation else {
            return;
        };
        let lang = self.lang;
        let names = self.card.unit_names();
        let mut s = format!(
            "<section id=\"reconciliation\">\n<h2>{}</h2>\n<p>{}",
            self.l(
                "Đối chiếu với số liệu công bố",
                "Reconciliation with the published figures"
            ),
            escape(&tallies(r, lang))
        );
        if r.not_compared > 0 {
            s += &format!(
                "; {} {}",
                labels::number(r.not_compared as f64, 0, lang),
                self.l(
                    "số công bố không đối chiếu được (không có số liệu đếm, hoặc thứ hạng trong \
                     tập đơn vị khác)",
                    "published figures not comparable (no counts, or a rank among other units)"
                )
            );
        }
        s += ".</p>\n";
        if r.differences.is_empty() {
            s += &format!(
                "<p class=\"note\">{}</p>\n",
                self.l(
                    "Mọi số đối chiếu được đều khớp với số Cổng công bố, đến từng phần trăm điểm.",
                    "Every figure that could be compared matches the portal's, to the cent."
                )
            );
        } else {
            s += &format!(
                "<div class=\"scroll\"><table class=\"tasks\">\n<thead><tr><th>{}</th><th>{}</th>\
                 <th class=\"num\">chitieu</th><th class=\"num\">{}</th><th class=\"num\">{}</th>\
                 <th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                self.l("Đơn vị", "Unit"),
                self.l("Mục", "Item"),
                self.l("Cổng công bố", "Published"),
                self.l("Chênh lệch", "Difference"),
                self.l("Tử số / mẫu số", "Numerator / denominator"),
                self.l("Nguồn", "Source"),
            );
            for d in &r.differences {
                let item = match d.item {
                    Item::Indicator | Item::Group => d.id.clone(),
                    Item::Total => self.l("tổng điểm", "total").to_string(),
                    Item::Rank => self.l("thứ hạng", "rank").to_string(),
                };
                let decimals = if d.item == Item::Rank { 0 } else { 2 };
                let fig = |x: Option<f64>| {
                    x.map(|x| labels::number(x, decimals, lang))
                        .unwrap_or_else(|| "—".into())
                };
                let counts = match (d.numerator, d.denominator) {
                    (Some(n), Some(den)) => format!(
                        "{}/{}",
                        labels::number(n, 0, lang),
                        labels::number(den, 0, lang)
                    ),
                    _ => String::new(),
                };
                s += &format!(
                    "<tr class=\"overdue\"><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                     <td>{} ({} {}, published.csv {} {})</td></tr>\n",
                    escape(names.get(d.unit.as_str()).copied().unwrap_or(&d.unit)),
                    escape(&item),
                    fig(d.ours),
                    fig(Some(d.published)),
                    fig(d.ours.map(|o| o - d.published)),
                    counts,
                    escape(&d.source),
                    self.l("ngày", "day"),
                    d.as_of.format("%Y-%m-%d"),
                    self.l("dòng", "row"),
                    d.row
                );
            }
            s += "</tbody></table></div>\n";
        }
        if !r.inconsistencies.is_empty() {
            s += &format!(
                "<h3>{}</h3>\n<p>{}.</p>\n<div class=\"scroll\"><table class=\"tasks\">\n\
                 <thead><tr><th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th>\
                 <th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                self.l(
                    "Số liệu Cổng tự mâu thuẫn",
                    "The portal's figures disagree with themselves"
                ),
                escape(&inconsistency_counts(r, lang)),
                self.l("Ngày", "Day"),
                self.l("Đơn vị", "Unit"),
                self.l("Mục", "Item"),
                self.l("Công bố", "Published"),
                self.l("Tổng các nhóm / tối đa", "Sum of groups / maximum"),
                self.l("Nguồn", "Source"),
            );
            for p in &r.inconsistencies {
                let item = match p.kind {
                    Inconsistency::TotalNotSumOfGroups => self
                        .l("tổng điểm ≠ tổng các nhóm", "total ≠ sum of groups")
                        .to_string(),
                    Inconsistency::GroupAboveMax => format!(
                        "{} {}",
                        p.id,
                        self.l("vượt điểm tối đa", "above its maximum")
                    ),
                };
                s += &format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td>\
                     <td class=\"num\">{}</td><td>{} (published.csv {} {})</td></tr>\n",
                    p.as_of.format("%Y-%m-%d"),
                    escape(names.get(p.unit.as_str()).copied().unwrap_or(&p.unit)),
                    escape(&item),
                    labels::number(p.published, 2, lang),
                    labels::number(p.expected, 2, lang),
                    escape(&p.source),
                    self.l("dòng", "row"),
                    p.row
                );
            }
            s += "</tbody></table></div>\n";
        }
        s += "</section>\n";
        self.out += &s;
    }
}
