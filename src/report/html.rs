//! report.html (SPEC §7): one self-contained page for leaders — headline, league tables, per-unit
//! scorecards, charts and the task table — in the run's language. Only formats; computes no scores.
//!
//! Self-contained: the CSS is inline, there is no script, and every chart is embedded as inline SVG
//! markup (the XML prolog and the `xmlns` declarations are removed: an HTML parser puts `<svg>` in
//! the SVG namespace by itself), so the page holds no URL at all. A Content-Security-Policy meta
//! tag (`default-src 'none'`) forbids any request and any script, should one ever slip in. Every
//! string from definitions or data goes through [`escape`]. Same input, same bytes.

use std::collections::HashMap;

use super::i18n::{self, status_rgb};
use crate::chart::{band_colour, file_safe, Chart};
use crate::data::Units;
use crate::definition::{Catalogue, Indicator, UnitKind};
use crate::project::Lang;
use crate::score::scorecard::{IndicatorCard, Scorecard, TargetJson, TaskLine, UnitCard};

/// Indicator statuses in the order a reader scans them (SPEC §5.3).
const STATUSES: [&str; 5] = [
    "dat",
    "gan_dat",
    "chua_dat",
    "khong_co_du_lieu",
    "khong_cham",
];
/// Forecast statuses, best first (SPEC §5.6).
const FORECASTS: [&str; 5] = [
    "da_dat",
    "dung_lo_trinh",
    "can_tang_toc",
    "cham_hoac_di_lui",
    "khong_du_du_lieu",
];
/// Task statuses: overdue first, then open, then done (SPEC §6).
const TASK_STATUSES: [&str; 8] = [
    "qua_han",
    "chua_bao_cao",
    "trong_han",
    "thuong_xuyen",
    "khong_thoi_han",
    "hoan_thanh_qua_han",
    "hoan_thanh_dung_han",
    "hoan_thanh",
];

const CSS: &str = r#"
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

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page of a run; see the module documentation.
pub fn render(
    card: &Scorecard,
    c: &Catalogue,
    units: &Units,
    charts: &[Chart],
    lang: Lang,
) -> String {
    let mut page = Page {
        card,
        c,
        units,
        charts,
        used: vec![false; charts.len()],
        lang,
        indicators: c.indicators.iter().map(|i| (i.id.as_str(), i)).collect(),
        unit_cards: card.units.iter().map(|u| (u.id.as_str(), u)).collect(),
        out: String::new(),
    };
    page.head();
    page.headline();
    page.toc();
    page.league();
    page.unit_sections();
    page.chart_section();
    page.task_section();
    page.other_charts();
    page.out += &format!(
        "<footer>{} chitieu {}</footer>\n</body>\n</html>\n",
        page.l("Tạo bởi", "Generated by"),
        escape(card.chitieu),
    );
    page.out
}

struct Page<'a> {
    card: &'a Scorecard,
    c: &'a Catalogue,
    units: &'a Units,
    charts: &'a [Chart],
    /// Charts already placed; each is inlined once.
    used: Vec<bool>,
    lang: Lang,
    /// Lookups only; never iterated.
    indicators: HashMap<&'a str, &'a Indicator>,
    unit_cards: HashMap<&'a str, &'a UnitCard>,
    out: String,
}

/// A peer set of the league: units with the same parent and level.
struct PeerSet<'a> {
    parent: Option<&'a str>,
    level: &'a str,
    members: Vec<&'a UnitCard>,
}

impl<'a> Page<'a> {
    fn l(&self, vi: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(vi, en)
    }

