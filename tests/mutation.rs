//! A seeded mutation test over the shipped files (SPEC §9, issue 14): bit flips, truncations and
//! inserted bytes in the Đồng Nai catalogue and data, and in the Lào Cai catalogue, units, tasks
//! and a 40-dossier Parquet dataset. For every mutant the library must not panic, and a run that
//! scores must not give changed scores unless chitieu read changed input: a damaged Parquet
//! file never scores differently in silence, and a text file scores differently only when its
//! cells (CSV) or its TOML values differ from the original's. The library is driven directly (a
//! debug binary per case would take minutes).

// test code: a panic is the failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

use polars::prelude::{CsvReadOptions, DataFrame, SerReader};

use chitieu::score::{admit, run, RunOptions};
use chitieu::{load_data, Period};

/// How many mutants are scored (each a few milliseconds to a few tenths of a second in a debug
/// build).
const CASES: usize = 400;
const SEED: u64 = 0x1414_2026;

/// What a run of the pipeline gave: refused (an error diagnostic, exit 1 or 2), or the
/// scorecard.json it would write.
#[derive(Debug, PartialEq)]
enum Outcome {
    Refused,
    Scored(String),
}

/// `chitieu score --period P` up to the scorecard, through the library's one pipeline
/// (`chitieu::score::run`): definitions, data, the fused scans, values, scores. Refused where the
/// command exits 1 or 2; what may be scored is the library's decision (`chitieu::score::admit`).
fn score(cat: &Path, data: &Path, period: Period) -> Outcome {
    let Ok(loaded) = chitieu::check(cat) else {
        return Outcome::Refused;
    };
    if loaded.diagnostics.iter().any(|d| d.is_error()) {
        return Outcome::Refused;
    }
    let c = &loaded.catalogue;
    let Some(data) = admit(load_data(data, c)).data else {
        return Outcome::Refused;
    };
    let options = RunOptions {
        period: Some(period),
        ..RunOptions::default()
    };
    match run(c, &data, &options).map(|card| chitieu::report::json(&card)) {
        Ok(Ok(bytes)) => Outcome::Scored(String::from_utf8_lossy(&bytes).into_owned()),
        _ => Outcome::Refused,
    }
}

/// One shipped scoring context copied into a temporary directory: `cat/` and `data/`.
struct Context {
    name: &'static str,
    period: Period,
    /// (source, path under the temporary directory)
    files: Vec<(PathBuf, &'static str)>,
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn contexts() -> Vec<Context> {
    vec![
        Context {
            name: "dong-nai",
            period: Period::Month(2025, 10),
            files: vec![
                (
                    repo("indicators/dong-nai-skhcn-2025/catalogue.toml"),
                    "cat/catalogue.toml",
                ),
                (
                    repo("indicators/dong-nai-skhcn-2025/indicators.toml"),
                    "cat/indicators.toml",
                ),
                (repo("data/dong-nai-skhcn-2025/units.csv"), "data/units.csv"),
                (
                    repo("data/dong-nai-skhcn-2025/reported.csv"),
                    "data/reported.csv",
                ),
            ],
        },
        Context {
            name: "lao-cai",
            period: Period::Year(2026),
            files: vec![
                (
                    repo("indicators/lao-cai-2026-2030/catalogue.toml"),
                    "cat/catalogue.toml",
                ),
                (
                    repo("indicators/lao-cai-2026-2030/indicators.toml"),
                    "cat/indicators.toml",
                ),
                (
                    repo("indicators/lao-cai-2026-2030/tasks.toml"),
                    "cat/tasks.toml",
                ),
                (repo("data/lao-cai/units.csv"), "data/units.csv"),
                (repo("data/lao-cai/tasks.csv"), "data/tasks.csv"),
                (
                    repo("tests/fixtures/corrupt/ho_so-40.parquet"),
                    "data/ho_so.parquet",
                ),
            ],
        },
    ]
}

/// xorshift64*: the same mutants on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

#[derive(Debug, Clone, Copy)]
enum Mutation {
    /// Flip bits of one byte.
    Flip { at: usize, mask: u8 },
    /// Keep the first `len` bytes.
    Truncate { len: usize },
    /// Insert a byte.
    Insert { at: usize, byte: u8 },
}

impl Mutation {
    fn pick(rng: &mut Rng, len: usize) -> Mutation {
        // bytes that change the structure of CSV and TOML as well as random ones
        const STRUCTURAL: &[u8] = b",;\"'\n\r=[]{}#.-0123456789 \t\xc3\x00\xff";
        match rng.below(3) {
            0 => Mutation::Flip {
                at: rng.below(len),
                mask: 1 << rng.below(8),
            },
            1 => Mutation::Truncate {
                len: rng.below(len),
            },
            _ => Mutation::Insert {
                at: rng.below(len + 1),
                byte: if rng.below(2) == 0 {
                    STRUCTURAL[rng.below(STRUCTURAL.len())]
                } else {
                    rng.next() as u8
                },
            },
        }
    }

    fn apply(self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        match self {
            Mutation::Flip { at, mask } => {
                if let Some(b) = out.get_mut(at) {
                    *b ^= mask;
                }
            }
            Mutation::Truncate { len } => out.truncate(len),
            Mutation::Insert { at, byte } => out.insert(at.min(out.len()), byte),
        }
        out
    }
}

/// Whether chitieu reads `mutated` differently from `original`: other cells for a CSV file
/// ([`csv_cells`]), other TOML values for a definition file. A Parquet file is never a
/// legitimate edit here.
fn reads_differently(name: &str, original: &[u8], mutated: &[u8]) -> bool {
    if name.ends_with(".toml") {
        let value = |b: &[u8]| {
            std::str::from_utf8(b)
                .ok()
                .and_then(|t| t.parse::<toml::Table>().ok())
        };
        return value(original) != value(mutated);
    }
    if name.ends_with(".csv") {
        return match (csv_cells(original), csv_cells(mutated)) {
            (Some(a), Some(b)) => !a.equals_missing(&b),
            (a, b) => a.is_some() != b.is_some(),
        };
    }
    false
}

/// The cells of a CSV file as chitieu's table reader takes them from polars (src/data/table.rs:
/// UTF-8 text, a byte-order mark dropped, no header row, every cell text), before it normalises
/// the header names; `None` where that reader refuses the file. Finer than chitieu's reading, so
/// a mutation counted as a change here may be one chitieu reads alike, never the reverse: the
/// test may allow a changed score it need not, but never asserts an unchanged one wrongly.
fn csv_cells(bytes: &[u8]) -> Option<DataFrame> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).ok()?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Some(DataFrame::empty());
    }
    CsvReadOptions::default()
        .with_has_header(false)
        .with_infer_schema_length(Some(0))
        .with_raise_if_empty(false)
        .into_reader_with_file_handle(std::io::Cursor::new(bytes.to_vec()))
        .finish()
        .ok()
}

