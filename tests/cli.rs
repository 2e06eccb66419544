//! The command line as its users see it: every `tests/cmd/*.toml` case runs `chitieu` in the
//! fixture directory next to it (`<name>.in/`) and compares stdout, stderr and the exit status.
//! One case per diagnostic code of SPEC §8 (E100–W201), each on a catalogue broken in exactly
//! one way; `TRYCMD=overwrite cargo test --test cli` rewrites the expected output (read it!).

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[test]
fn cli_cases() {
    trycmd::TestCases::new().case("tests/cmd/*.toml");
}
