//! Charts of a small scored plan: every expected chart, PNGs that decode to their stated size
//! and are not blank, labels in the run's language, and a league of 99 communes.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::*;

const CATALOGUE: &str = r#"
id = "thu-nghiem"
title = "Kế hoạch chuyển đổi số thử nghiệm"

[[group]]
id = "I"
name = "Dịch vụ công trực tuyến"

[[group]]
id = "II"
name = "Hạ tầng số"

[[group]]
id = "NV"
name = "Nhiệm vụ"
"#;

const INDICATORS: &str = r#"
[[indicator]]
id = "ho-so-truc-tuyen"
code = "I.1"
name = "Tỷ lệ hồ sơ dịch vụ công trực tuyến trên tổng số hồ sơ dịch vụ công của đơn vị trong kỳ"
group = "I"
unit = "%"
direction = "higher"
[indicator.targets]
2025 = "60"
2030 = "90"

[[indicator]]
id = "diem-wifi"
code = "II.1"
name = "Số điểm wifi công cộng miễn phí"
group = "II"
unit = "count"
direction = "higher"
[indicator.targets]
2026 = ">= 20"

[[indicator]]
id = "ioc"
code = "II.2"
name = "Kết nối trung tâm điều hành thông minh"
group = "II"
unit = "boolean"
[indicator.targets]
2026 = "done"

[[indicator]]
id = "dinh-tinh"
code = "II.3"
name = "Chỉ tiêu định tính"
group = "II"
unit = "%"
direction = "higher"
[indicator.targets]
2026 = { text = "Theo chỉ đạo của tỉnh" }
"#;

const TASKS: &str = r#"
[[task]]
id = "t1"
name = "Ban hành kế hoạch chuyển đổi số"
group = "NV"
lead = ["Sở Nội vụ"]
deadline = "Hoàn thành trước ngày 30/6/2026"

[[task]]
id = "t2"
name = "Rà soát thủ tục hành chính"
group = "NV"
lead = ["Xã Bát Xát"]
deadline = "Hoàn thành trước ngày 31/3/2026"

[[task]]
id = "t3"
name = "Cập nhật dữ liệu dân cư"
group = "NV"
lead = ["Xã Y Tý"]
deadline = "Thường xuyên"
"#;

const UNITS: &str = "id,name,parent,level\n\
    tinh,Tỉnh Lào Cai,,tinh\n\
    so-noi-vu,Sở Nội vụ,tinh,so\n\
    xa-bat-xat,Xã Bát Xát,tinh,xa\n\
    xa-y-ty,Xã Y Tý,tinh,xa\n\
    phuong-cam-duong,Phường Cam Đường,tinh,xa\n\
    so-y-te,Sở Y tế,tinh,so\n";

const REPORTED: &str = "unit,period,indicator,value,numerator,denominator,note\n\
    tinh,2024,ho-so-truc-tuyen,52,,,\n\
    tinh,2025,ho-so-truc-tuyen,61.5,,,\n\
    xa-bat-xat,2026,ho-so-truc-tuyen,,850,1000,\n\
    xa-y-ty,2026,ho-so-truc-tuyen,,560,1000,\n\
    phuong-cam-duong,2026,ho-so-truc-tuyen,,780,1000,\n\
    so-noi-vu,2026,ho-so-truc-tuyen,,300,400,\n\
    xa-bat-xat,2026,diem-wifi,25,,,\n\
    xa-y-ty,2026,diem-wifi,12,,,\n\
    xa-bat-xat,2026,ioc,1,,,\n\
    xa-y-ty,2026,ioc,0,,,\n\
    phuong-cam-duong,2026,ioc,1,,,\n";

const TASK_ROWS: &str = "task,unit,status,completed_on,note\n\
    t1,so-noi-vu,hoan_thanh,2026-05-20,\n\
    t2,xa-bat-xat,dang_thuc_hien,,\n\
    t3,xa-y-ty,dang_thuc_hien,,\n";

/// The small plan above, scored for 2026.
fn scored() -> (Scorecard, Catalogue) {
    let (card, c, _) = crate::score::scorecard::score_texts(
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
        NaiveDate::from_ymd_opt(2026, 12, 31).expect("date"),
    );
    (card, c)
}

fn names(charts: &[Chart]) -> Vec<&str> {
    charts.iter().map(|c| c.name.as_str()).collect()
}

#[test]
fn every_chart_of_a_run_in_name_order() {
    let (card, c) = scored();
    let charts = render_all(&card, &c, Lang::Vi).expect("charts");
    assert_eq!(
        names(&charts),
        [
            "heatmap",
            "league",         // the three communes: the largest peer set
            "league-so-tinh", // the two departments
            "tasks",
            "trend-diem-wifi", // one value at the province, a target of 20
            "trend-ho-so-truc-tuyen",
            "unit-phuong-cam-duong",
            "unit-so-noi-vu",
            "unit-so-y-te",
            "unit-tinh",
            "unit-xa-bat-xat",
            "unit-xa-y-ty",
        ]
    );
    // no trend for the boolean or the qualitative indicator; the lone province gets no league
    assert!(!names(&charts)
        .iter()
        .any(|n| *n == "trend-ioc" || *n == "trend-dinh-tinh"));
}

