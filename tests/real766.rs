//! The national portal's published Bộ chỉ số 766 figures scored with indicators/bo-chi-so-766:
//! data/bo-chi-so-766-phu-tho-2026-08 (`chitieu import portal766` of the raw responses of
//! shared/portal766-dev) and data/bo-chi-so-766-tinh-2026 (the provinces of the development set,
//! scripts/real766_convert.py). Every published sub-indicator point, group point and total must
//! come out to the cent, but for the figures the portal rounded against its own rule, named here.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Scores `data` for `period` and returns scorecard.json and report.html.
fn score(data: &str, period: &str, extra: &[&str]) -> (Value, String) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args([
            "score",
            "--no-history",
            "--catalogue",
            "indicators/bo-chi-so-766",
            "--data",
            data,
            "--period",
            period,
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .args(extra)
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let text = std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default();
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap_or_default();
    (
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("scorecard.json: {e}")),
        html,
    )
}

/// Hundredths, so that "to the cent" is an integer comparison.
fn cents(x: f64) -> i64 {
    (x * 100.0).round() as i64
}

fn unit<'a>(card: &'a Value, id: &str) -> &'a Value {
    card["units"]
        .as_array()
        .and_then(|u| u.iter().find(|u| u["id"] == id))
        .unwrap_or_else(|| panic!("no unit {id}"))
}

fn member<'a>(unit: &'a Value, list: &str, id: &str) -> &'a Value {
    unit[list]
        .as_array()
        .and_then(|l| l.iter().find(|x| x["id"] == id))
        .unwrap_or_else(|| panic!("{}: no {list} {id}", unit["id"]))
}

/// Compares every row of `published.csv` with the scorecard (independently of chitieu's own
/// reconciliation); returns how many were compared and the differences.
fn compare_published(data: &str, card: &Value) -> (usize, Vec<String>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(data).join("published.csv"))
        .unwrap_or_else(|e| panic!("{data}/published.csv: {e}"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap_or_default().split(',').collect();
    assert_eq!(
        header,
        ["unit", "period", "as_of", "kind", "id", "points", "max", "rank", "rank_of", "source"]
    );
    let mut wrong = Vec::new();
    let mut compared = 0;
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let [unit_id, _period, _as_of, kind, id, points, ..] = cells[..] else {
            panic!("published.csv: {line}");
        };
        let published: f64 = points.parse().unwrap_or_else(|e| panic!("{line}: {e}"));
        let u = unit(card, unit_id);
        let ours = match kind {
            "indicator" => member(u, "indicators", id)["earned"].as_f64(),
            "group" => member(u, "groups", id)["earned"].as_f64(),
            // every unit is scored out of 100: the score is the total
            "total" => u["score"].as_f64(),
            _ => panic!("published.csv: kind {kind}"),
        };
        compared += 1;
        if ours.map(cents) != Some(cents(published)) {
            wrong.push(format!(
                "{unit_id} {kind} {id}: {ours:?}, published {published}"
            ));
        }
    }
    (compared, wrong)
}

