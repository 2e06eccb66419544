//! `chitieu score`: check definitions and data, run the fused scans, score, write the outputs
//! atomically and print a short league table. Nothing is written when anything is wrong.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_definitions, render, Code, Diagnostic, Format};
use crate::data::{load_data, Grain, Period};
use crate::eval::fused;
use crate::eval::values::Values;
use crate::project::Lang;
use crate::score::scorecard::{build, RunSpec, Scorecard};

#[derive(Debug, Clone)]
pub struct ScoreOptions {
    pub catalogue: PathBuf,
    pub data: PathBuf,
    pub period: Option<String>,
    pub as_of: Option<String>,
    pub cumulative: bool,
    pub out: PathBuf,
    pub lang: Lang,
    pub json: bool,
    pub color: bool,
    /// Render charts (SPEC §7.2); `--no-charts` skips them for speed.
    pub charts: bool,
    /// Show progress on stderr (when it is a terminal).
    pub progress: bool,
    /// Score from partial aggregates (CSV / Parquet files of the partial table, see `chitieu
    /// sql`) in this directory instead of the datasets' records, which are then not read.
    pub partials: Option<PathBuf>,
}

pub fn run(opts: &ScoreOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let l = |vi, en| opts.lang.pick(vi, en);
    let progress = if opts.progress {
        let bar = indicatif::ProgressBar::new(6);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} [{pos}/{len}] {msg} {elapsed}")
        {
            bar.set_style(style);
        }
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    progress.set_message(l("kiểm tra định nghĩa", "checking definitions"));
    let status = run_steps(opts, out, err, &progress);
    progress.finish_and_clear();
    status
}