#[test]
fn pngs_decode_at_their_size_and_are_not_blank() {
    let (card, c) = scored();
    for chart in render_all(&card, &c, Lang::Vi).expect("charts") {
        let image = image::load_from_memory(&chart.png)
            .unwrap_or_else(|e| panic!("{}: {e}", chart.name))
            .to_rgb8();
        assert_eq!(
            image.dimensions(),
            (chart.width, chart.height),
            "{}",
            chart.name
        );
        let colours: HashSet<[u8; 3]> = image.pixels().map(|p| p.0).collect();
        assert!(
            colours.len() > 10,
            "{} has {} colours",
            chart.name,
            colours.len()
        );
        assert!(
            chart.svg.starts_with("<svg")
                && chart.svg.contains(&format!("width=\"{}\"", chart.width)),
            "{}",
            chart.name
        );
        assert!(!chart.title.is_empty(), "{}", chart.name);
    }
}

#[test]
fn labels_in_the_language_of_the_run() {
    let (card, c) = scored();
    // (language, words every run must show, words of the other language it must not)
    let cases: [(Lang, &[&str], &[&str]); 2] = [
        (
            Lang::Vi,
            &[
                "Bảng xếp hạng",
                "Điểm",
                "Đạt",
                "Chưa đạt",
                "Mục tiêu",
                "Dự báo",
                "Quá hạn",
                "Xã Bát Xát",
                "Phường Cam Đường",
                "Tỷ lệ hồ sơ dịch vụ công",
            ],
            &["League table", "Not met", "Target", "Forecast"],
        ),
        (
            Lang::En,
            &[
                "League table",
                "Score",
                "Met",
                "Not met",
                "Target",
                "Forecast",
                "Overdue",
                "Xã Bát Xát",
            ],
            &["Bảng xếp hạng", "Chưa đạt", "Mục tiêu", "Dự báo"],
        ),
    ];
    for (lang, present, absent) in cases {
        let charts = render_all(&card, &c, lang).expect("charts");
        let all: String = charts.iter().map(|c| c.svg.as_str()).collect();
        for word in present {
            assert!(all.contains(word), "{lang:?}: no \"{word}\"");
        }
        for word in absent {
            assert!(!all.contains(word), "{lang:?}: unexpected \"{word}\"");
        }
    }
}

#[test]
fn the_same_scorecard_draws_the_same_charts() {
    let (card, c) = scored();
    let a = render_all(&card, &c, Lang::Vi).expect("charts");
    let b = render_all(&card, &c, Lang::Vi).expect("charts");
    assert_eq!(names(&a), names(&b));
    for (x, y) in a.iter().zip(&b) {
        assert!(x.svg == y.svg && x.png == y.png, "{} differs", x.name);
    }
}

/// A scorecard of `n` communes under the province, scores spread from 100 down, with long
/// names.
fn communes(n: usize) -> Scorecard {
    let (mut card, _) = scored();
    let template = card
        .units
        .iter()
        .find(|u| u.id == "xa-bat-xat")
        .cloned()
        .expect("a commune");
    card.units.retain(|u| u.level != "xa");
    for i in 0..n {
        let mut u = template.clone();
        u.id = format!("xa-{i}");
        u.name = format!("Xã Nậm Xé thuộc vùng cao biên giới của tỉnh Lào Cai số {i}");
        u.score = Some(100.0 - i as f64 * 0.9);
        u.rank = Some(i + 1);
        u.rank_of = Some(n);
        card.units.push(u);
    }
    card.regroup_peers();
    card
}

#[test]
fn a_league_of_99_communes_stays_readable() {
    let (_, c) = scored();
    let mut heights = Vec::new();
    for n in [10, 99] {
        let card = communes(n);
        let ctx = Context::new(&card, &c, Lang::Vi);
        let (name, set) = league::charted_sets(&card)
            .into_iter()
            .find(|(name, _)| name == "league")
            .expect("the largest peer set");
        let set = &card.peer_sets[set];
        assert_eq!(set.members.len(), n);
        let chart = league::chart(&ctx, name, set).expect("league");
        let image = image::load_from_memory(&chart.png).expect("png");
        assert_eq!((image.width(), image.height()), (chart.width, chart.height));
        // every commune has its row, its rank and its (shortened) name
        assert!(chart.height >= n as u32 * league::ROW_H as u32);
        assert!(chart.svg.contains(&format!(">\n{n}\n</text>")), "rank {n}");
        assert!(chart.svg.contains("Xã Nậm Xé") && chart.svg.contains('…'));
        heights.push(chart.height);
    }
    assert!(
        heights[1] > heights[0] + 80 * league::ROW_H as u32,
        "{heights:?}"
    );
}