#[test]
fn phu_tho_month_8_is_reproduced_to_the_cent() {
    let data = "data/bo-chi-so-766-phu-tho-2026-08";
    let (card, html) = score(data, "2026-08", &[]);
    // 164 units: the sub-indicator points of the three metric endpoints and six groups each
    let (compared, wrong) = compare_published(data, &card);
    assert_eq!(compared, 2940);
    // the portal rounded these exact ties (x.xx5 in doubles) against the rule that every other
    // published figure follows (half to even; the payment group half up): 4 × 1/32 = 0.125 → 0.13,
    // 20 × 29/32 = 18.125 → 18.13, 6 × (351/416) / 0.9 = 5.625 → 5.63, and in the payment group
    // 6 × 98.75 % = 5.925 → 5.92; the groups follow their sub-indicators
    assert_eq!(
        wrong,
        [
            "H44.156 group tttt: Some(6.92), published 6.91",
            "H44.19 indicator so-hoa-giay-to-giai-quyet: Some(0.12), published 0.13",
            "H44.19 indicator citizen-data-connected-dossier: Some(0.12), published 0.13",
            "H44.19 group tdgq: Some(18.12), published 18.13",
            "H44.19 group mdsh: Some(7.23), published 7.25",
            "H44.209 indicator dossier-receiving-satisfaction: Some(5.62), published 5.63",
            "H44.209 group mdhl: Some(17.62), published 17.63",
        ]
    );
    // chitieu's reconciliation says the same: every other figure matches
    let r = &card["reconciliation"];
    assert_eq!(r["indicators"]["compared"].as_u64(), Some(1956));
    assert_eq!(r["indicators"]["matched"].as_u64(), Some(1956 - 3));
    assert_eq!(r["groups"]["compared"].as_u64(), Some(984));
    assert_eq!(r["groups"]["matched"].as_u64(), Some(984 - 4));
    assert_eq!(r["differences"].as_array().map(Vec::len), Some(7));
    assert_eq!(r["not_compared"].as_u64(), Some(0));
    let first = &r["differences"][1];
    assert_eq!(
        (
            first["unit"].as_str(),
            first["id"].as_str(),
            first["ours"].as_f64(),
            first["published"].as_f64(),
            first["numerator"].as_f64(),
            first["denominator"].as_f64(),
            first["source"].as_str()
        ),
        (
            Some("H44.19"),
            Some("so-hoa-giay-to-giai-quyet"),
            Some(0.12),
            Some(0.13),
            Some(1.0),
            Some(32.0),
            Some("dossier-digitized/month-all.json")
        )
    );
    // the nine units of the development set (shared/real766-dev/cases.json) match everywhere
    for id in [
        "H44", "H44.01", "H44.03", "H44.07", "H44.08", "H44.100", "H44.101", "H44.102", "H44.103",
    ] {
        let u = unit(&card, id);
        for list in ["indicators", "groups"] {
            for item in u[list].as_array().into_iter().flatten() {
                assert_ne!(item["differs"].as_bool(), Some(true), "{id} {}", item["id"]);
            }
        }
    }
    assert_eq!(
        member(unit(&card, "H44"), "groups", "tdgq")["published"].as_f64(),
        Some(15.68)
    );

    // by hand: UBND tỉnh Phú Thọ, 144,625 of 184,513 dossiers on time → 20 × 0.78382… = 15.68
    let tinh = unit(&card, "H44");
    let on_time = member(tinh, "indicators", "dossier-on-time");
    assert_eq!(on_time["earned"].as_f64(), Some(15.68));
    assert_eq!(on_time["points_lost"].as_f64(), Some(4.32));
    assert_eq!(on_time["needed"].as_u64(), Some(184_513 - 144_625));
    // Văn phòng UBND tỉnh: no dossier (0/0 → 0 points), no petition (0/0 → full 6 points)
    let vp = unit(&card, "H44.01");
    let none = member(vp, "indicators", "dossier-on-time");
    assert_eq!(
        (none["status"].as_str(), none["earned"].as_f64()),
        (Some("khong_co_du_lieu"), Some(0.0))
    );
    let petitions = member(vp, "indicators", "petition-processing-on-time");
    assert_eq!(
        (petitions["status"].as_str(), petitions["earned"].as_f64()),
        (Some("khong_phat_sinh"), Some(6.0))
    );
    // tracked: shown with its value, no points, not in the group's maximum
    let tracked = member(tinh, "indicators", "petition-classification-tthc");
    assert_eq!(tracked["points"].as_f64(), Some(0.0));
    assert!((tracked["value"].as_f64().unwrap_or(0.0) - 100.0 * 179.0 / 247.0).abs() < 1e-9);
    assert_eq!(member(tinh, "groups", "mdhl")["max"].as_f64(), Some(18.0));
    // the report lists the petitions of Văn phòng UBND tỉnh as "không phát sinh", full points
    let section = html
        .split("<section class=\"unit\" id=\"unit-H44.01\">")
        .nth(1)
        .unwrap_or_default();
    let end = section.find("</section>").unwrap_or(section.len());
    assert_eq!(
        section[..end].matches(">Không phát sinh</span>").count(),
        2,
        "{}",
        &section[..end]
    );
}

