//! The table readers (CSV, XLSX, Parquet as grids of text) on arbitrary bytes: a table or a
//! located E306/E307, never a panic that escapes `read_table`. The first byte picks the format.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    common::quiet_panics();
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let ext = ["csv", "xlsx", "parquet"][usize::from(which) % 3];
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join(format!("reported.{ext}"));
    if std::fs::write(&path, bytes).is_err() {
        return;
    }
    let _ = chitieu::data::read_table(&path);
});
