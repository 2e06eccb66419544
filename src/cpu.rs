//! The CPU check of a binary built for more than baseline x86-64: the dist build
//! (`cargo dist`, README "Building for distribution") is compiled with
//! `-C target-cpu=x86-64-v3`, as Python polars' wheel is, so that any function may use AVX2,
//! BMI2, FMA… An office PC without them would die on the first such instruction with "illegal
//! instruction" and no word of why; this check, first in `main`, says which features are
//! missing and which build to use instead. The portable build (`cargo build --release`) is
//! compiled for baseline x86-64 and requires nothing: the check passes everywhere.
//!
//! What the binary requires is known when it is compiled (`cfg!(target_feature = …)`); what the
//! CPU has is asked of it with CPUID (`is_x86_feature_detected!`). `missing` compares the two
//! and is tested with a made-up CPU.

/// Each feature of x86-64-v2 and -v3 beyond baseline x86-64 (SSE2), with whether this binary
/// was compiled to use it.
const COMPILED: [(&str, bool); 15] = [
    ("sse3", cfg!(target_feature = "sse3")),
    ("ssse3", cfg!(target_feature = "ssse3")),
    ("sse4.1", cfg!(target_feature = "sse4.1")),
    ("sse4.2", cfg!(target_feature = "sse4.2")),
    ("popcnt", cfg!(target_feature = "popcnt")),
    ("cmpxchg16b", cfg!(target_feature = "cmpxchg16b")),
    ("avx", cfg!(target_feature = "avx")),
    ("avx2", cfg!(target_feature = "avx2")),
    ("bmi1", cfg!(target_feature = "bmi1")),
    ("bmi2", cfg!(target_feature = "bmi2")),
    ("f16c", cfg!(target_feature = "f16c")),
    ("fma", cfg!(target_feature = "fma")),
    ("lzcnt", cfg!(target_feature = "lzcnt")),
    ("movbe", cfg!(target_feature = "movbe")),
    ("xsave", cfg!(target_feature = "xsave")),
];

/// The features among `compiled` (name, compiled to use it) that the CPU, as told by `has`,
/// lacks; in `compiled`'s order.
fn missing(compiled: &[(&'static str, bool)], has: impl Fn(&str) -> bool) -> Vec<&'static str> {
    compiled
        .iter()
        .filter(|(name, used)| *used && !has(name))
        .map(|(name, _)| *name)
        .collect()
}

/// Whether this CPU has `feature` (one of [`COMPILED`]'s names), asked with CPUID.
#[cfg(target_arch = "x86_64")]
fn detected(feature: &str) -> bool {
    match feature {
        "sse3" => std::arch::is_x86_feature_detected!("sse3"),
        "ssse3" => std::arch::is_x86_feature_detected!("ssse3"),
        "sse4.1" => std::arch::is_x86_feature_detected!("sse4.1"),
        "sse4.2" => std::arch::is_x86_feature_detected!("sse4.2"),
        "popcnt" => std::arch::is_x86_feature_detected!("popcnt"),
        "cmpxchg16b" => std::arch::is_x86_feature_detected!("cmpxchg16b"),
        "avx" => std::arch::is_x86_feature_detected!("avx"),
        "avx2" => std::arch::is_x86_feature_detected!("avx2"),
        "bmi1" => std::arch::is_x86_feature_detected!("bmi1"),
        "bmi2" => std::arch::is_x86_feature_detected!("bmi2"),
        "f16c" => std::arch::is_x86_feature_detected!("f16c"),
        "fma" => std::arch::is_x86_feature_detected!("fma"),
        "lzcnt" => std::arch::is_x86_feature_detected!("lzcnt"),
        "movbe" => std::arch::is_x86_feature_detected!("movbe"),
        "xsave" => std::arch::is_x86_feature_detected!("xsave"),
        // a name this list does not know is not claimed
        _ => false,
    }
}

/// On other architectures nothing beyond the target's baseline is compiled in by chitieu's
/// builds: nothing to check.
#[cfg(not(target_arch = "x86_64"))]
fn detected(_feature: &str) -> bool {
    true
}

/// The message for a CPU that lacks `missing` (non-empty).
fn refusal(missing: &[&str]) -> String {
    format!(
        "this chitieu was built for x86-64-v3 processors (AVX2, BMI2, FMA: `cargo dist`, as \
         Python polars' wheel is), and this processor lacks {}; it would stop with \"illegal \
         instruction\". Use the portable build instead: `cargo build --release` (or `cargo \
         install --path .`), which runs on every x86-64 processor",
        missing.join(", ")
    )
}

/// `Err` with the message to print when this CPU lacks a feature the binary was compiled to
/// use; `Ok` on every CPU for the portable build.
pub fn check() -> Result<(), String> {
    let lacking = missing(&COMPILED, detected);
    if lacking.is_empty() {
        Ok(())
    } else {
        Err(refusal(&lacking))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dist build's features: x86-64-v3 as rustc lists it for `-C target-cpu=x86-64-v3`.
    fn v3() -> Vec<(&'static str, bool)> {
        COMPILED.iter().map(|(name, _)| (*name, true)).collect()
    }

    #[test]
    fn a_v3_build_on_a_cpu_without_avx2_and_bmi2_names_both() {
        // a made-up office PC: SSE4.2 and AVX, but no AVX2, BMI1/2, FMA, MOVBE (Sandy Bridge)
        let old = |f: &str| !matches!(f, "avx2" | "bmi1" | "bmi2" | "fma" | "lzcnt" | "movbe");
        assert_eq!(
            missing(&v3(), old),
            ["avx2", "bmi1", "bmi2", "fma", "lzcnt", "movbe"]
        );
        let message = refusal(&missing(&v3(), old));
        assert!(
            message.contains("lacks avx2, bmi1, bmi2, fma, lzcnt, movbe;"),
            "{message}"
        );
        assert!(message.contains("cargo build --release"), "{message}");
    }

    #[test]
    fn a_v3_build_on_a_v3_cpu_passes() {
        assert!(missing(&v3(), |_| true).is_empty());
    }

    #[test]
    fn the_portable_build_requires_nothing_even_of_a_cpu_with_nothing() {
        let portable: Vec<_> = COMPILED.iter().map(|(name, _)| (*name, false)).collect();
        assert!(missing(&portable, |_| false).is_empty());
    }

    #[test]
    fn this_binary_runs_on_the_machine_that_tests_it() {
        // the test binary is compiled like the binary under test: the CPU that runs the tests
        // has every feature it was compiled for (else this test could not even run)
        assert_eq!(check(), Ok(()));
    }
}
