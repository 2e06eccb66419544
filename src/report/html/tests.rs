//! Tests of the page: order, escaping, inlined charts, labels in both languages.

use super::charts::inline_svg;
use super::*;

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

fn fixture() -> (Scorecard, Catalogue, crate::data::Units) {
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
    let (card, c, _) = fixture();
    let page = render(&card, &c, &charts(), Lang::Vi);
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
    let (card, c, _) = fixture();
    let page = render(&card, &c, &charts(), Lang::Vi);
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
    let (card, c, _) = fixture();
    let all = charts();
    let page = render(&card, &c, &all, Lang::Vi);
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
    let (card, c, _) = fixture();
    let page = render(&card, &c, &[], Lang::Vi);
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
    let (card, c, _) = fixture();
    let page = render(&card, &c, &[], Lang::Vi);
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
    let (card, c, _) = fixture();
    let page = render(&card, &c, &charts(), Lang::En);
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
    let (card, c, _) = fixture();
    let a = render(&card, &c, &charts(), Lang::Vi);
    let b = render(&card, &c, &charts(), Lang::Vi);
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

/// The fixture shown as pages: the index and the province's page (its only top-level unit).
fn pages() -> (String, String) {
    let (card, c, _) = fixture();
    let top: Vec<&str> = card.top_units().iter().map(|u| u.id.as_str()).collect();
    assert_eq!(top, ["tinh"]);
    let links = vec![("tinh".to_string(), "report/tinh.html".to_string())];
    let mut index = Vec::new();
    write_index(&mut index, &card, &c, Lang::Vi, &links).unwrap_or_default();
    let part_card = card.focus("tinh").unwrap_or_else(|| panic!("no tinh"));
    let all = [chart("unit-tinh"), chart("unit-xa-a"), chart("heatmap")];
    let mut part = Vec::new();
    write_part(
        &mut part,
        &part_card,
        &c,
        &all,
        Lang::Vi,
        "../report.html",
        "tinh/charts",
    )
    .unwrap_or_default();
    (
        String::from_utf8(index).unwrap_or_default(),
        String::from_utf8(part).unwrap_or_default(),
    )
}

#[test]
fn the_index_links_every_unit_to_its_top_units_page() {
    let (index, _) = pages();
    // no unit sections and no charts on the index
    assert!(!index.contains("<section id=\"units\">") && !index.contains("<svg"));
    // the province is linked to its page, the units below it to their sections there
    assert!(index.contains("<a href=\"report/tinh.html\">UBND tỉnh Mẫu</a>"));
    let league = between(&index, "<section id=\"league\">", "</section>");
    // the league holds the top-level peer set only: the province, not its communes
    assert!(league.contains("data-unit=\"tinh\"") && !league.contains("data-unit=\"xa-a\""));
    // the task table's units link into the page (t2 is xa-a's)
    let tasks = between(&index, "<section id=\"tasks\">", "</section>");
    assert!(
        tasks.contains("<a href=\"report/tinh.html#unit-xa-a\">Xã A</a>"),
        "{tasks}"
    );
    // no link of the index points to a section of the index itself
    assert!(!index.contains("href=\"#unit-"));
}

#[test]
fn the_index_colours_each_group_score_by_the_band_of_its_share_of_points() {
    let (card, c, _) = fixture();
    let (index, _) = pages();
    let groups = between(&index, "<section id=\"groups\">", "</section>");
    let tinh = card.units.iter().find(|u| u.id == "tinh");
    let group = tinh
        .and_then(|u| u.groups.iter().find(|g| g.id == "I"))
        .unwrap_or_else(|| panic!("no group I"));
    let share = 100.0 * group.earned / group.max;
    let band = crate::score::points::grade(Some(share), Some(1.0), &c.grades, 0.0)
        .unwrap_or_else(|| panic!("no band for {share}"));
    let (r, g, b) = band_rgb(band.band, c.grades.len());
    assert!(
        groups.contains(&format!("background:#{r:02x}{g:02x}{b:02x}")),
        "{groups}"
    );
    assert!(
        groups.contains(&format!("title=\"{} (", band.name)),
        "{groups}"
    );
}

#[test]
fn a_top_units_page_links_back_and_links_the_charts_of_the_units_below_it() {
    let (_, part) = pages();
    assert!(part.contains("<a href=\"../report.html\">← Trang tổng hợp</a>"));
    // its own chart inlined, the commune's linked to its file beside the page
    let own = between(&part, "id=\"unit-tinh\"", "</section>");
    assert!(own.contains("data-chart=\"unit-tinh\""));
    let commune = between(&part, "id=\"unit-xa-a\"", "</section>");
    assert!(!commune.contains("<svg"));
    assert!(commune.contains("<a href=\"tinh/charts/unit-xa-a.svg\">"));
    // the other charts as on every page, once
    assert_eq!(part.matches("<svg").count(), 2);
    // units keep their sections on the page
    assert!(part.contains("<a href=\"#unit-xa-a\">Xã A</a>"));
}
