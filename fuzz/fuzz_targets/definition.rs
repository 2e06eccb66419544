//! The definition loader and every check on one catalogue file given as bytes: any input gives
//! diagnostics, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

const CATALOGUE: &str =
    "id = \"fuzz\"\ntitle = \"Fuzz\"\n[dataset.ho_so]\nunit = \"u\"\ndate = \"d\"\n";

fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // the input as the indicators file, and as the catalogue file itself
    for files in [
        vec![("catalogue.toml", CATALOGUE), ("indicators.toml", text)],
        vec![("catalogue.toml", text)],
    ] {
        let loaded = chitieu::definition::load::load_from_strings(&files);
        let _ = chitieu::check::check_catalogue(&loaded.catalogue);
    }
});