#[test]
fn empty_and_unscored_scorecards_draw_without_panicking() {
    let (mut card, c) = scored();
    for u in &mut card.units {
        u.score = None;
        u.grade = None;
        u.rank = None;
        for i in &mut u.indicators {
            i.value = None;
            i.target = None;
            i.forecast = None;
            i.series.clear();
        }
    }
    let charts = render_all(&card, &c, Lang::En).expect("charts");
    assert!(charts
        .iter()
        .any(|c| c.name == "league" && c.svg.contains("no score")));
    assert!(!charts.iter().any(|c| c.name.starts_with("trend-")));
    card.units.clear();
    card.tasks.clear();
    card.regroup_peers();
    assert!(render_all(&card, &c, Lang::Vi).expect("charts").is_empty());
}

#[test]
fn bullets_place_value_and_target_on_the_row_scale() {
    let (card, c) = scored();
    let unit = |id: &str| card.units.iter().find(|u| u.id == id).expect("unit");
    // (unit, indicator, value position, target position, note)
    type Case = (
        &'static str,
        &'static str,
        Option<f64>,
        Option<f64>,
        &'static str,
    );
    let cases: [Case; 5] = [
        // 850 / 1000 against ≥ 60 + (90 − 60) × 1/5 = 66 in 2026
        (
            "xa-bat-xat",
            "ho-so-truc-tuyen",
            Some(0.85),
            Some(0.66),
            "85,00% (mục tiêu ≥ 66%)",
        ),
        // 25 against ≥ 20: scale 0–30 (the round number above 25 × 1,1)
        (
            "xa-bat-xat",
            "diem-wifi",
            Some(25.0 / 30.0),
            Some(20.0 / 30.0),
            "25 (mục tiêu ≥ 20; thang 0–30)",
        ),
        (
            "xa-y-ty",
            "ioc",
            Some(0.0),
            Some(1.0),
            "Chưa hoàn thành (mục tiêu hoàn thành)",
        ),
        // the province: 2 of 3 communes done, a share in %
        (
            "tinh",
            "ioc",
            Some(2.0 / 3.0),
            Some(1.0),
            "66,67% (mục tiêu hoàn thành)",
        ),
        // no value: the scale is set by the target alone (0–25 above 20 × 1,1)
        (
            "so-y-te",
            "diem-wifi",
            None,
            Some(0.8),
            "Không có dữ liệu (mục tiêu ≥ 20; thang 0–25)",
        ),
    ];
    for (u, id, value, target, note) in cases {
        let indicator = c.indicator(id).expect("indicator");
        let card = unit(u)
            .indicators
            .iter()
            .find(|i| i.id == id)
            .expect("card");
        let b = unit::bullet(indicator, card, id.to_string(), Lang::Vi).expect("a bullet");
        let close = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-9,
            (a, b) => a == b,
        };
        assert!(close(b.value, value), "{u} {id}: value {:?}", b.value);
        assert!(close(b.target, target), "{u} {id}: target {:?}", b.target);
        assert_eq!(b.note, note, "{u} {id}");
    }
    // a qualitative target without a value has nothing to draw
    let text = c.indicator("dinh-tinh").expect("indicator");
    let card = unit("tinh")
        .indicators
        .iter()
        .find(|i| i.id == "dinh-tinh")
        .expect("card");
    assert_eq!(unit::bullet(text, card, String::new(), Lang::Vi), None);
}

#[test]
fn indicators_a_unit_is_not_scored_on_are_listed_not_drawn() {
    let (card, mut c) = scored();
    let ctx = Context::new(&card, &c, Lang::Vi);
    let u = card
        .units
        .iter()
        .position(|u| u.id == "so-y-te")
        .expect("unit");
    // missing = "zero": the department's empty rows weigh on its score and are drawn
    let drawn = unit::chart(&ctx, "unit-so-y-te".into(), u).expect("chart");
    assert!(drawn.svg.contains("II.1 Số điểm wifi"));
    assert!(!drawn.svg.contains("không tính điểm"));
    c.missing = crate::definition::Missing::Exclude;
    let ctx = Context::new(&card, &c, Lang::Vi);
    let listed = unit::chart(&ctx, "unit-so-y-te".into(), u).expect("chart");
    assert!(!listed.svg.contains("II.1 Số điểm wifi"));
    assert!(listed
        .svg
        .contains("Không có dữ liệu (không tính điểm): I.1, II.1, II.2"));
    assert!(listed.height < drawn.height);
}
