//! The README's facts that have one source elsewhere stay in step with it: the diagnostic table
//! (from `src/diagnostics/codes.rs`) and the minimum Rust version (from Cargo.toml).

use std::path::Path;

use chitieu::diagnostics::Code;

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .unwrap_or_else(|e| panic!("README.md: {e}"))
}

/// The table as `src/diagnostics/codes.rs` gives it: every code, in order, with its summary.
fn table() -> String {
    let mut s = String::from("| code | problem |\n|---|---|\n");
    for code in Code::ALL {
        s += &format!("| {} | {} |\n", code.as_str(), code.summary());
    }
    s
}

#[test]
fn the_readme_diagnostic_table_is_the_codes_table() {
    let expected = table();
    assert!(
        readme().contains(&expected),
        "README.md's diagnostic table differs from src/diagnostics/codes.rs; it should read:\n{expected}"
    );
}

#[test]
fn the_readme_names_the_rust_version_of_cargo_toml() {
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .unwrap_or_else(|e| panic!("Cargo.toml: {e}"));
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .unwrap_or_else(|| panic!("Cargo.toml has no rust-version"));
    assert!(
        readme().contains(&format!("A Rust toolchain ({version} or newer)")),
        "README.md should say \"A Rust toolchain ({version} or newer)\""
    );
}
