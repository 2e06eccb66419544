//! The REAL figures of the Sở KH&CN Đồng Nai report of October 2025 (data/dong-nai-skhcn-2025),
//! scored against its catalogue: chitieu must reproduce the report's own arithmetic.

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

use serde_json::Value;

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[test]
fn the_october_2025_report_is_reproduced() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let o = Command::new(env!("CARGO_BIN_EXE_chitieu"))
        .args([
            "score",
            "--no-history",
            "--catalogue",
            "indicators/dong-nai-skhcn-2025",
            "--data",
            "data/dong-nai-skhcn-2025",
            "--out",
        ])
        .arg(out.path())
        .current_dir(root)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("W310"),
        "a figure disagrees with its numerator/denominator"
    );
    let card: Value = serde_json::from_str(
        &std::fs::read_to_string(out.path().join("scorecard.json")).unwrap_or_default(),
    )
    .unwrap_or_default();
    assert_eq!(card["period"], "2025-10");
    let unit = &card["units"][0];
    let ind = |id: &str| -> Value {
        unit["indicators"]
            .as_array()
            .and_then(|a| a.iter().find(|i| i["id"] == id))
            .cloned()
            .unwrap_or_else(|| panic!("no {id}"))
    };
    let value = |id: &str| ind(id)["value"].as_f64().unwrap_or(f64::NAN);

    // "24 TTHC ... đạt tỷ lệ 12,44%, vượt 2,44% so với kế hoạch" (plan 10%): 24 / 193
    let cut = ind("tthc-cat-giam-don-gian-hoa");
    assert_eq!(
        (cut["numerator"].as_f64(), cut["denominator"].as_f64()),
        (Some(24.0), Some(193.0))
    );
    assert_eq!(round2(value("tthc-cat-giam-don-gian-hoa")), 12.44);
    assert!((value("tthc-cat-giam-don-gian-hoa") - 2400.0 / 193.0).abs() < 0.01);
    assert_eq!(cut["status"], "dat");
    assert_eq!(cut["target"]["value"].as_f64(), Some(10.0));
    assert_eq!(round2(cut["gap"].as_f64().unwrap_or(f64::NAN)), 2.44);

    // 79 / 193 = 40,93 % toàn trình; 95 / 95 = 100 %; 73 / 95 = 76,84 %; 20.509 / 24.742 = 82,89 %
    assert_eq!(round2(value("tthc-toan-trinh")), 40.93);
    assert_eq!(round2(value("xa-cap-nhat-chu-ky-so")), 100.0);
    assert_eq!(round2(value("xa-duoc-tap-huan")), 76.84);
    let certified = ind("hoc-vien-duoc-cap-chung-nhan");
    assert_eq!(
        (
            certified["numerator"].as_f64(),
            certified["denominator"].as_f64()
        ),
        (Some(20509.0), Some(24742.0))
    );
    assert_eq!(round2(value("hoc-vien-duoc-cap-chung-nhan")), 82.89);
    // "823.572" lượt tra cứu, read as a thousands-grouped integer
    assert_eq!(value("luot-tra-cuu-csdlqgdc-luy-ke"), 823572.0);
}
