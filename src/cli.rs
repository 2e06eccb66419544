//! The `chitieu` command line: its arguments (clap), each command called with them over
//! chitieu.toml's defaults, and the exit status. What `src/main.rs` runs once its process-wide
//! settings are made; the commands themselves are the crate's (`commands`), not part of the API.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::Format;
use crate::commands::{
    self, check::CheckOptions, explain::ExplainOptions, score::ScoreOptions, Named,
};
use crate::generate;
use crate::project::{Lang, Project};

/// Runs the `chitieu` program: parses the command line, runs its command and returns the exit
/// status (0 success, 1 errors found, 2 usage or I/O error, 3 an alert with `digest --fail-on`).
/// `settings` is the outcome of the process-wide settings `main` made before any thread
/// started; its error is reported (exit 2) once the command line is parsed.
///
/// A panic of a library below chitieu that no caller caught ends as an error with exit 1
/// (SPEC §9: no input makes chitieu panic), not exit 101 and a backtrace notice (`main` sets a
/// panic hook that prints nothing, so that only this message is seen).
pub fn run(settings: Result<(), String>) -> ExitCode {
    match crate::guard::catch(|| start(settings)) {
        Ok(code) => code,
        Err(message) => {
            let written = writeln!(
                std::io::stderr(),
                "error: chitieu could not finish: a library it uses failed ({message}); the \
                 inputs may be damaged"
            );
            // a message that could not be written is an I/O failure (exit 2), as everywhere else
            match written {
                Ok(()) => ExitCode::from(commands::EXIT_ERRORS),
                Err(_) => ExitCode::from(commands::EXIT_USAGE),
            }
        }
    }
}

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
    Score(ScoreArgs),
    /// List the snapshots of the history, or one unit's series (SPEC §10.1)
    History {
        /// History directory (default: chitieu.toml's `history`)
        #[arg(long)]
        history: Option<PathBuf>,
        /// Only this catalogue's snapshots (default: every catalogue in the history)
        #[arg(long)]
        catalogue: Option<PathBuf>,
        /// Print this unit's total and rank over the snapshots
        #[arg(long, value_name = "ID")]
        unit: Option<String>,
        /// Record the portal's published figures of DATA_DIR (published.csv of `chitieu import`) as snapshots, then list
        #[arg(long, value_name = "DATA_DIR")]
        add_published: Option<PathBuf>,
        #[arg(long, value_enum)]
        lang: Option<Lang>,
    },
    /// The morning message from the history: headline, alerts, largest falls (SPEC §10.4)
    Digest(DigestArgs),
    /// Explain an indicator (definition, target in force per year, measure), a task (deadline)
    /// or a report obligation (due rule)
    Explain {
        /// Indicator, task or report id
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
        dialect: crate::eval::dialect::Dialect,
        /// Catalogue directory (default: chitieu.toml's `catalogue`)
        #[arg(long)]
        catalogue: Option<PathBuf>,
    },
    /// Write one XLSX form per unit for a period: the indicators it reports, with input cells
    Form(FormArgs),
    /// Read returned forms in DIR and merge their figures into reported.csv and submissions.csv
    Collect(CollectArgs),
    /// Import a scoreboard's own published data into a data directory (SPEC §11)
    Import {
        #[command(subcommand)]
        source: ImportSource,
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
        /// national: the dossiers of a day by unit (day-unit, the default) or in receipt order,
        /// units interleaved (interleaved, as real exports are; what benchmarks use)
        #[arg(long)]
        order: Option<String>,
    },
}

/// The arguments of `chitieu collect`.
#[derive(Args)]
struct CollectArgs {
    /// Directory of the returned forms (*.xlsx)
    dir: PathBuf,
    /// Data directory that receives the figures (default: chitieu.toml's `data`)
    #[arg(long)]
    data: Option<PathBuf>,
    /// Catalogue directory (default: chitieu.toml's `catalogue`)
    #[arg(long)]
    catalogue: Option<PathBuf>,
    /// Replace existing rows whose figures differ from the form's (default: refuse)
    #[arg(long)]
    replace: bool,
    /// The day the forms were received, written as submitted_on (default: today)
    #[arg(long, value_name = "DATE")]
    received: Option<String>,
    /// Accept forms without a valid checksum (written before chitieu signed its forms)
    #[arg(long)]
    trust_unsigned: bool,
    /// The most a returned form may inflate to, in MB
    #[arg(long, value_name = "MB", default_value_t = 200)]
    max_form_mb: u64,
}