    fn head(&mut self) {
        let lang = self.l("vi", "en");
        self.out += &format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
             style-src 'unsafe-inline'; img-src data:\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"chitieu {}\">\n\
             <title>{} — {}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            escape(self.card.chitieu),
            escape(&self.card.catalogue.title),
            escape(&self.card.period),
        );
    }

    // ---------------------------------------------------------------------------------------
    // 1. Headline

    fn headline(&mut self) {
        let card = self.card;
        let mut s = format!("<header>\n<h1>{}</h1>\n", escape(&card.catalogue.title));
        if let Some(issuer) = &self.c.issuer {
            s += &format!("<p class=\"meta\">{}</p>\n", escape(issuer));
        }
        s += "<dl class=\"facts\">\n";
        let mut facts = vec![
            (
                self.l("Mã danh mục", "Catalogue"),
                escape(&card.catalogue.id),
            ),
            (self.l("Kỳ đánh giá", "Period"), escape(&card.period)),
            (self.l("Tính đến ngày", "As of"), self.date(&card.as_of)),
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
        s += "</dl>\n</header>\n";

        let overdue = card.tasks.iter().filter(|t| is_overdue(t.status)).count();
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

    fn grade_table(&self) -> String {
        let mut grades: Vec<&str> = self.c.grades.iter().map(|g| g.name.as_str()).collect();
        for u in &self.card.units {
            if let Some(g) = u.grade.as_deref() {
                if !grades.contains(&g) {
                    grades.push(g);
                }
            }
        }
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
                .filter(|u| u.grade.as_deref() == Some(*g))
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
    fn status_table(&self) -> String {
        let mut s = format!(
            "<h3>{}</h3>\n<div class=\"scroll\"><table class=\"statuses\">\n<thead><tr><th>{}</th>",
            self.l("Tình trạng chỉ tiêu", "Indicators by status"),
            self.l("Đơn vị", "Unit")
        );
        for code in STATUSES {
            s += &format!("<th class=\"num\">{}</th>", self.status_badge(code));
        }
        s += &format!(
            "<th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            self.l("Tổng", "Total")
        );
        let row = |label: String, cards: &[&IndicatorCard]| {
            let mut r = format!("<tr><td>{label}</td>");
            for code in STATUSES {
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
    fn forecast_table(&self) -> String {
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
        for code in FORECASTS {
            s += &format!("<th class=\"num\">{}</th>", self.forecast_badge(code));
        }
        s += &format!(
            "<th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
            self.l("Tổng", "Total")
        );
        for u in roots {
            let f: Vec<&str> = u
                .indicators
                .iter()
                .filter_map(|i| i.forecast.as_ref().map(|f| f.status))
                .collect();
            s += &format!("<tr><td>{}</td>", self.unit_link(u));
            for code in FORECASTS {
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

    fn toc(&mut self) {
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
        ] {
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

    // ---------------------------------------------------------------------------------------
    // 2. League tables

    fn peer_sets(&self) -> Vec<PeerSet<'a>> {
        let mut sets: Vec<PeerSet<'a>> = Vec::new();
        // (parent, level) → index in `sets`: linear in the units however many sets there are
        let mut index: HashMap<(Option<&str>, &str), usize> = HashMap::new();
        for u in &self.card.units {
            let parent = u.parent.as_deref();
            match index.get(&(parent, u.level.as_str())) {
                Some(&i) => sets[i].members.push(u),
                None => {
                    index.insert((parent, u.level.as_str()), sets.len());
                    sets.push(PeerSet {
                        parent,
                        level: &u.level,
                        members: vec![u],
                    });
                }
            }
        }
        // the biggest first; stable, so equal sizes keep units.csv order
        sets.sort_by_key(|s| std::cmp::Reverse(s.members.len()));
        for set in &mut sets {
            set.members.sort_by_key(|u| u.rank.unwrap_or(usize::MAX));
        }
        sets
    }

    fn league(&mut self) {
        let mut s = format!(
            "<section id=\"league\">\n<h2>{}</h2>\n",
            self.l("Bảng xếp hạng", "League table")
        );
        let sets = self.peer_sets();
        for (k, set) in sets.iter().enumerate() {
            let parent_name = set.parent.map(|p| {
                self.unit_card(p)
                    .map(|u| self.unit_link(u))
                    .unwrap_or_else(|| escape(p))
            });
            s += &format!(
                "<h3>{} <i>{}</i>{} — {} {}</h3>\n",
                self.l("Cấp", "Level"),
                escape(set.level),
                parent_name
                    .map(|p| format!(" {} {p}", self.l("thuộc", "under")))
                    .unwrap_or_default(),
                self.count(set.members.len()),
                self.l("đơn vị", "units")
            );
            s += &format!(
                "<div class=\"scroll\"><table class=\"league\">\n<thead><tr>\
                 <th class=\"num\">{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th>\
                 <th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                self.l("Hạng", "Rank"),
                self.l("Đơn vị", "Unit"),
                self.l("Điểm", "Score"),
                self.l("Xếp loại", "Grade"),
                self.l("Tỷ lệ có dữ liệu", "Coverage")
            );
            for u in &set.members {
                s += &format!(
                    "<tr data-unit=\"{}\"><td class=\"num\">{}</td><td>{}</td>\
                     <td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
                    escape(&u.id),
                    u.rank.map(|r| self.count(r)).unwrap_or_else(dash),
                    self.unit_link(u),
                    u.score
                        .map(|v| i18n::number(v, 2, self.lang))
                        .unwrap_or_else(dash),
                    u.grade
                        .as_deref()
                        .map(|g| self.grade_badge(g))
                        .unwrap_or_else(dash),
                    u.coverage
                        .map(|v| i18n::percent(100.0 * v, self.lang))
                        .unwrap_or_else(dash),
                );
            }
            s += "</tbody>\n</table></div>\n";
            // the names `chart::render_all` gives peer sets (the first set is the largest)
            let mut names = vec![match set.parent {
                Some(p) => format!("league-{}-{}", file_safe(set.level), file_safe(p)),
                None => format!("league-{}", file_safe(set.level)),
            }];
            if k == 0 {
                names.insert(0, "league".to_string());
            }
            for name in names {
                if let Some(i) = self.take(|c| c.name == name) {
                    s += &self.figure(i, self.l("Xếp hạng", "League"));
                }
            }
        }
        while let Some(i) = self.take(|c| c.name.starts_with("league")) {
            s += &self.figure(i, self.l("Xếp hạng", "League"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    // ---------------------------------------------------------------------------------------
    // 3. Per-unit sections

    fn unit_sections(&mut self) {
        let mut s = format!(
            "<section id=\"units\">\n<h2>{}</h2>\n",
            self.l("Kết quả theo đơn vị", "Results by unit")
        );
        for u in &self.card.units {
            s += &self.unit_section(u);
        }
        s += "</section>\n";
        self.out += &s;
    }

    fn unit_section(&mut self, u: &UnitCard) -> String {
        let mut s = format!(
            "<section class=\"unit\" id=\"unit-{}\">\n<h3>{}</h3>\n<dl class=\"facts\">\n",
            escape(&u.id),
            escape(&u.name)
        );
        let mut facts = vec![(self.l("Cấp", "Level"), escape(&u.level))];
        if let Some(p) = u.parent.as_deref() {
            facts.push((
                self.l("Trực thuộc", "Under"),
                self.unit_card(p)
                    .map(|p| self.unit_link(p))
                    .unwrap_or_else(|| escape(p)),
            ));
        }
        facts.push((
            self.l("Điểm", "Score"),
            u.score
                .map(|v| i18n::number(v, 2, self.lang))
                .unwrap_or_else(dash),
        ));
        facts.push((
            self.l("Xếp loại", "Grade"),
            u.grade
                .as_deref()
                .map(|g| self.grade_badge(g))
                .unwrap_or_else(dash),
        ));
        facts.push((
            self.l("Hạng", "Rank"),
            match (u.rank, u.rank_of) {
                (Some(r), Some(n)) => format!("{}/{}", self.count(r), self.count(n)),
                _ => dash(),
            },
        ));
        facts.push((
            self.l("Tỷ lệ có dữ liệu", "Coverage"),
            u.coverage
                .map(|v| i18n::percent(100.0 * v, self.lang))
                .unwrap_or_else(dash),
        ));
        if u.tasks.total > 0 {
            facts.push((
                self.l("Nhiệm vụ", "Tasks"),
                format!(
                    "{} ({} {}, {} {})",
                    self.count(u.tasks.total),
                    self.count(u.tasks.done),
                    self.l("hoàn thành", "done"),
                    self.count(u.tasks.overdue),
                    self.l("quá hạn", "overdue")
                ),
            ));
            if let Some(rate) = u.tasks.completion_rate {
                facts.push((
                    self.l("Tỷ lệ hoàn thành", "Completion rate"),
                    i18n::percent(rate, self.lang),
                ));
            }
        }
        for (dt, dd) in facts {
            s += &format!("<div><dt>{dt}</dt><dd>{dd}</dd></div>\n");
        }
        s += "</dl>\n";
        let groups: Vec<String> = u
            .groups
            .iter()
            .map(|g| {
                let name = self.c.group(&g.id).map(|x| x.name.as_str()).unwrap_or("");
                format!(
                    "<abbr title=\"{}\">{}</abbr> {}",
                    escape(name),
                    escape(&g.id),
                    g.score
                        .map(|v| i18n::number(v, 2, self.lang))
                        .unwrap_or_else(dash)
                )
            })
            .collect();
        if !groups.is_empty() {
            s += &format!(
                "<p class=\"note\">{}: {}</p>\n",
                self.l("Điểm theo nhóm", "Score by group"),
                groups.join(" · ")
            );
        }
        // a row for every indicator with a value or a qualitative target; the others in one line
        let (rows, no_data): (Vec<&IndicatorCard>, Vec<&IndicatorCard>) =
            u.indicators.iter().partition(|i| {
                i.value.is_some() || i.target.as_ref().is_some_and(|t| t.text.is_some())
            });
        if !rows.is_empty() {
            s += &format!(
                "<div class=\"scroll\"><table class=\"indicators\">\n<thead><tr><th>{}</th>\
                 <th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th>\
                 <th class=\"num\">{}</th><th>{}</th></tr></thead>\n<tbody>\n",
                self.l("Mã", "Code"),
                self.l("Chỉ tiêu", "Indicator"),
                self.l("Giá trị", "Value"),
                self.l("Mục tiêu", "Target"),
                self.l("Tình trạng", "Status"),
                self.l("Chênh lệch", "Gap"),
                self.l("Dự báo", "Forecast")
            );
            for i in rows {
                s += &self.indicator_row(i);
            }
            s += "</tbody>\n</table></div>\n";
        }
        if !no_data.is_empty() {
            let items: Vec<String> = no_data
                .iter()
                .map(|i| {
                    let def = self.def(&i.id);
                    let mut title = def.map(|d| d.name.clone()).unwrap_or_default();
                    if let Some(r) = &i.reason {
                        title += &format!(" ({})", self.reason(r));
                    }
                    format!(
                        "<abbr title=\"{}\">{}</abbr>",
                        escape(&title),
                        escape(def.and_then(|d| d.code.as_deref()).unwrap_or(&i.id))
                    )
                })
                .collect();
            s += &format!(
                "<p class=\"note\">{} ({}): {}</p>\n",
                self.l("Chưa có số liệu", "No data"),
                self.count(items.len()),
                items.join(", ")
            );
        }
        let name = format!("unit-{}", file_safe(&u.id));
        if let Some(i) = self.take(|c| c.name == name) {
            s += &self.figure(i, self.l("Chỉ tiêu của đơn vị", "Indicators of the unit"));
        }
        s += &format!(
            "<p class=\"top note\"><a href=\"#contents\">↑ {}</a></p>\n</section>\n",
            self.l("Mục lục", "Contents")
        );
        s
    }

    fn indicator_row(&self, i: &IndicatorCard) -> String {
        let def = self.def(&i.id);
        let mut name = escape(def.map(|d| d.name.as_str()).unwrap_or(&i.id));
        if let Some(p) = &i.period_used {
            name += &format!(
                " <span class=\"note\">({} {})</span>",
                self.l("số liệu kỳ", "figures of"),
                escape(p)
            );
        }
        let value = i
            .value
            .map(|v| self.quantity(def, v, is_share(i)))
            .unwrap_or_else(dash);
        let target = i
            .target
            .as_ref()
            .map(|t| self.target(def, t))
            .unwrap_or_else(dash);
        let gap = match (i.gap, def.map(|d| d.unit)) {
            (Some(g), Some(UnitKind::Percent)) => {
                signed(format!("{}%", i18n::number(g, 2, self.lang)), g)
            }
            (Some(g), Some(UnitKind::Count | UnitKind::Rank | UnitKind::Score)) => {
                signed(self.plain(g), g)
            }
            _ => dash(),
        };
        let forecast = match &i.forecast {
            Some(f) => {
                let value = match (f.value, def.map(|d| d.unit)) {
                    (Some(v), Some(k)) if k != UnitKind::Boolean => {
                        format!("{} ({}) ", self.quantity(def, v, false), f.year)
                    }
                    _ => format!("({}) ", f.year),
                };
                value + &self.forecast_badge(f.status)
            }
            None => dash(),
        };
        format!(
            "<tr><td class=\"code\">{}</td><td>{name}</td><td class=\"num\">{value}</td>\
             <td class=\"target\">{target}</td><td>{}</td><td class=\"num\">{gap}</td><td>{forecast}</td></tr>\n",
            escape(def.and_then(|d| d.code.as_deref()).unwrap_or("")),
            self.status_badge(i.status)
        )
    }

    /// A value in the indicator's unit: `12,44%`, `24.742 CSDL`, `Đạt` / `Chưa đạt`.
    fn quantity(&self, def: Option<&Indicator>, v: f64, share: bool) -> String {
        let label = def
            .and_then(|d| d.unit_label.as_deref())
            .map(|l| format!(" {}", escape(l)))
            .unwrap_or_default();
        match def.map(|d| d.unit) {
            Some(UnitKind::Percent) => i18n::percent(v, self.lang),
            Some(UnitKind::Boolean) if share => i18n::percent(v, self.lang),
            Some(UnitKind::Boolean) if v >= 0.5 => i18n::status("dat", self.lang).to_string(),
            Some(UnitKind::Boolean) => i18n::status("chua_dat", self.lang).to_string(),
            Some(UnitKind::Rank) => self.plain(v),
            Some(UnitKind::Count) => self.plain(v) + &label,
            Some(UnitKind::Score) | None => i18n::number(v, 2, self.lang) + &label,
        }
    }

    /// `≥ 80% (2026)`, `≤ 120 (2027, nội suy)`, a text target as written.
    fn target(&self, def: Option<&Indicator>, t: &TargetJson) -> String {
        let what = match (&t.text, def.map(|d| d.unit)) {
            (Some(text), _) => escape(text),
            (None, Some(UnitKind::Boolean)) => i18n::status("dat", self.lang).to_string(),
            (None, kind) => {
                let op = match t.op {
                    Some(">=") => "≥",
                    Some("<=") => "≤",
                    Some(">") => "&gt;",
                    Some("<") => "&lt;",
                    Some("=") => "=",
                    _ => "",
                };
                let threshold = match (t.value, kind) {
                    (Some(v), Some(UnitKind::Percent)) => format!("{}%", self.plain(v)),
                    (Some(v), _) => self.quantity(def, v, false),
                    (None, _) => dash(),
                };
                format!("{op} {threshold}").trim_start().to_string()
            }
        };
        let interpolated = if t.interpolated {
            format!(", {}", self.l("nội suy", "interpolated"))
        } else {
            String::new()
        };
        format!(
            "{what} <span class=\"note\">({}{interpolated})</span>",
            t.year
        )
    }

    // ---------------------------------------------------------------------------------------
    // 4. Heatmap and trends

    fn chart_section(&mut self) {
        let mut s = format!(
            "<section id=\"charts\">\n<h2>{}</h2>\n",
            self.l("Biểu đồ", "Charts")
        );
        if let Some(i) = self.take(|c| c.name == "heatmap") {
            s += &self.figure(i, self.l("Bản đồ tình trạng", "Status heatmap"));
        }
        let mut trends = Vec::new();
        for ind in &self.c.indicators {
            let name = format!("trend-{}", file_safe(&ind.id));
            if let Some(i) = self.take(|c| c.name == name) {
                trends.push(i);
            }
        }
        while let Some(i) = self.take(|c| c.name.starts_with("trend-")) {
            trends.push(i);
        }
        if !trends.is_empty() {
            s += &format!(
                "<h3>{}</h3>\n",
                self.l(
                    "Xu hướng và lộ trình đến mục tiêu",
                    "Trends and the path to the final targets"
                )
            );
            for i in trends {
                s += &self.figure(i, self.l("Xu hướng", "Trend"));
            }
        }
        s += "</section>\n";
        self.out += &s;
    }

    // ---------------------------------------------------------------------------------------
    // 5. Tasks

    fn task_section(&mut self) {
        let mut s = format!(
            "<section id=\"tasks\">\n<h2>{}</h2>\n",
            self.l("Nhiệm vụ", "Tasks")
        );
        let lines = &self.card.tasks;
        if lines.is_empty() {
            s += &format!(
                "<p class=\"note\">{}</p>\n",
                self.l("Không có nhiệm vụ nào.", "There are no tasks.")
            );
        } else {
            let counts: Vec<String> = TASK_STATUSES
                .iter()
                .filter_map(|code| {
                    let n = lines.iter().filter(|t| t.status == *code).count();
                    // overdue counts are shown even when they are 0
                    (n > 0 || is_overdue(code))
                        .then(|| format!("{} {}", self.task_badge(code), self.count(n)))
                })
                .collect();
            s += &format!("<p>{}</p>\n", counts.join(" · "));
            s += &format!(
                "<div class=\"scroll\"><table class=\"tasks\">\n<thead><tr><th>{}</th>\
                 <th>{}</th><th>{}</th><th>{}</th><th class=\"num\">{}</th><th>{}</th>\
                 <th class=\"num\">{}</th></tr></thead>\n<tbody>\n",
                self.l("Mã", "Code"),
                self.l("Nhiệm vụ", "Task"),
                self.l("Đơn vị", "Unit"),
                self.l("Thời hạn", "Deadline"),
                self.l("Hạn", "Due"),
                self.l("Tình trạng", "Status"),
                self.l("Ngày hoàn thành", "Completed on")
            );
            for line in ordered_tasks(lines) {
                s += &self.task_row(line);
            }
            s += "</tbody>\n</table></div>\n";
        }
        if let Some(i) = self.take(|c| c.name == "tasks") {
            s += &self.figure(i, self.l("Nhiệm vụ theo tình trạng", "Tasks by status"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    fn task_row(&self, line: &TaskLine) -> String {
        let task = self.c.task(&line.task);
        let unit = match self.unit_card(&line.unit) {
            Some(u) => self.unit_link(u),
            None => escape(
                self.units
                    .index(&line.unit)
                    .and_then(|i| self.units.get(i))
                    .map(|u| u.name.as_str())
                    .unwrap_or(&line.unit),
            ),
        };
        format!(
            "<tr{}><td class=\"code\">{}</td><td>{}</td><td>{unit}</td><td>{}</td>\
             <td class=\"num\">{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
            if is_overdue(line.status) {
                " class=\"overdue\""
            } else {
                ""
            },
            escape(task.and_then(|t| t.code.as_deref()).unwrap_or("")),
            escape(task.map(|t| t.name.as_str()).unwrap_or(&line.task)),
            escape(task.map(|t| t.deadline_text.as_str()).unwrap_or("")),
            line.due
                .as_deref()
                .map(|d| self.date(d))
                .unwrap_or_else(dash),
            self.task_badge(line.status),
            line.completed_on
                .as_deref()
                .map(|d| self.date(d))
                .unwrap_or_else(dash),
        )
    }

    /// Charts that no section claimed, so that every chart is on the page.
    fn other_charts(&mut self) {
        let rest: Vec<usize> = (0..self.charts.len()).filter(|&i| !self.used[i]).collect();
        if rest.is_empty() {
            return;
        }
        let mut s = format!(
            "<section id=\"more-charts\">\n<h2>{}</h2>\n",
            self.l("Biểu đồ khác", "More charts")
        );
        for i in rest {
            self.used[i] = true;
            s += &self.figure(i, self.l("Biểu đồ", "Chart"));
        }
        s += "</section>\n";
        self.out += &s;
    }

    // ---------------------------------------------------------------------------------------
    // Small pieces

    /// The first unplaced chart matching `pred`, marked as placed.
    fn take(&mut self, pred: impl Fn(&Chart) -> bool) -> Option<usize> {
        let i = (0..self.charts.len()).find(|&i| !self.used[i] && pred(&self.charts[i]))?;
        self.used[i] = true;
        Some(i)
    }

    fn figure(&self, i: usize, fallback_title: &str) -> String {
        let chart = &self.charts[i];
        let title = if chart.title.trim().is_empty() {
            fallback_title.to_string()
        } else {
            escape(&chart.title)
        };
        let body = inline_svg(&chart.svg).unwrap_or_else(|| {
            format!(
                "<p class=\"note\">{}</p>",
                self.l("(biểu đồ trống)", "(empty chart)")
            )
        });
        format!(
            "<figure class=\"chart\" id=\"chart-{name}\" data-chart=\"{name}\">\n{body}\n\
             <figcaption>{title}</figcaption>\n</figure>\n",
            name = escape(&chart.name)
        )
    }

    fn def(&self, id: &str) -> Option<&'a Indicator> {
        self.indicators.get(id).copied()
    }

    fn unit_card(&self, id: &str) -> Option<&'a UnitCard> {
        self.unit_cards.get(id).copied()
    }

    fn roots(&self) -> Vec<&'a UnitCard> {
        self.card
            .units
            .iter()
            .filter(|u| u.parent.is_none())
            .collect()
    }

    /// The depth of `u` in the hierarchy, counted up to `cap` (deeper units are shown alike).
    fn depth(&self, u: &UnitCard, cap: usize) -> usize {
        let mut depth = 0;
        let mut parent = u.parent.as_deref();
        while let Some(p) = parent {
            depth += 1;
            if depth >= cap {
                break;
            }
            parent = self.unit_card(p).and_then(|u| u.parent.as_deref());
        }
        depth
    }

    fn unit_link(&self, u: &UnitCard) -> String {
        format!(
            "<a href=\"#unit-{}\">{}</a>",
            fragment(&u.id),
            escape(&u.name)
        )
    }

    fn count(&self, n: usize) -> String {
        i18n::number(n as f64, 0, self.lang)
    }

    /// A number without decimals when it is whole, else with 2.
    fn plain(&self, v: f64) -> String {
        let whole = (v - v.round()).abs() < 1e-9;
        i18n::number(v, if whole { 0 } else { 2 }, self.lang)
    }

    /// `30/06/2026` in vi; ISO in en. Text that is no date is shown as it is.
    fn date(&self, iso: &str) -> String {
        match (
            chrono::NaiveDate::parse_from_str(iso, "%Y-%m-%d"),
            self.lang,
        ) {
            (Ok(d), Lang::Vi) => d.format("%d/%m/%Y").to_string(),
            _ => escape(iso),
        }
    }

    fn reason(&self, r: &str) -> String {
        match (r, self.lang) {
            (crate::eval::values::ZERO_DENOMINATOR, Lang::En) => "denominator is 0".into(),
            ("không xác định được giá trị gốc", Lang::En) => {
                "baseline value unknown".into()
            }
            _ => r.to_string(),
        }
    }

    fn status_badge(&self, code: &str) -> String {
        badge(status_rgb(code), i18n::status(code, self.lang))
    }

    fn forecast_badge(&self, code: &str) -> String {
        let colour = match code {
            "da_dat" | "dung_lo_trinh" => status_rgb("dat"),
            "can_tang_toc" => status_rgb("gan_dat"),
            "cham_hoac_di_lui" => status_rgb("chua_dat"),
            _ => status_rgb("khong_co_du_lieu"),
        };
        badge(colour, i18n::forecast(code, self.lang))
    }

    /// Task statuses in the colours of the `tasks` chart.
    fn task_badge(&self, code: &str) -> String {
        let colour = match code {
            "hoan_thanh_dung_han" => (46, 139, 87),
            "hoan_thanh_qua_han" => (140, 160, 50),
            "hoan_thanh" => (120, 195, 140),
            "trong_han" => (60, 120, 200),
            "thuong_xuyen" => (150, 190, 230),
            "qua_han" => (204, 51, 51),
            "chua_bao_cao" => (130, 25, 25),
            _ => (170, 170, 170),
        };
        badge(colour, i18n::task_status(code, self.lang))
    }

    /// A grade in the colour of its band in the league charts.
    fn grade_badge(&self, name: &str) -> String {
        let colour = match self.c.grades.iter().position(|g| g.name == name) {
            Some(i) => {
                let plotters::style::RGBColor(r, g, b) = band_colour(i, self.c.grades.len());
                (r, g, b)
            }
            None => status_rgb("khong_co_du_lieu"),
        };
        badge(colour, &escape(name))
    }
}

/// A coloured label; `text` must already be HTML.
fn badge((r, g, b): (u8, u8, u8), text: &str) -> String {
    let luma = 0.299 * r as f64 + 0.587 * g as f64 + 0.114 * b as f64;
    let ink = if luma > 140.0 { "#111" } else { "#fff" };
    format!(
        "<span class=\"badge\" style=\"background:#{r:02x}{g:02x}{b:02x};color:{ink}\">{text}</span>"
    )
}

fn dash() -> String {
    "—".to_string()
}

fn signed(text: String, v: f64) -> String {
    if v > 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{text}")
    } else {
        text
    }
}

fn is_overdue(status: &str) -> bool {
    matches!(status, "qua_han" | "chua_bao_cao")
}

/// Overdue first (the oldest deadline first), then open tasks, then done ones; otherwise the
/// scorecard's order (catalogue order of tasks, then units).
fn ordered_tasks(lines: &[TaskLine]) -> Vec<&TaskLine> {
    let mut out: Vec<&TaskLine> = lines.iter().collect();
    out.sort_by_key(|t| {
        let class = if is_overdue(t.status) {
            0
        } else if t.status.starts_with("hoan_thanh") {
            2
        } else {
            1
        };
        let due = if class == 0 { t.due.clone() } else { None };
        // tasks without a due date sort after dated ones within the overdue block
        (class, due.is_none(), due)
    });
    out
}

/// Whether a boolean indicator's value is a rolled-up share in % rather than 1 / 0: the
/// scorecard scores a share as share / 100 (SPEC §5.3), so its attainment tells them apart.
fn is_share(i: &IndicatorCard) -> bool {
    match (i.value, i.attainment) {
        (Some(v), Some(a)) => (v - a).abs() > 1e-9 && (v / 100.0 - a).abs() < 1e-9,
        (Some(v), None) => v != 0.0 && v != 1.0,
        _ => false,
    }
}

/// An id as a URL fragment: bytes other than ASCII letters, digits, `-`, `_`, `.` are
/// percent-encoded (browsers decode the fragment before matching the `id`).
fn fragment(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
            out.push(b as char);
        } else {
            out += &format!("%{b:02X}");
        }
    }
    out
}

/// The `<svg>` element of an SVG document, without what precedes it (XML prolog, doctype,
/// comments) and without namespace declarations; `None` when there is no `<svg`.
fn inline_svg(svg: &str) -> Option<String> {
    let start = svg.find("<svg")?;
    let body = svg[start..].trim_end();
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.find(" xmlns") {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        match namespace_attr_len(tail) {
            Some(n) => rest = &tail[n..],
            None => {
                out.push(' ');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    Some(out)
}

/// The length of `xmlns="…"` or `xmlns:p="…"` at the start of `s`, if it is one.
fn namespace_attr_len(s: &str) -> Option<usize> {
    let eq = s.find('=')?;
    let name = &s[..eq];
    let is_ns = name == "xmlns"
        || name.strip_prefix("xmlns:").is_some_and(|p| {
            !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if !is_ns {
        return None;
    }
    let value = &s[eq + 1..];
    let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'')?;
    let close = value[1..].find(quote)?;
    Some(eq + 1 + 1 + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{load_data, Period};
    use crate::eval::values::Values;
    use crate::score::scorecard::{build, RunSpec};

    const CATALOGUE: &str = r#"
id = "thu-nghiem"
title = "Kế hoạch thử nghiệm"
issuer = "UBND tỉnh Mẫu"
missing = "zero"
[[group]]
id = "I"
name = "Dịch vụ công"
[[group]]
id = "NV"
name = "Nhiệm vụ"
"#;
    const INDICATORS: &str = r#"
[[indicator]]
id = "ho-so"
code = "I.1"
name = "Tỷ lệ hồ sơ trực tuyến"
group = "I"
unit = "%"
direction = "higher"
[indicator.targets]
2026 = ">= 10"
2030 = ">= 50"

[[indicator]]
id = "tai-khoan"
code = "I.2"
name = "Số tài khoản"
group = "I"
unit = "count"
direction = "higher"
[indicator.targets]
2026 = ">= 20000"

[[indicator]]
id = "ky-so"
code = "I.3"
name = "Ký số"
group = "I"
unit = "boolean"
[indicator.targets]
2026 = "done"

[[indicator]]
id = "phoi-hop"
code = "I.4"
name = "Phối hợp"
group = "I"
unit = "boolean"
[indicator.targets]
2026 = { text = "Theo chỉ đạo của Bộ" }
"#;
    const TASKS: &str = r#"
[[task]]
id = "t0"
code = "NV.0"
name = "Nhiệm vụ thường xuyên"
group = "NV"
lead = ["Xã A"]
deadline = "Thường xuyên"

[[task]]
id = "t1"
code = "NV.1"
name = "Nhiệm vụ tháng 1"
group = "NV"
lead = ["Xã B"]
deadline = "Tháng 1/2026"

[[task]]
id = "t2"
code = "NV.2"
name = "Nhiệm vụ đã xong"
group = "NV"
lead = ["Xã A"]
deadline = "Quý I/2026"
"#;
    const UNITS: &str = "id,name,parent,level\n\
        tinh,UBND tỉnh Mẫu,,tinh\n\
        xa-a,Xã A,tinh,xa\n\
        xa-b,Xã B,tinh,xa\n\
        xa-x,<script>alert(1)</script>,tinh,xa\n\
        so-a,Sở A,tinh,so\n";
    // xa-a meets everything; xa-x half; xa-b little. 24/193 = 12,44%
    const REPORTED: &str = "unit,period,indicator,value,numerator,denominator\n\
        xa-a,2025,ho-so,,5,100\n\
        xa-a,2026,ho-so,,24,193\n\
        xa-a,2026,tai-khoan,24742,,\n\
        xa-a,2026,ky-so,1,,\n\
        xa-x,2026,ho-so,,8,100\n\
        xa-x,2026,tai-khoan,12000,,\n\
        xa-x,2026,ky-so,1,,\n\
        xa-b,2026,ho-so,,2,100\n\
        xa-b,2026,tai-khoan,1000,,\n\
        xa-b,2026,ky-so,0,,\n";
    const TASK_ROWS: &str = "task,unit,status,completed_on,note\nt2,xa-a,hoan_thanh,2026-03-01,\n";

    fn svg(text: &str) -> String {
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg width=\"40\" height=\"20\" \
             viewBox=\"0 0 40 20\" xmlns=\"http://www.w3.org/2000/svg\" \
             xmlns:xlink=\"http://www.w3.org/1999/xlink\"><text x=\"1\" y=\"10\">{text}</text></svg>\n"
        )
    }

    fn chart(name: &str) -> Chart {
        Chart {
            name: name.to_string(),
            title: format!("Biểu đồ {name}"),
            svg: svg(name),
            png: Vec::new(),
            width: 40,
            height: 20,
        }
    }

    fn charts() -> Vec<Chart> {
        [
            "league",
            "league-so-tinh",
            "unit-xa-a",
            "heatmap",
            "trend-ho-so",
            "tasks",
            "mystery",
        ]
        .into_iter()
        .map(chart)
        .collect()
    }

    fn fixture() -> (Scorecard, Catalogue, Units) {
        crate::score::scorecard::score_texts(
            &[
                ("catalogue.toml", CATALOGUE),
                ("indicators.toml", INDICATORS),
                ("tasks.toml", TASKS),
            ],
            &[
                ("units.csv", UNITS),
                ("reported.csv", REPORTED),
                ("tasks.csv", TASK_ROWS),
            ],
            chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        )
    }

    fn between<'p>(page: &'p str, from: &str, to: &str) -> &'p str {
        let a = page.find(from).unwrap_or_else(|| panic!("no {from}"));
        let b = page[a..].find(to).map_or(page.len(), |b| a + b);
        &page[a..b]
    }

    fn at(hay: &str, needle: &str) -> usize {
        hay.find(needle)
            .unwrap_or_else(|| panic!("{needle} is missing"))
    }

    #[test]
    fn league_rows_in_rank_order_biggest_peer_set_first() {
        let (card, c, units) = fixture();
        let page = render(&card, &c, &units, &charts(), Lang::Vi);
        let league = between(&page, "<section id=\"league\">", "<section id=\"units\">");
        assert!(league.contains("<h2>Bảng xếp hạng</h2>"));
        // the communes (3 units) come before the department (1) and the province (1)
        let (a, x, b) = (
            at(league, "data-unit=\"xa-a\""),
            at(league, "data-unit=\"xa-x\""),
            at(league, "data-unit=\"xa-b\""),
        );
        assert!(a < x && x < b, "rank order: {a} {x} {b}");
        assert!(b < at(league, "data-unit=\"so-a\""));
        let first = between(league, "data-unit=\"xa-a\"", "</tr>");
        assert!(
            first.contains("<td class=\"num\">1</td>") && first.contains("100,00"),
            "{first}"
        );
        // the per-peer-set chart sits in the league section
        let chart = at(league, "data-chart=\"league\"");
        assert!(b < chart && chart < at(league, "data-unit=\"so-a\""));
        assert!(at(league, "data-unit=\"so-a\"") < at(league, "data-chart=\"league-so-tinh\""));
    }

    #[test]
    fn data_is_escaped_and_nothing_is_fetched() {
        let (card, c, units) = fixture();
        let page = render(&card, &c, &units, &charts(), Lang::Vi);
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!page.contains("<script>alert(1)"));
        assert!(!page.contains("<script"), "the page needs no script");
        assert!(!page.contains("http://") && !page.contains("https://"));
        assert!(!page.contains("<?xml"));
        assert!(!page.contains(" src=") && !page.contains("<link"));
        assert_eq!(escape("a&b<c>\"d'"), "a&amp;b&lt;c&gt;&quot;d&#39;");
    }

    #[test]
    fn every_chart_inlined_once() {
        let (card, c, units) = fixture();
        let all = charts();
        let page = render(&card, &c, &units, &all, Lang::Vi);
        assert_eq!(page.matches("<svg").count(), all.len());
        for ch in &all {
            assert_eq!(
                page.matches(&format!("data-chart=\"{}\"", ch.name)).count(),
                1,
                "{}",
                ch.name
            );
            assert!(
                page.contains(&format!(">{}</text>", ch.name)),
                "{}",
                ch.name
            );
        }
        let unit = between(&page, "id=\"unit-xa-a\"", "</section>");
        assert!(unit.contains("data-chart=\"unit-xa-a\""));
        let tasks = between(&page, "<section id=\"tasks\">", "</section>");
        assert!(tasks.contains("data-chart=\"tasks\""));
        let trends = between(&page, "<section id=\"charts\">", "</section>");
        assert!(trends.contains("data-chart=\"heatmap\"") && trends.contains("trend-ho-so"));
    }

    #[test]
    fn vietnamese_numbers_and_labels() {
        let (card, c, units) = fixture();
        let page = render(&card, &c, &units, &[], Lang::Vi);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"vi\">"));
        let unit = between(&page, "id=\"unit-xa-a\"", "</section>");
        assert!(unit.contains("12,44%"), "{unit}");
        assert!(unit.contains("24.742"));
        assert!(unit.contains("≥ 10% <span class=\"note\">(2026)</span>"));
        assert!(unit.contains("+2,44%"), "the gap in percentage points");
        assert!(unit.contains(">Đạt</td>"), "a boolean shown as Đạt");
        assert!(unit.contains("<td class=\"target\">Theo chỉ đạo của Bộ <span"));
        let b = between(&page, "id=\"unit-xa-b\"", "</section>");
        assert!(b.contains(">Chưa đạt</td>"));
        assert!(page.contains("31/12/2026"));
        assert!(page.contains("Xếp loại"));
        assert!(page.contains("@media print") && page.contains("break-inside: avoid"));
    }

    #[test]
    fn overdue_tasks_come_first() {
        let (card, c, units) = fixture();
        let page = render(&card, &c, &units, &[], Lang::Vi);
        let tasks = between(&page, "<section id=\"tasks\">", "</section>");
        let overdue = at(tasks, "Nhiệm vụ tháng 1");
        assert!(overdue < at(tasks, "Nhiệm vụ thường xuyên"));
        assert!(overdue < at(tasks, "Nhiệm vụ đã xong"));
        assert!(tasks.contains("<tr class=\"overdue\">"));
        assert!(tasks.contains("Chưa báo cáo (quá hạn)"));
        // the overdue count is shown even when it is 0
        assert!(tasks.contains(">Quá hạn</span> 0"));
        assert!(
            tasks.contains("01/03/2026"),
            "completed_on as a Vietnamese date"
        );
    }

    #[test]
    fn english_page_has_english_labels_only() {
        let (card, c, units) = fixture();
        let page = render(&card, &c, &units, &charts(), Lang::En);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        for label in [
            "League table",
            "Grade",
            "overdue tasks",
            "Not reported (overdue)",
            "Coverage",
            "Met",
            "Not met",
        ] {
            assert!(page.contains(label), "{label}");
        }
        let unit = between(&page, "id=\"unit-xa-a\"", "</section>");
        assert!(unit.contains("12.44%") && unit.contains("24,742"));
        // the only Vietnamese text is data: names from the catalogue and units.csv, grades
        for word in [
            "Xếp loại",
            "Bảng xếp hạng",
            "Đơn vị",
            "Chỉ tiêu",
            "Mục tiêu",
            "Quá hạn",
            "Tình trạng",
            "Nhiệm vụ quá hạn",
            "nội suy",
            "Dự báo",
        ] {
            assert!(!page.contains(word), "{word}");
        }
    }

    #[test]
    fn same_input_same_bytes() {
        let (card, c, units) = fixture();
        let a = render(&card, &c, &units, &charts(), Lang::Vi);
        let b = render(&card, &c, &units, &charts(), Lang::Vi);
        assert_eq!(a, b);
    }

    #[test]
    fn svg_loses_prolog_and_namespaces_only() {
        let out = inline_svg(&svg("x xmlns y")).unwrap_or_default();
        assert_eq!(
            out,
            "<svg width=\"40\" height=\"20\" viewBox=\"0 0 40 20\"><text x=\"1\" y=\"10\">x xmlns y</text></svg>"
        );
        assert_eq!(inline_svg("no chart"), None);
        assert_eq!(fragment("xã-a 1"), "x%C3%A3-a%201");
        assert_eq!(file_safe("Xã Y Tý"), "xa-y-ty");
        assert_eq!(file_safe("xa-a"), "xa-a");
    }

    /// Scores a shipped catalogue on its data as `chitieu score` does and writes the page in
    /// both languages to `<out>.html` and `<out>-en.html`.
    fn write_shipped(catalogue: &str, data: &str, period: Option<Period>, out: &str) {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let loaded = crate::check::check_definitions(&root.join(catalogue))
            .unwrap_or_else(|e| panic!("{e}"));
        let c = loaded.catalogue;
        let data = load_data(&root.join(data), &c)
            .data
            .unwrap_or_else(|| panic!("no data"));
        let until = chrono::NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or_default();
        let mut partials = Vec::new();
        for dataset in &c.datasets {
            if let Some(path) = data.datasets.get(&dataset.name) {
                partials.push(
                    crate::eval::fused::evaluate(
                        &c,
                        dataset,
                        path,
                        until,
                        crate::data::Grain::Month,
                    )
                    .unwrap_or_else(|e| panic!("{e}")),
                );
            }
        }
        let period = period
            .or_else(|| crate::commands::score::latest_period(&data, &partials))
            .unwrap_or_else(|| panic!("no period"));
        let values = Values::new(&c, &data, &partials, false);
        let spec = RunSpec {
            period,
            as_of: period.end(),
            cumulative: false,
        };
        let card = build(&c, &data, &values, spec);
        for (lang, path) in [
            (Lang::Vi, format!("{out}.html")),
            (Lang::En, format!("{out}-en.html")),
        ] {
            let charts =
                crate::chart::render_all(&card, &c, lang).unwrap_or_else(|e| panic!("{e}"));
            let page = render(&card, &c, &data.units, &charts, lang);
            assert_eq!(page.matches("<svg").count(), charts.len());
            assert!(
                !page.contains("id=\"more-charts\""),
                "every chart has its place"
            );
            std::fs::write(path, &page).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    /// The pages of the default run (Lào Cai) and of the test fixture `mini`, written to
    /// /tmp/report*.html to look at in a browser.
    #[test]
    #[ignore]
    fn write_shipped_reports() {
        write_shipped(
            "indicators/lao-cai-2026-2030",
            "data/lao-cai",
            None,
            "/tmp/report",
        );
        write_shipped(
            "tests/fixtures/mini/catalogue",
            "tests/fixtures/mini/data",
            Some(Period::Month(2026, 2)),
            "/tmp/report-mini",
        );
    }
}
