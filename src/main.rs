//! The `chitieu` binary: parses the command line with clap and calls the library. Nothing else.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use chitieu::check::Format;
use chitieu::commands::{self, check::CheckOptions, explain::ExplainOptions, score::ScoreOptions};
use chitieu::project::{Lang, Project};

/// jemalloc, as in Python polars: lower peak memory and faster allocation than glibc malloc
/// (README "Performance").
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (before `main`, so not settable from it): one arena,
/// and pages freed during the run kept for reuse instead of handed back to the system. A run is
/// one short job; with the defaults, jemalloc returned pages that polars' next morsels faulted
/// back in — a second of system time (page faults, TLB shootdowns) on 50M national dossiers,
/// and 0.45 s of wall time. The peak is the high-water mark of live memory either way (it went
/// from 408 to 433 MB there). `_RJEM_MALLOC_CONF` in the environment overrides these.
#[export_name = "_rjem_malloc_conf"]
pub static MALLOC_CONF: &[u8; 28] = b"narenas:1,dirty_decay_ms:-1\0";

#[derive(Parser)]
#[command(
    name = "chitieu",
    version,
    about = "KPI computation and validation for Vietnamese public-sector plans"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check catalogues of indicator and task definitions (every problem, with file, line, column)
    Check {
        /// Catalogue directories (default: every catalogue under indicators/)
        paths: Vec<PathBuf>,
        /// Also check a data directory (units.csv, reported.csv, tasks.csv, datasets) against the catalogue
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = FormatArg::Human)]
        format: FormatArg,
        /// Exit with status 1 on warnings too
        #[arg(long)]
        deny_warnings: bool,
        /// Print the documentation of a diagnostic code (e.g. E121) and exit
        #[arg(long, value_name = "CODE")]
        explain: Option<String>,
    },
    /// Score a catalogue against data for a period and write the scorecard (JSON, CSV)
    Score {
        /// Catalogue directory (default: chitieu.toml's `catalogue`)
        #[arg(long)]
        catalogue: Option<PathBuf>,
        /// Data directory (default: chitieu.toml's `data`)
        #[arg(long)]
        data: Option<PathBuf>,
        /// Period: 2026, 2026-Q2 or 2026-06 (default: the latest period in the data)
        #[arg(long)]
        period: Option<String>,
        /// As-of date for tasks (default: the last day of the period)
        #[arg(long)]
        as_of: Option<String>,
        /// Year to date: aggregate from the start of the period's year (lũy kế từ đầu năm)
        #[arg(long)]
        cumulative: bool,
        /// Output directory (default: chitieu.toml's `out`, else out/)
        #[arg(long)]
        out: Option<PathBuf>,
        #[arg(long, value_enum)]
        lang: Option<Lang>,
        /// Skip the charts (faster; report.html then has none)
        #[arg(long)]
        no_charts: bool,
        /// Print scorecard.json instead of the league table
        #[arg(long, value_enum, default_value_t = ScoreFormat::Human)]
        format: ScoreFormat,
        /// Score from partial aggregates (CSV / Parquet files from `chitieu sql`) in DIR instead of the datasets' records
        #[arg(long, value_name = "DIR")]
        partials: Option<PathBuf>,
    },
    /// Explain an indicator (definition, target in force per year, measure) or a task (deadline)
    Explain {
        /// Indicator or task id
        id: String,
        /// Catalogue directory (default: chitieu.toml's catalogue, else every catalogue under indicators/)
        #[arg(long)]
        catalogue: Option<PathBuf>,
        /// Data directory whose dataset files show the optimized fused plan (default: chitieu.toml's data)
        #[arg(long)]
        data: Option<PathBuf>,
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// Print the aggregation of each dataset as SQL for another engine (partials for score --partials)
    Sql {
        /// The engine: spark (Spark SQL 3.0 or newer) or duckdb
        #[arg(long, value_enum)]
        dialect: chitieu::eval::dialect::Dialect,
        /// Catalogue directory (default: chitieu.toml's `catalogue`)
        #[arg(long)]
        catalogue: Option<PathBuf>,
    },
    /// Generate the synthetic data shipped in data/ (deterministic for a seed)
    #[command(hide = true)]
    Generate {
        /// Which data set: lao-cai | national
        which: String,
        #[arg(long)]
        out: PathBuf,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Number of dossier records
        #[arg(long, default_value_t = 300_000)]
        dossiers: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ScoreFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Human,
    Json,
    Github,
}

/// Groups polars' streaming group-by keeps in its hot table before evicting partial aggregates.
/// Its default (4,096) is far below the (unit, month) groups of a national run (49,000), and the
/// evicted partials then grow with the rows: 1.4 GB at 200M dossiers, 0.7 GB with this size.
const HOT_TABLE_SIZE: &str = "262144";

/// Runs the command; a panic of a library below chitieu that no caller caught ends as an error
/// with exit 1 (SPEC §9: no input makes chitieu panic), not exit 101 and a backtrace notice.
fn main() -> ExitCode {
    chitieu::guard::quiet_panics();
    match chitieu::guard::catch(run) {
        Ok(code) => code,
        Err(message) => {
            let _ = writeln!(
                std::io::stderr(),
                "error: chitieu could not finish: a library it uses failed ({message}); the \
                 inputs may be damaged"
            );
            ExitCode::from(commands::EXIT_ERRORS)
        }
    }
}

fn run() -> ExitCode {
    // set before any thread starts (polars reads it when it builds a group-by); a value in the
    // environment wins
    if std::env::var_os("POLARS_HOT_TABLE_SIZE").is_none() {
        std::env::set_var("POLARS_HOT_TABLE_SIZE", HOT_TABLE_SIZE);
    }
    let cli = Cli::parse();
    let project = match Project::load(std::path::Path::new(".")) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(commands::EXIT_USAGE);
        }
    };
    // unlocked handles: each write takes the lock briefly, so that other threads (polars' verbose
    // log, the progress bar, CHITIEU_TIMINGS) can write to stderr during a run
    let (mut out, mut err) = (std::io::stdout(), std::io::stderr());
    let status = match cli.command {
        Command::Check {
            explain: Some(code),
            ..
        } => commands::check::explain_code(&code, &mut out, &mut err),
        Command::Check {
            paths,
            data,
            format,
            deny_warnings,
            explain: None,
        } => {
            let format = match format {
                FormatArg::Human => Format::Human,
                FormatArg::Json => Format::Json,
                FormatArg::Github => Format::Github,
            };
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            commands::check::run(
                &CheckOptions {
                    paths,
                    data,
                    format,
                    deny_warnings,
                    color,
                },
                &mut out,
                &mut err,
            )
        }
        Command::Score {
            catalogue,
            data,
            period,
            as_of,
            cumulative,
            out: out_dir,
            lang,
            format,
            partials,
            no_charts,
        } => {
            let (Some(catalogue), Some(data)) =
                (catalogue.or(project.catalogue), data.or(project.data))
            else {
                let _ = writeln!(
                    err,
                    "error: give --catalogue and --data, or set them in chitieu.toml"
                );
                return ExitCode::from(commands::EXIT_USAGE);
            };
            let opts = ScoreOptions {
                catalogue,
                data,
                period,
                as_of,
                cumulative,
                out: out_dir
                    .or(project.out)
                    .unwrap_or_else(|| PathBuf::from("out")),
                lang: lang.or(project.lang).unwrap_or_default(),
                json: format == ScoreFormat::Json,
                color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
                partials,
                charts: !no_charts,
                progress: std::io::stderr().is_terminal(),
            };
            commands::score::run(&opts, &mut out, &mut err)
        }
        Command::Explain {
            id,
            catalogue,
            data,
            lang,
        } => {
            let explicit = catalogue.is_some();
            let opts = ExplainOptions {
                id,
                data: data.or(if explicit { None } else { project.data }),
                catalogue: catalogue.or(project.catalogue),
                lang: lang.or(project.lang).unwrap_or_default(),
            };
            commands::explain::run(&opts, &mut out, &mut err)
        }
        Command::Sql { dialect, catalogue } => {
            let Some(catalogue) = catalogue.or(project.catalogue) else {
                let _ = writeln!(err, "error: give --catalogue, or set it in chitieu.toml");
                return ExitCode::from(commands::EXIT_USAGE);
            };
            let opts = commands::sql::SqlOptions {
                catalogue,
                dialect,
                color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            commands::sql::run(&opts, &mut out, &mut err)
        }
        Command::Generate {
            which,
            out: dir,
            seed,
            dossiers,
        } => match chitieu::generate::run(&which, &dir, seed, dossiers) {
            Ok(summary) => {
                let _ = writeln!(out, "{summary}");
                commands::EXIT_OK
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                commands::EXIT_USAGE
            }
        },
    };
    ExitCode::from(status)
}