#[test]
fn mutated_shipped_files_never_panic_nor_score_silently_wrong() {
    let started = std::time::Instant::now();
    let mut rng = Rng(SEED);
    let contexts = contexts();
    let mut baselines = Vec::new();
    let dirs: Vec<tempfile::TempDir> = contexts
        .iter()
        .map(|ctx| {
            let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
            for (from, to) in &ctx.files {
                let path = dir.path().join(to);
                std::fs::create_dir_all(path.parent().unwrap_or(dir.path()))
                    .unwrap_or_else(|e| panic!("{e}"));
                std::fs::copy(from, &path).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
            }
            dir
        })
        .collect();
    for (ctx, dir) in contexts.iter().zip(&dirs) {
        let baseline = score(
            &dir.path().join("cat"),
            &dir.path().join("data"),
            ctx.period,
        );
        assert!(
            matches!(baseline, Outcome::Scored(_)),
            "{}: the shipped files do not score",
            ctx.name
        );
        baselines.push(baseline);
    }
    let (mut refused, mut same, mut edited) = (0, 0, 0);
    for case in 0..CASES {
        let which = rng.below(contexts.len());
        let (ctx, dir) = (&contexts[which], &dirs[which]);
        let (source, name) = &ctx.files[rng.below(ctx.files.len())];
        let original = std::fs::read(source).unwrap_or_else(|e| panic!("{e}"));
        let mutation = Mutation::pick(&mut rng, original.len());
        let mutated = mutation.apply(&original);
        let target = dir.path().join(name);
        std::fs::write(&target, &mutated).unwrap_or_else(|e| panic!("{e}"));
        let what = format!("case {case}: {} {name} {mutation:?}", ctx.name);
        let outcome = std::panic::catch_unwind(|| {
            score(
                &dir.path().join("cat"),
                &dir.path().join("data"),
                ctx.period,
            )
        })
        .unwrap_or_else(|_| panic!("{what}: panicked"));
        match &outcome {
            Outcome::Refused => refused += 1,
            scored if *scored == baselines[which] => same += 1,
            Outcome::Scored(_) => {
                assert!(
                    reads_differently(name, &original, &mutated),
                    "{what}: scores changed, exit 0, though chitieu read the same input"
                );
                edited += 1;
            }
        }
        std::fs::write(&target, &original).unwrap_or_else(|e| panic!("{e}"));
    }
    eprintln!(
        "{CASES} mutants in {:.1} s: {refused} refused, {same} scored as the original, \
         {edited} scored differently as valid edits",
        started.elapsed().as_secs_f64()
    );
    // the test is not vacuous: mutants are refused, and some are harmless
    assert!(refused > CASES / 10, "{refused} refused");
    assert!(same > 0);
}