fn run_steps(
    opts: &ScoreOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: &indicatif::ProgressBar,
) -> u8 {
    let l = |vi, en| opts.lang.pick(vi, en);
    if let Some(clash) = crate::project::output_clash(&opts.out, &opts.data, &opts.catalogue) {
        let _ = writeln!(err, "error: {clash}");
        return EXIT_USAGE;
    }
    let mut timings = Timings::from_env();
    let loaded = match check_definitions(&opts.catalogue) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return EXIT_USAGE;
        }
    };
    let mut sources = loaded.sources.clone();
    let def_errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !def_errors.is_empty() {
        for d in &def_errors {
            let _ = writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color));
        }
        let _ = writeln!(
            err,
            "error: the catalogue has {} error(s); nothing was scored (see `chitieu check`)",
            def_errors.len()
        );
        return EXIT_ERRORS;
    }
    let c = &loaded.catalogue;
    if !opts.data.is_dir() {
        let _ = writeln!(
            err,
            "error: data directory {} does not exist",
            opts.data.display()
        );
        return EXIT_USAGE;
    }
    timings.lap("definitions", err);
    progress.inc(1);
    progress.set_message(l("đọc dữ liệu", "reading data"));
    // with --partials the record files are not needed, nor looked for
    let load = match &opts.partials {
        Some(_) => load_data(
            &opts.data,
            &crate::definition::Catalogue {
                datasets: Vec::new(),
                ..c.clone()
            },
        ),
        None => load_data(&opts.data, c),
    };
    crate::check::add_csv_sources(&load.diagnostics, &mut sources);
    let mut blocking = Vec::new();
    for d in &load.diagnostics {
        if d.code == Code::E302 {
            // an error of `check`, a warning of a score run, which leaves the row out (SPEC §5.2)
            let excluded = Diagnostic {
                label: if d.label.is_empty() {
                    "row excluded from the scores".to_string()
                } else {
                    format!("{} (row excluded from the scores)", d.label)
                },
                ..d.clone()
            };
            let text = render(&excluded, &sources, Format::Human, false);
            let _ = writeln!(err, "{}", text.replacen("error[E302]", "warning[E302]", 1));
        } else if d.is_error() {
            blocking.push(d);
        } else {
            let _ = writeln!(err, "{}", render(d, &sources, Format::Human, opts.color));
        }
    }
    let Some(data) = load.data.filter(|_| blocking.is_empty()) else {
        for d in &blocking {
            let _ = writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color));
        }
        let _ = writeln!(
            err,
            "error: the data has {} error(s); nothing was written",
            blocking.len().max(1)
        );
        return EXIT_ERRORS;
    };
    let requested = match &opts.period {
        Some(text) => match Period::parse(text) {
            Some(p) => Some(p),
            None => {
                let _ = writeln!(
                    err,
                    "error: invalid --period \"{text}\"; write 2026, 2026-Q2 or 2026-06"
                );
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    let until = requested.map_or(
        NaiveDate::from_ymd_opt(2100, 12, 31).unwrap_or(NaiveDate::MAX),
        Period::end,
    );
    // a scored year needs only yearly sums (its forecast series and baselines are years too):
    // the scan groups records by the grain of the period, by month when none is given
    let grain = requested.map_or(Grain::Month, Period::grain);
    timings.lap("data", err);
    progress.inc(1);
    progress.set_message(l(
        "quét tập dữ liệu (một lần quét gộp mỗi tập)",
        "scanning datasets (one fused scan each)",
    ));
    let mut partials = Vec::new();
    let mut unknown = Vec::new();
    if let Some(dir) = &opts.partials {
        match crate::eval::partials::read(c, dir, until) {
            Ok(read) => {
                unknown.extend(crate::eval::partials::unknown_units(
                    &read.partials,
                    &data.units,
                    dir,
                ));
                partials.push(read.partials);
            }
            Err(crate::eval::partials::PartialsError::Io(e)) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_USAGE;
            }
            Err(crate::eval::partials::PartialsError::Data(problems)) => {
                unknown.extend(problems);
            }
        }
    }
    for dataset in c.datasets.iter().filter(|_| opts.partials.is_none()) {
        if fused::indicators_of(c, &dataset.name).is_empty() {
            continue;
        }
        let Some(path) = data.datasets.get(&dataset.name) else {
            continue;
        };
        let problems = fused::check_dataset(dataset, path, None);
        if !problems.is_empty() {
            crate::check::add_csv_sources(&problems, &mut sources);
            for d in &problems {
                let _ = writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color));
            }
            let _ = writeln!(
                err,
                "error: the data has {} error(s); nothing was written",
                problems.len()
            );
            return EXIT_ERRORS;
        }
        match fused::evaluate(c, dataset, path, until, grain) {
            Ok(p) => {
                // unit ids of the records that units.csv lacks; only then is the file read again,
                // to name the first row of each
                if p.units.iter().any(|u| data.units.index(u).is_none()) {
                    unknown.extend(fused::check_dataset(dataset, path, Some(&data.units)));
                }
                partials.push(p);
            }
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_ERRORS;
            }
        }
    }
    if !unknown.is_empty() {
        crate::check::add_csv_sources(&unknown, &mut sources);
        for d in &unknown {
            let _ = writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color));
        }
        let _ = writeln!(
            err,
            "error: the data has {} error(s); nothing was written",
            unknown.len()
        );
        return EXIT_ERRORS;
    }
    let period = match requested.or_else(|| crate::eval::latest_period(&data, &partials)) {
        Some(p) => p,
        None => {
            let _ = writeln!(
                err,
                "error: the data holds no period to score; give --period"
            );
            return EXIT_USAGE;
        }
    };
    let as_of = match &opts.as_of {
        Some(text) => match crate::data::number::parse_date(text) {
            Some(d) => d,
            None => {
                let _ = writeln!(err, "error: invalid --as-of \"{text}\"; write 2026-12-31");
                return EXIT_USAGE;
            }
        },
        None => period.end(),
    };
    timings.lap("scan", err);
    progress.inc(1);
    progress.set_message(l("chấm điểm", "scoring"));
    let values = Values::new(c, &data, &partials, opts.cumulative);
    timings.lap("rollup", err);
    let card = build(
        c,
        &data,
        &values,
        RunSpec {
            period,
            as_of,
            cumulative: opts.cumulative,
        },
    );
    timings.lap("scoring", err);
    progress.inc(1);
    let charts = if opts.charts {
        progress.set_message(l("vẽ biểu đồ", "drawing charts"));
        match crate::chart::render_all(&card, c, opts.lang) {
            Ok(charts) => charts,
            Err(e) => {
                let _ = writeln!(err, "error: {e}");
                return EXIT_USAGE;
            }
        }
    } else {
        Vec::new()
    };
    timings.lap("charts", err);
    progress.inc(1);
    progress.set_message(l("ghi kết quả", "writing outputs"));
    if let Err(e) = crate::report::write_all(&opts.out, &card, c, &data.units, &charts, opts.lang) {
        let _ = writeln!(err, "error: {e}");
        // an output the data cannot fill (a name longer than an Excel cell holds) is a data
        // error; a file that cannot be written, an I/O error (SPEC §9)
        return match e {
            crate::report::ReportError::Render { .. } => EXIT_ERRORS,
            crate::report::ReportError::Io { .. } => EXIT_USAGE,
        };
    }
    timings.lap("outputs", err);
    if opts.json {
        let json = opts.out.join("scorecard.json");
        match std::fs::read(&json) {
            Ok(bytes) => {
                let _ = out.write_all(&bytes);
            }
            Err(e) => {
                let _ = writeln!(err, "error: cannot read {}: {e}", json.display());
                return EXIT_USAGE;
            }
        }
    } else {
        let _ = write!(out, "{}", league_table(&card, opts.lang));
        let _ = writeln!(
            out,
            "{} {}",
            l("Kết quả:", "Results:"),
            opts.out.join("scorecard.json").display()
        );
        let _ = writeln!(
            out,
            "{} {}",
            l("Báo cáo:", "Report:"),
            opts.out.join("report.html").display()
        );
    }
    timings.lap("summary", err);
    EXIT_OK
}

