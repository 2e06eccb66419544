//! The partials reader (`score --partials`) on an arbitrary partial file: partials or located
//! diagnostics, never a panic. The first byte picks CSV or Parquet.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const CATALOGUE: &str =
    "id = \"fuzz\"\ntitle = \"Fuzz\"\n[dataset.ho_so]\nunit = \"u\"\ndate = \"d\"\n";
const INDICATORS: &str = r#"
[[indicator]]
id = "a"
name = "A"
unit = "%"
direction = "higher"
[indicator.measure]
dataset = "ho_so"
numerator = "SUM(x)"
denominator = "COUNT(*)"
"#;

fn catalogue() -> &'static chitieu::definition::Catalogue {
    static C: OnceLock<chitieu::definition::Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        chitieu::definition::load::load_from_strings(&[
            ("catalogue.toml", CATALOGUE),
            ("indicators.toml", INDICATORS),
        ])
        .catalogue
    })
}

fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let name = if which % 2 == 0 {
        "part-0.csv"
    } else {
        "part-0.parquet"
    };
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    if std::fs::write(dir.path().join(name), bytes).is_err() {
        return;
    }
    let until = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let _ = chitieu::eval::partials::read(catalogue(), dir.path(), until);
});