/// The arguments of `chitieu form`.
#[derive(Args)]
struct FormArgs {
    /// Period: 2026, 2026-Q2 or 2026-06
    #[arg(long)]
    period: String,
    /// Only this unit (id of units.csv)
    #[arg(long, conflicts_with = "level")]
    unit: Option<String>,
    /// Only the units of this level (level of units.csv)
    #[arg(long)]
    level: Option<String>,
    /// Directory of the forms (default: forms/)
    #[arg(long)]
    out: Option<PathBuf>,
    /// Catalogue directory (default: chitieu.toml's `catalogue`)
    #[arg(long)]
    catalogue: Option<PathBuf>,
    /// Data directory: units and last period's values (default: chitieu.toml's `data`)
    #[arg(long)]
    data: Option<PathBuf>,
}

/// The arguments of `chitieu digest`.
#[derive(Args)]
struct DigestArgs {
    /// History directory (default: chitieu.toml's `history`)
    #[arg(long)]
    history: Option<PathBuf>,
    /// Catalogue directory, for its alerts and names (default: chitieu.toml's `catalogue`)
    #[arg(long)]
    catalogue: Option<PathBuf>,
    /// The latest snapshot on or before this date (default: the latest)
    #[arg(long, value_name = "DATE")]
    as_of: Option<String>,
    #[arg(long, value_enum, default_value_t = DigestFormat::Text)]
    format: DigestFormat,
    /// Largest falls listed for a level (default 3 per level), e.g. --limit so=3 --limit xa=10
    #[arg(long, value_name = "LEVEL=N")]
    limit: Vec<String>,
    /// Exit with status 3 when an alert of this severity or worse fired (for schedulers)
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    #[arg(long, value_enum)]
    lang: Option<Lang>,
}

/// The arguments of `chitieu score`.
#[derive(Args)]
struct ScoreArgs {
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
    /// Write report.html and scorecard.xlsx of this unit and its descendants, ranked among the whole run's peers (JSON and CSV stay the whole run's)
    #[arg(long, value_name = "UNIT", conflicts_with = "focus_level")]
    focus: Option<String>,
    /// Write OUT/<unit>/report.html and scorecard.xlsx for every unit of this level, each with its descendants
    #[arg(long, value_name = "LEVEL")]
    focus_level: Option<String>,
    /// Record this run's snapshot in the history DIR and show the change since the previous one (default: chitieu.toml's `history`)
    #[arg(long, value_name = "DIR", conflicts_with = "no_history")]
    history: Option<PathBuf>,
    /// Record no snapshot, even when chitieu.toml names a history
    #[arg(long)]
    no_history: bool,
    /// Also show the change since the snapshot closest to DATE, or N days before (7d)
    #[arg(long, value_name = "DATE|Nd")]
    since: Option<String>,
}

