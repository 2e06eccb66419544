//! The record scan of a dataset (the checks of its columns and units, then the fused query) on
//! an arbitrary `ho_so.parquet`: partials or an error, never a panic that escapes the library.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// The shipped Lào Cai catalogue: its dataset `ho_so` and the measures that read it.
fn catalogue() -> &'static chitieu::definition::Catalogue {
    static C: OnceLock<chitieu::definition::Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        let dir = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../indicators/lao-cai-2026-2030"
        );
        match chitieu::definition::load_catalogue(std::path::Path::new(dir)) {
            Ok(loaded) => loaded.catalogue,
            Err(e) => panic!("the shipped catalogue does not load: {e}"),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let c = catalogue();
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("ho_so.parquet");
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let Some(dataset) = c.datasets.iter().find(|d| d.name == "ho_so") else {
        return;
    };
    if !chitieu::eval::fused::check_dataset(dataset, &path, None).is_empty() {
        return;
    }
    let until = chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
    let _ = chitieu::eval::fused::evaluate(c, dataset, &path, until, chitieu::data::Grain::Month);
});