/// Wall time of each step on stderr when `CHITIEU_TIMINGS` is set (for profiling, see README
/// "Performance").
struct Timings(Option<std::time::Instant>);

impl Timings {
    fn from_env() -> Timings {
        Timings(std::env::var_os("CHITIEU_TIMINGS").map(|_| std::time::Instant::now()))
    }

    fn lap(&mut self, step: &str, err: &mut dyn Write) {
        if let Some(start) = self.0 {
            // peak resident memory so far, from /proc (Linux); absent elsewhere
            let peak = std::fs::read_to_string("/proc/self/status")
                .ok()
                .and_then(|s| {
                    s.lines()
                        .find_map(|l| l.strip_prefix("VmHWM:").map(|v| v.trim().to_string()))
                })
                .unwrap_or_default();
            let _ = writeln!(
                err,
                "timing: {step:<12} {:>8.3} s  peak {peak}",
                start.elapsed().as_secs_f64()
            );
            self.0 = Some(std::time::Instant::now());
        }
    }
}

/// Formats a number the Vietnamese way (`12,44`) or the English way (`12.44`), 2 decimals.
pub fn fmt2(v: f64, lang: Lang) -> String {
    let s = format!("{v:.2}");
    match lang {
        Lang::Vi => s.replace('.', ","),
        Lang::En => s,
    }
}

/// A short league table: every peer set, best first, at most 10 rows each.
pub fn league_table(card: &Scorecard, lang: Lang) -> String {
    let l = |vi, en| lang.pick(vi, en);
    let mut s = format!(
        "{} — {} {} ({} {})\n",
        card.catalogue.title,
        l("kỳ", "period"),
        card.period,
        l("tính đến", "as of"),
        card.as_of
    );
    // peer sets in order of first appearance, found in one pass (many sets must not cost
    // a pass each)
    let mut sets: Vec<(Option<&str>, &str, Vec<&crate::score::scorecard::UnitCard>)> = Vec::new();
    let mut index: std::collections::HashMap<(Option<&str>, &str), usize> =
        std::collections::HashMap::new();
    for u in &card.units {
        let key = (u.parent.as_deref(), u.level.as_str());
        match index.get(&key) {
            Some(&i) => sets[i].2.push(u),
            None => {
                index.insert(key, sets.len());
                sets.push((key.0, key.1, vec![u]));
            }
        }
    }
    let names: std::collections::HashMap<&str, &str> = card
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    for (parent, level, mut members) in sets {
        members.sort_by(|a, b| {
            a.rank
                .unwrap_or(usize::MAX)
                .cmp(&b.rank.unwrap_or(usize::MAX))
        });
        let parent_name = parent.and_then(|p| names.get(p).copied());
        s += &format!(
            "\n{} \"{}\"{} — {} {}\n",
            l("Nhóm", "Peer set"),
            level,
            parent_name
                .map(|p| format!(" {} {p}", l("thuộc", "under")))
                .unwrap_or_default(),
            members.len(),
            l("đơn vị", "units")
        );
        s += &format!(
            "  {:>4}  {:<40} {:>7}  {:<12} {:>8}\n",
            l("Hạng", "Rank"),
            l("Đơn vị", "Unit"),
            l("Điểm", "Score"),
            l("Xếp loại", "Grade"),
            l("Dữ liệu", "Coverage")
        );
        for u in members.iter().take(10) {
            let rank = u.rank.map(|r| r.to_string()).unwrap_or_else(|| "-".into());
            let score = u.score.map(|v| fmt2(v, lang)).unwrap_or_else(|| "-".into());
            let cov = u
                .coverage
                .map(|v| format!("{}%", fmt2(100.0 * v, lang)))
                .unwrap_or_else(|| "-".into());
            let name: String = u.name.chars().take(40).collect();
            s += &format!(
                "  {rank:>4}  {name:<40} {score:>7}  {:<12} {cov:>8}\n",
                u.grade.as_deref().unwrap_or("-")
            );
        }
        if members.len() > 10 {
            s += &format!(
                "  … {} {}\n",
                members.len() - 10,
                l("đơn vị khác", "more units")
            );
        }
    }
    s
}