#[derive(Subcommand)]
enum ImportSource {
    /// The national portal's Bộ chỉ số 766 responses (evaluation API, daily snapshot files)
    Portal766 {
        /// Response files, or directories of them (*.json, at any depth)
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// The data directory to write (units.csv, reported.csv, published.csv)
        #[arg(long)]
        out: PathBuf,
        /// Period of responses that do not say it (the portal's own): 2026, 2026-Q3 or 2026-08
        #[arg(long)]
        period: Option<String>,
        /// Snapshot day of responses that do not say it (the day they were captured)
        #[arg(long, value_name = "DATE")]
        as_of: Option<String>,
        /// Replace the data of a directory that has some (default: refuse)
        #[arg(long)]
        replace: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DigestFormat {
    Text,
    Markdown,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Do,
    Vang,
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

/// The command line parsed and its command run, with standard output flushed.
fn start(settings: Result<(), String>) -> ExitCode {
    let cli = Cli::parse();
    // unlocked handles: each write takes the lock briefly, so that other threads (polars' verbose
    // log, the progress bar, CHITIEU_TIMINGS) can write to stderr during a run
    let mut out = Named {
        name: "standard output",
        inner: std::io::stdout(),
    };
    let mut err = Named {
        name: "standard error",
        inner: std::io::stderr(),
    };
    if let Err(message) = settings {
        let written = writeln!(err, "error: {message}").map(|()| commands::EXIT_USAGE);
        return ExitCode::from(commands::finish(written, &mut err));
    }
    let status = commands::finish(dispatch(cli, &mut out, &mut err), &mut err);
    // stdout is buffered by line: what is left is written now, and a failure is an I/O error
    let status = match out.flush() {
        Ok(()) => status,
        Err(e) => commands::finish(Err(e), &mut err),
    };
    ExitCode::from(status)
}

/// The test hook of collect's commit: `CHITIEU_TEST_ABORT_AT=<step>` (`staged`, `journaled`,
/// `first-applied`, `applied`) ends the process at that step with exit code 86 and no destructor
/// run, as a kill would (without a core dump) — how
/// tests/commit.rs proves that a crash at any point is recovered. Read here only; never set by
/// a user.
fn commit_hook() -> Option<crate::data::commit::StepHook> {
    static ABORT_AT: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    ABORT_AT.get_or_init(|| std::env::var("CHITIEU_TEST_ABORT_AT").ok());
    fn abort_at(step: crate::data::commit::Step) {
        if ABORT_AT.get().and_then(|s| s.as_deref()) == Some(step.name()) {
            std::process::exit(86);
        }
    }
    ABORT_AT
        .get()
        .and_then(|s| s.as_ref())
        .map(|_| abort_at as fn(_))
}

/// `chitieu score`: its arguments over chitieu.toml's defaults, then the command.
fn score(
    args: ScoreArgs,
    project: &Project,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let Some((catalogue, data)) = both_given(args.catalogue, args.data, project, err)? else {
        return Ok(commands::EXIT_USAGE);
    };
    let opts = ScoreOptions {
        catalogue,
        data,
        period: args.period,
        as_of: args.as_of,
        cumulative: args.cumulative,
        out: (args.out)
            .or(project.out.clone())
            .unwrap_or_else(|| PathBuf::from("out")),
        lang: args.lang.or(project.lang).unwrap_or_default(),
        json: args.format == ScoreFormat::Json,
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        partials: args.partials,
        charts: !args.no_charts,
        progress: std::io::stderr().is_terminal(),
        // wall time of each step on stderr, for profiling (README "Performance")
        timings: std::env::var_os("CHITIEU_TIMINGS").is_some(),
        focus: match (args.focus, args.focus_level) {
            (Some(unit), _) => Some(crate::score::FocusOn::Unit(unit)),
            (None, Some(level)) => Some(crate::score::FocusOn::Level(level)),
            (None, None) => None,
        },
        history: if args.no_history {
            None
        } else {
            args.history.or(project.history.clone())
        },
        since: args.since,
    };
    Ok(commands::score::run(&opts, out, err))
}

/// `chitieu digest`: its arguments over chitieu.toml's defaults, then the command.
fn digest(
    args: DigestArgs,
    project: &Project,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let Some(history) = history_given(args.history.or(project.history.clone()), err)? else {
        return Ok(commands::EXIT_USAGE);
    };
    let Some(catalogue) = args.catalogue.or(project.catalogue.clone()) else {
        writeln!(
            err,
            "error: give --catalogue DIR, or set `catalogue` in chitieu.toml"
        )?;
        return Ok(commands::EXIT_USAGE);
    };
    let opts = commands::digest::DigestCommand {
        history,
        catalogue,
        as_of: args.as_of,
        format: match args.format {
            DigestFormat::Text => commands::digest::Format::Text,
            DigestFormat::Markdown => commands::digest::Format::Markdown,
            DigestFormat::Json => commands::digest::Format::Json,
        },
        limits: args.limit,
        fail_on: args.fail_on.map(|f| match f {
            FailOn::Do => crate::definition::alert::Severity::Do,
            FailOn::Vang => crate::definition::alert::Severity::Vang,
        }),
        lang: args.lang.or(project.lang).unwrap_or_default(),
    };
    Ok(commands::digest::run(&opts, out, err))
}

/// `chitieu form`: its arguments over chitieu.toml's defaults, then the command.
fn form(
    args: FormArgs,
    project: &Project,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let Some((catalogue, data)) = both_given(args.catalogue, args.data, project, err)? else {
        return Ok(commands::EXIT_USAGE);
    };
    let selection = match (args.unit, args.level) {
        (Some(u), _) => crate::forms::Selection::Unit(u),
        (None, Some(l)) => crate::forms::Selection::Level(l),
        (None, None) => crate::forms::Selection::All,
    };
    let opts = commands::form::FormOptions {
        catalogue,
        data,
        period: args.period,
        selection,
        out: args.out.unwrap_or_else(|| PathBuf::from("forms")),
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Ok(commands::form::run(&opts, out, err))
}

/// `chitieu collect`: its arguments over chitieu.toml's defaults, then the command.
fn collect(
    args: CollectArgs,
    project: &Project,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let Some((catalogue, data)) = both_given(args.catalogue, args.data, project, err)? else {
        return Ok(commands::EXIT_USAGE);
    };
    let opts = commands::collect::CollectCommand {
        forms: args.dir,
        catalogue,
        data,
        replace: args.replace,
        received: args.received,
        trust_unsigned: args.trust_unsigned,
        max_form_mb: args.max_form_mb,
        hook: commit_hook(),
        color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
    };
    Ok(commands::collect::run(&opts, out, err))
}

/// The catalogue and data directories of a command (its options, else chitieu.toml's), or `None`
/// after saying on `err` that one is missing.
fn both_given(
    catalogue: Option<PathBuf>,
    data: Option<PathBuf>,
    project: &Project,
    err: &mut dyn Write,
) -> std::io::Result<Option<(PathBuf, PathBuf)>> {
    let catalogue = catalogue.or_else(|| project.catalogue.clone());
    let data = data.or_else(|| project.data.clone());
    match (catalogue, data) {
        (Some(catalogue), Some(data)) => Ok(Some((catalogue, data))),
        _ => {
            writeln!(
                err,
                "error: give --catalogue and --data, or set them in chitieu.toml"
            )?;
            Ok(None)
        }
    }
}

/// The history directory of a command (its option, else chitieu.toml's), or `None` after saying
/// on `err` that none is set.
fn history_given(
    history: Option<PathBuf>,
    err: &mut dyn Write,
) -> std::io::Result<Option<PathBuf>> {
    if history.is_none() {
        writeln!(
            err,
            "error: give --history DIR, or set `history` in chitieu.toml"
        )?;
    }
    Ok(history)
}

/// Runs the command; the error is a failed write to `out` or `err`.
fn dispatch(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let project = match Project::load(std::path::Path::new(".")) {
        Ok(p) => p,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(commands::EXIT_USAGE);
        }
    };
    let status = match cli.command {
        Command::Check {
            explain: Some(code),
            ..
        } => commands::check::explain_code(&code, out, err),
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
                out,
                err,
            )
        }
        Command::Score(args) => score(args, &project, out, err)?,
        Command::History {
            history,
            catalogue,
            unit,
            add_published,
            lang,
        } => {
            let Some(history) = history_given(history.or(project.history.clone()), err)? else {
                return Ok(commands::EXIT_USAGE);
            };
            let opts = commands::history::HistoryOptions {
                history,
                catalogue: catalogue.or(if add_published.is_some() {
                    project.catalogue.clone()
                } else {
                    None
                }),
                unit,
                add_published,
                lang: lang.or(project.lang).unwrap_or_default(),
            };
            commands::history::run(&opts, out, err)
        }
        Command::Digest(args) => digest(args, &project, out, err)?,
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
            commands::explain::run(&opts, out, err)
        }
        Command::Sql { dialect, catalogue } => {
            let Some(catalogue) = catalogue.or(project.catalogue) else {
                writeln!(err, "error: give --catalogue, or set it in chitieu.toml")?;
                return Ok(commands::EXIT_USAGE);
            };
            let opts = commands::sql::SqlOptions {
                catalogue,
                dialect,
                color: std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            commands::sql::run(&opts, out, err)
        }
        Command::Form(args) => form(args, &project, out, err)?,
        Command::Collect(args) => collect(args, &project, out, err)?,
        Command::Import {
            source:
                ImportSource::Portal766 {
                    inputs,
                    out: dir,
                    period,
                    as_of,
                    replace,
                },
        } => commands::import::run(
            &commands::import::ImportOptions {
                inputs,
                out: dir,
                period,
                as_of,
                replace,
            },
            out,
            err,
        ),
        Command::Generate {
            which,
            out: dir,
            seed,
            dossiers,
            order,
        } => match generate::run(&which, &dir, seed, dossiers, order.as_deref()) {
            Ok(summary) => {
                writeln!(out, "{summary}")?;
                commands::EXIT_OK
            }
            Err(e) => {
                writeln!(err, "error: {e}")?;
                commands::EXIT_USAGE
            }
        },
    };
    Ok(status)
}