#[test]
fn provinces_2026_are_reproduced_to_the_cent() {
    let data = "data/bo-chi-so-766-tinh-2026";
    let (card, html) = score(data, "2026", &[]);
    // 3 provinces: 15 published sub-indicator points each (Khánh Hòa 12: three 0/0 are
    // published as nothing), 6 groups and the total; 5 provinces' payment group
    let (compared, wrong) = compare_published(data, &card);
    assert_eq!(compared, (15 + 15 + 12) + 3 * (6 + 1) + 5);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    let r = &card["reconciliation"];
    assert_eq!(
        [&r["indicators"], &r["groups"], &r["totals"]].map(|t| t["matched"].as_u64()),
        [Some(42), Some(23), Some(3)]
    );
    // the national ranks (1, 17, 34 of 34) are ranks among other units than these 8
    assert_eq!(r["ranks"]["compared"].as_u64(), Some(0));
    assert_eq!(r["not_compared"].as_u64(), Some(3));

    // by hand: Đồng Tháp, 333,862 of 378,458 on time: 17.64 of 20; 44,596 more dossiers on
    // time would win the 2.36 points back
    let dt = unit(&card, "H20");
    let on_time = member(dt, "indicators", "dossier-on-time");
    assert_eq!(on_time["earned"].as_f64(), Some(17.64));
    assert_eq!(on_time["points_lost"].as_f64(), Some(2.36));
    assert_eq!(on_time["needed"].as_u64(), Some(44_596));
    assert_eq!(dt["score"].as_f64().map(cents), Some(6830));
    // the national order of the three (ranks 1, 17, 34 of 34) holds among them
    let rank = |id: &str| unit(&card, id)["rank"].as_u64().unwrap_or(u64::MAX);
    assert!(rank("H20") < rank("H44") && rank("H44") < rank("H32"));

    // the report opens Đồng Tháp's section with its largest losses, in words, and shows each
    // group's points out of its maximum
    let section = html
        .split("<section class=\"unit\" id=\"unit-H20\">")
        .nth(1)
        .unwrap_or_default();
    let first_loss = section.find("<li>").unwrap_or(usize::MAX);
    assert!(
        first_loss < section.find("<dl").unwrap_or(0),
        "losses come first"
    );
    assert!(section.contains(
        "<li>Mất 6,00 điểm ở Công khai, minh bạch: cần thêm 52 thủ tục hành chính được công bố \
         đúng hạn</li>"
    ));
    assert!(section.contains("<li>Mất 3,12 điểm ở Dịch vụ công trực tuyến</li>"));
    assert!(
        section.contains("tdgq</abbr> 88,20 (17,64/20 điểm)"),
        "{section:.2000}"
    );
    let (_, en) = score(data, "2026", &["--lang", "en"]);
    assert!(en.contains(
        "<li>Lost 4.00 points in Số hóa hồ sơ: 378,458 more needed (hồ sơ thủ tục hành chính \
         được số hóa có kết nối, chia sẻ dữ liệu phục vụ tái sử dụng)</li>"
    ));
}

#[test]
fn the_published_counts_need_only_units_and_reported() {
    // both directories hold units.csv, reported.csv, published.csv and a README
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for data in [
        "data/bo-chi-so-766-phu-tho-2026-08",
        "data/bo-chi-so-766-tinh-2026",
    ] {
        let mut names: Vec<String> = std::fs::read_dir(root.join(data))
            .unwrap_or_else(|e| panic!("{e}"))
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["README.md", "published.csv", "reported.csv", "units.csv"]
        );
    }
    // and every sub-indicator of the catalogue is reported for every unit of Phú Thọ
    let text =
        std::fs::read_to_string(root.join("data/bo-chi-so-766-phu-tho-2026-08/reported.csv"))
            .unwrap_or_default();
    let mut per_unit: HashMap<&str, usize> = HashMap::new();
    for line in text.lines().skip(1) {
        *per_unit
            .entry(line.split(',').next().unwrap_or(""))
            .or_default() += 1;
    }
    assert_eq!(per_unit.len(), 164);
    assert!(per_unit.values().all(|&n| n == 21), "{per_unit:?}");
}

#[test]
fn score_prints_the_reconciliation() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args([
            "score",
            "--no-history",
            "--catalogue",
            "indicators/bo-chi-so-766",
            "--data",
            "data/bo-chi-so-766-tinh-2026",
            "--period",
            "2026",
            "--no-charts",
            "--out",
        ])
        .arg(out.path())
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(
            "Đối chiếu với Cổng: khớp 42/42 điểm chỉ số, 23/23 nhóm, 3/3 tổng điểm; 3 số công bố \
             không đối chiếu được"
        ),
        "{stdout}"
    );
    let html = std::fs::read_to_string(out.path().join("report.html")).unwrap_or_default();
    assert!(html.contains("<h2>Đối chiếu với số liệu công bố</h2>"));
    assert!(html.contains("Mọi số đối chiếu được đều khớp"));
}
