//! The national portal's published Bộ chỉ số 766 figures (data/bo-chi-so-766-*, converted from
//! the development set by scripts/real766_convert.py) scored with indicators/bo-chi-so-766:
//! every published sub-indicator point, group point and total must come out to the cent.

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

/// Compares every row of `published.csv` with the scorecard; returns how many were compared.
fn compare_published(data: &str, card: &Value) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join(data).join("published.csv"))
        .unwrap_or_else(|e| panic!("{data}/published.csv: {e}"));
    let mut wrong = Vec::new();
    let mut compared = 0;
    for line in text.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let [unit_id, _period, kind, id, points] = cells[..] else {
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
    assert!(wrong.is_empty(), "{data}:\n{}", wrong.join("\n"));
    compared
}

#[test]
fn phu_tho_month_8_is_reproduced_to_the_cent() {
    let data = "data/bo-chi-so-766-phu-tho-2026-08";
    let (card, html) = score(data, "2026-08", &[]);
    // 9 units × (published sub-indicator points + 6 groups)
    assert_eq!(compare_published(data, &card), 165);

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
    assert_eq!(
        compare_published(data, &card),
        (15 + 15 + 12) + 3 * (6 + 1) + 5
    );

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
    // both directories hold units.csv, reported.csv, published.csv (not read) and a README
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
    assert_eq!(per_unit.len(), 9);
    assert!(per_unit.values().all(|&n| n == 21), "{per_unit:?}");
}
