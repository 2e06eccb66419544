//! The head of the page (style sheet included) and section 1: the headline — facts, grade
//! distribution, statuses, forecasts — and the table of contents.

use super::*;

pub(super) const CSS: &str = r#"
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d5dbe3; --soft: #f3f5f8; --accent: #1d4f91; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1240px; padding: 1.5rem; color: var(--ink); background: #fff;
  font: 15px/1.45 "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", Arial, sans-serif; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; color: var(--accent); }
h2 { font-size: 1.3rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem; border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
a { color: var(--accent); }
.muted, .meta { color: var(--muted); }
dl.facts { display: flex; flex-wrap: wrap; gap: .3rem 1.6rem; margin: .6rem 0; }
dl.facts div { display: flex; gap: .4rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; font-weight: 600; }
.kpis { display: flex; flex-wrap: wrap; gap: .8rem; margin: 1rem 0; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; min-width: 10rem; background: var(--soft); }
.kpi b { display: block; font-size: 1.6rem; }
.kpi.alert b { color: #b42318; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); }
tbody tr:nth-child(even) { background: #fafbfc; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.code, td.target { white-space: nowrap; }
table.tasks td:nth-child(3) { min-width: 9rem; }
table.tasks td:nth-child(4) { min-width: 8rem; }
tr.overdue { background: #fdecea !important; }
.scroll { overflow-x: auto; }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 4px; font-size: .85rem; white-space: nowrap; }
.note { color: var(--muted); font-size: .85rem; }
ul.losses { margin: .4rem 0 .6rem; padding-left: 1.2rem; font-weight: 600; }
nav.toc { border: 1px solid var(--line); background: var(--soft); padding: .6rem 1rem; margin: 1rem 0; }
nav.toc ol { margin: .3rem 0; }
nav.toc ol.units { columns: 3 16rem; font-size: .9rem; }
nav.toc li.d1 { margin-left: 1em; } nav.toc li.d2 { margin-left: 2em; } nav.toc li.d3 { margin-left: 3em; }
section.unit { border-top: 1px solid var(--line); margin-top: 1.6rem; }
figure.chart { margin: 1rem 0; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .9rem; margin-top: .3rem; }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav.toc, .top { display: none; }
  thead { display: table-header-group; }
  tr, figure, .kpi, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  .scroll { overflow: visible; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

impl<'a> Page<'a> {
    pub(super) fn head(&mut self) {
        let lang = self.l("vi", "en");
        self.out += &format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; img-src data:\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"chitieu {}\">\n\
             <title>{}{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            escape(self.card.chitieu),
            escape(&self.card.catalogue.title),
            self.focus_unit()
                .map(|u| format!(" — {}", escape(&u.name)))
                .unwrap_or_default(),
            self.card.period,
        );
    }

    // ---------------------------------------------------------------------------------------
    // 1. Headline

    pub(super) fn headline(&mut self) {
        let card = self.card;
        let mut s = String::from("<header>\n");
        // a page of a run shown as pages: the way back to its index first
        if let Some(index) = self.back {
            s += &format!(
                "<p class=\"meta\"><a href=\"{}\">← {}</a></p>\n",
                escape(index),
                self.l("Trang tổng hợp", "Index")
            );
        }
        s += &format!("<h1>{}</h1>\n", escape(&card.catalogue.title));
        if let Some(issuer) = &self.c.issuer {
            s += &format!("<p class=\"meta\">{}</p>\n", escape(issuer));
        }
        s += "<dl class=\"facts\">\n";
        let mut facts = vec![
            (
                self.l("Mã danh mục", "Catalogue"),
                escape(&card.catalogue.id),
            ),
            (self.l("Kỳ đánh giá", "Period"), card.period.to_string()),
            (self.l("Tính đến ngày", "As of"), self.date(card.as_of)),
            (self.l("Số đơn vị", "Units"), self.count(card.units.len())),
        ];
        if card.cumulative {
            facts.push((
                self.l("Cách tính", "Values"),
                self.l("lũy kế từ đầu năm", "year to date").to_string(),
            ));
        }
        for (dt, dd) in facts {
            s += &format!("<div><dt>{dt}</dt><dd>{dd}</dd></div>\n");
        }
        s += "</dl>\n";
        if let Some(note) = crate::report::focus_note(card, self.lang) {
            // styled in place: the style sheet stays that of every page
            s += &format!(
                "<p class=\"focus\" style=\"border-left:4px solid var(--accent);\
                 background:var(--soft);padding:.4rem .8rem\">{}</p>\n",
                escape(&note)
            );
        }
        s += "</header>\n";
        // with a history, what changed comes first (SPEC §10.2): the first screen
        self.out += &s;
        s.clear();
        self.changes();

        let overdue = card.tasks.iter().filter(|t| t.status.is_overdue()).count();
        let graded = card.units.iter().filter(|u| u.grade.is_some()).count();
        s += &format!(
            "<section id=\"summary\">\n<h2>{}</h2>\n<div class=\"kpis\">\n",
            self.l("Tổng quan", "Overview")
        );
        s += &format!(
            "<div class=\"kpi\"><b>{}</b>{}</div>\n",
            self.count(card.units.len()),
            self.l("đơn vị được đánh giá", "units assessed")
        );
        s += &format!(
            "<div class=\"kpi\"><b>{}</b>{}</div>\n",
            self.count(graded),
            self.l("đơn vị được xếp loại", "units graded")
        );
        s += &format!(
            "<div class=\"kpi\"><b>{}</b>{}</div>\n",
            self.count(self.c.indicators.len()),
            self.l("chỉ tiêu", "indicators")
        );
        s += &format!(
            "<div class=\"kpi{}\"><b>{}</b><a href=\"#tasks\">{}</a></div>\n</div>\n",
            if overdue > 0 { " alert" } else { "" },
            self.count(overdue),
            self.l("nhiệm vụ quá hạn", "overdue tasks")
        );
        s += &self.grade_table();
        s += &self.status_table();
        s += &self.forecast_table();
        s += "</section>\n";
        self.out += &s;
    }

    pub(super) fn grade_table(&self) -> String {
        // every band of the catalogue, in its order (a unit's grade is one of them)
        let grades: Vec<Grade> = (self.c.grades.iter().enumerate())
            .map(|(band, g)| Grade {
                band,
                name: g.name.clone(),
            })
            .collect();
        let mut s = format!(
            "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"grades\">\n<thead><tr>",
            self.l("Xếp loại đơn vị", "Grades of units")
        );
        for g in &grades {
            s += &format!("<th class=\"num\">{}</th>", self.grade_badge(g));
        }
        s += &format!(
            "<th class=\"num\">{}</th></tr></thead>\n<tbody><tr>",
            self.l("Chưa xếp loại", "Not graded")
        );
        for g in &grades {
            let n = self
                .card
                .units
                .iter()
                .filter(|u| u.grade.as_ref().is_some_and(|ug| ug.band == g.band))
                .count();
            s += &format!("<td class=\"num\">{}</td>", self.count(n));
        }
        let none = self.card.units.iter().filter(|u| u.grade.is_none()).count();
        s += &format!(
            "<td class=\"num\">{}</td></tr></tbody>\n</table></div>\n",
            self.count(none)
        );
        s
    }

    /// Indicator statuses of every top-level unit, then over all (unit, indicator) pairs.
    pub(super) fn status_table(&self) -> String {
        let mut s = format!(
            "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"statuses\">\n<thead><tr><th>{}</th>",
            self.l("Tình trạng chỉ tiêu", "Indicators by status"),
            self.l("Đơn vị", "Unit")
        );
        for code in Status::ALL {
            s += &format!("<th class=\"num\">{}</th>", self.status_badge(code));
        }
        s += &format!(
            "<th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            self.l("Tổng", "Total")
        );
        let row = |label: String, cards: &[&IndicatorCard]| {
            let mut r = format!("<tr><td>{label}</td>");
            for code in Status::ALL {
                let n = cards.iter().filter(|i| i.status == code).count();
                r += &format!("<td class=\"num\">{}</td>", self.count(n));
            }
            r + &format!("<td class=\"num\">{}</td></tr>\n", self.count(cards.len()))
        };
        for u in self.roots() {
            let cards: Vec<&IndicatorCard> = u.indicators.iter().collect();
            s += &row(self.unit_link(u), &cards);
        }
        if self.card.units.len() > 1 {
            let all: Vec<&IndicatorCard> =
                self.card.units.iter().flat_map(|u| &u.indicators).collect();
            s += &row(
                format!(
                    "{} ({} × {})",
                    self.l("Tất cả đơn vị", "All units"),
                    self.count(self.card.units.len()),
                    self.count(self.c.indicators.len())
                ),
                &all,
            );
        }
        s + "</tbody>\n</table></div>\n"
    }

    /// Whether the final targets will be met, for every top-level unit (SPEC §5.6).
    pub(super) fn forecast_table(&self) -> String {
        let roots = self.roots();
        let mut years: Vec<i32> = roots
            .iter()
            .flat_map(|u| &u.indicators)
            .filter_map(|i| i.forecast.as_ref().map(|f| f.year))
            .collect();
        years.sort_unstable();
        years.dedup();
        if years.is_empty() {
            return String::new();
        }
        let years = years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let mut s = format!(
            "<h3>{} {years}</h3>\n<div class=\"scroll\"><table class=\"forecasts\">\n\
             <thead><tr><th>{}</th>",
            self.l(
                "Dự báo khả năng đạt mục tiêu năm",
                "Forecast: final targets of"
            ),
            self.l("Đơn vị", "Unit")
        );
        for code in ForecastStatus::ALL {
            s += &format!("<th class=\"num\">{}</th>", self.forecast_badge(code));
        }
        s += &format!(
            "<th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            self.l("Tổng", "Total")
        );
        for u in roots {
            let f: Vec<ForecastStatus> = u
                .indicators
                .iter()
                .filter_map(|i| i.forecast.as_ref().map(|f| f.status))
                .collect();
            s += &format!("<tr><td>{}</td>", self.unit_link(u));
            for code in ForecastStatus::ALL {
                let n = f.iter().filter(|x| **x == code).count();
                s += &format!("<td class=\"num\">{}</td>", self.count(n));
            }
            s += &format!("<td class=\"num\">{}</td></tr>\n", self.count(f.len()));
        }
        s + &format!(
            "</tbody>\n</table></div>\n<p class=\"note\">{}</p>\n",
            self.l(
                "Dự báo theo đường xu hướng bình phương nhỏ nhất qua các kỳ có số liệu \
                 (phương pháp biểu đồ tiến độ của Cơ quan Thống kê Liên hợp quốc).",
                "Forecast by a least-squares trend over the periods with data \
                 (the progress-chart method of the UN Statistics Division)."
            )
        )
    }

    // ---------------------------------------------------------------------------------------
    // Table of contents

    pub(super) fn toc(&mut self) {
        let mut s = format!(
            "<nav class=\"toc\" id=\"contents\">\n<b>{}</b>\n<ol>\n",
            self.l("Mục lục", "Contents")
        );
        for (id, label) in [
            ("summary", self.l("Tổng quan", "Overview")),
            ("league", self.l("Bảng xếp hạng", "League table")),
            ("units", self.l("Kết quả theo đơn vị", "Results by unit")),
            ("charts", self.l("Biểu đồ", "Charts")),
            ("tasks", self.l("Nhiệm vụ", "Tasks")),
            ("reports", self.l("Báo cáo định kỳ", "Periodic reports")),
        ] {
            if id == "reports" && self.c.reports.is_empty() {
                continue;
            }
            s += &format!("<li><a href=\"#{id}\">{label}</a></li>\n");
        }
        s += "</ol>\n<ol class=\"units\">\n";
        for u in &self.card.units {
            s += &format!(
                "<li class=\"d{}\">{}</li>\n",
                self.depth(u, 3),
                self.unit_link(u)
            );
        }
        s += "</ol>\n</nav>\n";
        self.out += &s;
    }
}
