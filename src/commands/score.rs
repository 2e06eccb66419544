//! `chitieu score`: check definitions and data, run the fused scans, score, write the outputs
//! atomically and print a short league table. Nothing is written when anything is wrong.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_definitions, render, Diagnostic, Format};
use crate::data::{load_data, Period};
use crate::definition::Catalogue;
use crate::labels;
use crate::project::Lang;
use crate::score::run::{admit, run_observed, Admitted, RunError, RunOptions, Step};
use crate::score::scorecard::Scorecard;
use crate::score::FocusOn;

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
    /// Print the wall time of each step and each output on stderr (the binary sets it from
    /// `CHITIEU_TIMINGS`).
    pub timings: bool,
    /// Score from partial aggregates (CSV / Parquet files of the partial table, see `chitieu
    /// sql`) in this directory instead of the datasets' records, which are then not read.
    pub partials: Option<PathBuf>,
    /// `--focus UNIT` / `--focus-level LEVEL`: report.html and scorecard.xlsx of a unit and its
    /// descendants (README "Focused reports"); the JSON and CSVs stay the whole run's.
    pub focus: Option<FocusOn>,
    /// Record the run's snapshot in this history directory (SPEC §10.1) and show the change
    /// since the previous snapshot; `None`: no history, outputs as without one.
    pub history: Option<PathBuf>,
    /// `--since DATE|Nd`: also the change since the snapshot closest to that date.
    pub since: Option<String>,
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
    super::finish(status, err)
}

/// A step of the command: its value, or the exit status once the step has said why not.
type Stop<T> = std::io::Result<Result<T, u8>>;

fn run_steps(
    opts: &ScoreOptions,
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: &indicatif::ProgressBar,
) -> std::io::Result<u8> {
    let l = |vi, en| opts.lang.pick(vi, en);
    if let Some(clash) = crate::project::output_clash(&opts.out, &opts.data, &opts.catalogue) {
        writeln!(err, "error: {clash}")?;
        return Ok(EXIT_USAGE);
    }
    let mut timings = Timings::new(opts.timings);
    let loaded = match definitions(opts, err)? {
        Ok(loaded) => loaded,
        Err(status) => return Ok(status),
    };
    let c = &loaded.catalogue;
    let mut sources = loaded.sources.clone();
    timings.lap("definitions", err)?;
    progress.inc(1);
    progress.set_message(l("đọc dữ liệu", "reading data"));
    let data = match read_data(opts, c, &mut sources, err)? {
        Ok(data) => data,
        Err(status) => return Ok(status),
    };
    let (focused, run_opts) = match options(opts, &data, err)? {
        Ok(parsed) => parsed,
        Err(status) => return Ok(status),
    };
    timings.lap("data", err)?;
    progress.inc(1);
    progress.set_message(l(
        "quét tập dữ liệu (một lần quét gộp mỗi tập)",
        "scanning datasets (one fused scan each)",
    ));
    let scored = score(opts, c, &data, &run_opts, progress, &mut timings, err)?;
    let mut card = match scored {
        Ok(card) => card,
        Err(RunError::Data(problems)) => {
            crate::diagnostics::add_csv_sources(&problems, &mut sources);
            for d in &problems {
                writeln!(err, "{}\n", render(d, &sources, Format::Human, opts.color))?;
            }
            writeln!(
                err,
                "error: the data has {} error(s); nothing was written",
                problems.len()
            )?;
            return Ok(EXIT_ERRORS);
        }
        Err(e @ RunError::Scan(_)) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_ERRORS);
        }
        Err(e @ (RunError::Partials(_) | RunError::NoPeriod)) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_USAGE);
        }
    };
    // the run's snapshot, written while the outputs are (SPEC §10.1)
    let recording = match history(opts, c, &mut card, &mut timings, err)? {
        Ok(recording) => recording,
        Err(status) => return Ok(status),
    };
    // the views read: the whole run, each focused unit and its descendants, or — a run with
    // more units than a page holds — each top-level unit and its descendants beside an index,
    // each of those views made by the job that writes its page (and here, one at a time, for
    // its charts)
    let paged = focused.is_none() && card.units.len() > crate::report::PAGES_ABOVE;
    let views: Vec<Scorecard> = match &focused {
        Some(ids) => ids.iter().filter_map(|id| card.focus(id)).collect(),
        None => Vec::new(),
    };
    let shown: Vec<&Scorecard> = if focused.is_some() {
        views.iter().collect()
    } else {
        vec![&card]
    };
    let charts = if paged {
        paged_charts(opts, c, &card, progress, err)?
    } else {
        charts(opts, c, &shown, progress, err)?
    };
    let charts = match charts {
        Ok(charts) => charts,
        Err(status) => return Ok(status),
    };
    // what the views and the charts freed, handed back before the outputs' own allocations
    crate::memory::release_freed_pages().ok();
    timings.lap("charts", err)?;
    progress.inc(1);
    progress.set_message(l("ghi kết quả", "writing outputs"));
    let pages = pages(opts, &card, &shown, &charts, paged);
    if let Err(status) = write_outputs(opts, c, &card, &pages, err)? {
        return Ok(status);
    }
    timings.lap("outputs", err)?;
    if let Some(writing) = recording {
        if let Err(e) = writing.wait() {
            writeln!(err, "error: {e}")?;
            writeln!(
                err,
                "error: the outputs were written, but this run's snapshot is not in the history: remove the cause above and score again to record it"
            )?;
            return Ok(EXIT_ERRORS);
        }
        timings.lap("snapshot", err)?;
    }
    let status = summary(opts, &card, &pages, out, err)?;
    timings.lap("summary", err)?;
    Ok(status)
}

/// The catalogue, checked: nothing is scored when it has errors.
fn definitions(opts: &ScoreOptions, err: &mut dyn Write) -> Stop<crate::Loaded> {
    let loaded = match check_definitions(&opts.catalogue) {
        Ok(l) => l,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(Err(EXIT_USAGE));
        }
    };
    if loaded.has_errors() {
        let errors: Vec<&Diagnostic> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        for d in &errors {
            writeln!(
                err,
                "{}\n",
                render(d, &loaded.sources, Format::Human, opts.color)
            )?;
        }
        writeln!(
            err,
            "error: the catalogue has {} error(s); nothing was scored (see `chitieu check`)",
            errors.len()
        )?;
        return Ok(Err(EXIT_ERRORS));
    }
    if !opts.data.is_dir() {
        writeln!(
            err,
            "error: data directory {} does not exist",
            opts.data.display()
        )?;
        return Ok(Err(EXIT_USAGE));
    }
    Ok(Ok(loaded))
}

/// The data directory read and admitted by the library's policy ([`admit`]): its warnings
/// shown, its blocking errors shown and the run stopped.
fn read_data(
    opts: &ScoreOptions,
    c: &Catalogue,
    sources: &mut crate::check::Sources,
    err: &mut dyn Write,
) -> Stop<Admitted> {
    // with --partials the record files are not needed, nor looked for
    let load = match &opts.partials {
        Some(_) => load_data(
            &opts.data,
            &Catalogue {
                datasets: Vec::new(),
                ..c.clone()
            },
        ),
        None => load_data(&opts.data, c),
    };
    crate::check::add_csv_sources(&load.diagnostics, sources);
    let admission = admit(load);
    for d in &admission.warnings {
        writeln!(err, "{}", render(d, sources, Format::Human, opts.color))?;
    }
    let Some(data) = admission.data else {
        for d in &admission.blocking {
            writeln!(err, "{}\n", render(d, sources, Format::Human, opts.color))?;
        }
        writeln!(
            err,
            "error: the data has {} error(s); nothing was written",
            admission.blocking.len().max(1)
        )?;
        return Ok(Err(EXIT_ERRORS));
    };
    Ok(Ok(data))
}

/// `--focus` (the units it names), `--period` and `--as-of` read and checked against the data.
fn options(
    opts: &ScoreOptions,
    data: &Admitted,
    err: &mut dyn Write,
) -> Stop<(Option<Vec<String>>, RunOptions)> {
    // a focus that names no unit costs no scan
    let focused = match &opts.focus {
        Some(on) => match crate::score::focus::select(&data.data().units, on) {
            Ok(ids) => Some(ids),
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(Err(EXIT_USAGE));
            }
        },
        None => None,
    };
    let period = match &opts.period {
        Some(text) => match Period::parse(text) {
            Some(p) => Some(p),
            None => {
                writeln!(
                    err,
                    "error: invalid --period \"{text}\"; write 2026, 2026-Q2 or 2026-06"
                )?;
                return Ok(Err(EXIT_USAGE));
            }
        },
        None => None,
    };
    let as_of = match &opts.as_of {
        Some(text) => match crate::data::number::parse_date(text) {
            Some(d) => Some(d),
            None => {
                writeln!(err, "error: invalid --as-of \"{text}\"; write 2026-12-31")?;
                return Ok(Err(EXIT_USAGE));
            }
        },
        None => None,
    };
    // the run judges the year to date of its period: an as-of before that year began knows
    // nothing of it (an as-of within the year but before the period is the view of that day)
    if let (Some(p), Some(d)) = (period, as_of) {
        let year = Period::Year(p.year()).start();
        if d < year {
            writeln!(
                err,
                "error: --as-of {d} is before {year}, when the year of period {p} begins: \
                 nothing of it can be known then; pass a date of {} or later",
                p.year()
            )?;
            return Ok(Err(EXIT_USAGE));
        }
    }
    let run_opts = RunOptions {
        period,
        as_of,
        cumulative: opts.cumulative,
        partials: opts.partials.clone(),
    };
    Ok(Ok((focused, run_opts)))
}

/// The library's run, its steps shown on the progress bar and timed.
fn score(
    opts: &ScoreOptions,
    c: &Catalogue,
    data: &Admitted,
    run_opts: &RunOptions,
    progress: &indicatif::ProgressBar,
    timings: &mut Timings,
    err: &mut dyn Write,
) -> std::io::Result<Result<Scorecard, RunError>> {
    let l = |vi, en| opts.lang.pick(vi, en);
    // the first failed write of a timing line; the run goes on, the command then fails
    let mut lost: Option<std::io::Error> = None;
    let mut observe = |step: Step| {
        // the pages a step freed (the scan's, kept for its morsels; the rollup's and scoring's
        // temporaries) are not what the next step reuses: handed back after each step; a
        // refused purge only leaves them resident, the results are the same
        crate::memory::release_freed_pages().ok();
        let written = match step {
            Step::Scanned => {
                progress.inc(1);
                progress.set_message(l("chấm điểm", "scoring"));
                timings.lap("scan", err)
            }
            Step::RolledUp => timings.lap("rollup", err),
            Step::Scored => {
                progress.inc(1);
                timings.lap("scoring", err)
            }
        };
        if let Err(e) = written {
            lost.get_or_insert(e);
        }
    };
    let scored = run_observed(c, data, run_opts, &mut observe);
    match lost {
        Some(e) => Err(e),
        None => Ok(scored),
    }
}

/// `--history` and `--since`: the run's snapshot measured, compared and being written (SPEC §10.1);
/// the caller waits for it once the outputs are written.
fn history(
    opts: &ScoreOptions,
    c: &Catalogue,
    card: &mut Scorecard,
    timings: &mut Timings,
    err: &mut dyn Write,
) -> Stop<Option<crate::history::store::Pending>> {
    if let Some(dir) = &opts.history {
        let since = match opts
            .since
            .as_deref()
            .map(|t| (t, crate::history::monitor::Since::parse(t)))
        {
            Some((_, Some(s))) => Some(s),
            Some((text, None)) => {
                writeln!(err, "error: invalid --since \"{text}\"; write a date (2026-10-01) or a number of days (7d)")?;
                return Ok(Err(EXIT_USAGE));
            }
            None => None,
        };
        let history = crate::history::History::new(dir);
        let recording = match crate::history::monitor::record(&history, card, c, since, opts.charts)
        {
            Ok(recording) => recording,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                writeln!(err, "error: nothing was written")?;
                return Ok(Err(EXIT_ERRORS));
            }
        };
        timings.lap("history", err)?;
        return Ok(Ok(Some(recording)));
    } else if opts.since.is_some() {
        writeln!(
            err,
            "error: --since needs a history (--history DIR, or `history` in chitieu.toml)"
        )?;
        return Ok(Err(EXIT_USAGE));
    }
    Ok(Ok(None))
}

/// The charts of each view shown (none with `--no-charts`).
fn charts(
    opts: &ScoreOptions,
    c: &Catalogue,
    shown: &[&Scorecard],
    progress: &indicatif::ProgressBar,
    err: &mut dyn Write,
) -> Stop<Vec<Vec<crate::chart::Chart>>> {
    let mut charts = Vec::with_capacity(shown.len());
    if opts.charts {
        progress.set_message(opts.lang.pick("vẽ biểu đồ", "drawing charts"));
    }
    for view in shown {
        if !opts.charts {
            charts.push(Vec::new());
            continue;
        }
        match crate::chart::render_all(view, c, opts.lang) {
            Ok(drawn) => charts.push(drawn),
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(Err(EXIT_USAGE));
            }
        }
    }
    Ok(Ok(charts))
}

/// The charts of each top-level unit's page of a run shown as pages (none without charts):
/// each page's view made, drawn and dropped in turn.
fn paged_charts(
    opts: &ScoreOptions,
    c: &Catalogue,
    card: &Scorecard,
    progress: &indicatif::ProgressBar,
    err: &mut dyn Write,
) -> Stop<Vec<Vec<crate::chart::Chart>>> {
    let tops = card.top_units();
    if !opts.charts {
        return Ok(Ok(vec![Vec::new(); tops.len()]));
    }
    let mut all = Vec::with_capacity(tops.len());
    for unit in tops {
        let Some(view) = card.focus(&unit.id) else {
            all.push(Vec::new());
            continue;
        };
        match charts(opts, c, &[&view], progress, err)? {
            Ok(mut drawn) => all.push(drawn.pop().unwrap_or_default()),
            Err(status) => return Ok(Err(status)),
        }
    }
    Ok(Ok(all))
}

/// The pages of the views `shown`, with their charts: with `--focus-level` each unit's page in
/// its own directory; a run shown as pages (`paged`) has its index at OUT and each top-level
/// unit's page at `report/<unit>.html`; else the one page at OUT.
fn pages<'a>(
    opts: &ScoreOptions,
    card: &'a Scorecard,
    shown: &[&'a Scorecard],
    charts: &'a [Vec<crate::chart::Chart>],
    paged: bool,
) -> Vec<crate::report::Page<'a>> {
    use crate::report::{Page, Role, PAGES_DIR};
    let focused_dirs = || {
        crate::report::page_dirs(
            shown
                .iter()
                .filter_map(|v| v.focus.as_ref().map(|f| f.unit.as_str())),
        )
    };
    if paged {
        // each top-level unit's page, its view made by the job that writes it
        let tops = card.top_units();
        let names = crate::report::page_dirs(tops.iter().map(|u| u.id.as_str()));
        let links = tops
            .iter()
            .zip(&names)
            .map(|(u, name)| (u.id.clone(), format!("{PAGES_DIR}/{name}.html")))
            .collect();
        let index = Page {
            dir: PathBuf::new(),
            card,
            charts: &[],
            role: Role::Index { pages: links },
        };
        let parts = tops
            .iter()
            .zip(charts)
            .zip(names)
            .map(|((unit, charts), name)| Page {
                dir: Path::new(PAGES_DIR).join(name),
                card,
                charts,
                role: Role::Part {
                    index: "../report.html".into(),
                    unit: unit.id.clone(),
                },
            });
        return std::iter::once(index).chain(parts).collect();
    }
    let dirs: Vec<PathBuf> = match &opts.focus {
        Some(FocusOn::Level(_)) => focused_dirs().into_iter().map(PathBuf::from).collect(),
        _ => vec![PathBuf::new(); shown.len()],
    };
    shown
        .iter()
        .zip(charts)
        .zip(dirs)
        .map(|((view, charts), dir)| Page {
            dir,
            card: view,
            charts,
            role: Role::Whole,
        })
        .collect()
}

/// Every output written at once ([`crate::report::write_run`]), and what the workbook left out.
fn write_outputs(
    opts: &ScoreOptions,
    c: &Catalogue,
    card: &Scorecard,
    pages: &[crate::report::Page],
    err: &mut dyn Write,
) -> Stop<()> {
    let timed: &crate::report::Rendered = &output_timing;
    let rendered = opts.timings.then_some(timed);
    let left_out = match crate::report::write_run(&opts.out, card, c, pages, opts.lang, rendered) {
        Ok(left_out) => left_out,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            // an output the data cannot fill (a name longer than an Excel cell holds) is a data
            // error; a file that cannot be written, an I/O error (SPEC §9)
            return Ok(Err(match e {
                crate::report::ReportError::Render { .. } => EXIT_ERRORS,
                crate::report::ReportError::Io { .. } => EXIT_USAGE,
            }));
        }
    };
    for (book, cut) in &left_out {
        writeln!(
            err,
            "warning: {}: {} row(s) and {} column(s) beyond what an Excel sheet holds (1,048,576 rows, 16,384 columns) were left out of the workbook; scorecard.csv, summary.csv and scorecard.json hold every figure",
            opts.out.join(book).display(),
            cut.rows,
            cut.columns
        )?;
    }
    Ok(Ok(()))
}

/// The render time of one output, on stderr (written from the renderer's thread).
fn output_timing(name: &std::path::Path, took: std::time::Duration) -> std::io::Result<()> {
    writeln!(
        std::io::stderr(),
        "timing:   {:<16} {:.3} s",
        name.display(),
        took.as_secs_f64()
    )
}

/// What the run prints on stdout: scorecard.json with `--json`; else the league table (or the
/// title), the reconciliation, and where the results, history and pages are.
fn summary(
    opts: &ScoreOptions,
    card: &Scorecard,
    pages: &[crate::report::Page],
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let l = |vi, en| opts.lang.pick(vi, en);
    if opts.json {
        let json = opts.out.join("scorecard.json");
        match std::fs::read(&json) {
            Ok(bytes) => {
                out.write_all(&bytes)?;
            }
            Err(e) => {
                writeln!(err, "error: cannot read {}: {e}", json.display())?;
                return Ok(EXIT_USAGE);
            }
        }
        return Ok(EXIT_OK);
    }
    // one league table for one page (of the whole run or the focused unit); with
    // --focus-level, the title and each unit's page
    let paged = pages
        .iter()
        .any(|p| matches!(p.role, crate::report::Role::Index { .. }));
    match pages {
        [page] => write!(out, "{}", league_table(page.card, opts.lang))?,
        _ if paged => write!(out, "{}", league_table(card, opts.lang))?,
        _ => write!(out, "{}", title_line(card, opts.lang))?,
    }
    if let Some(r) = &card.reconciliation {
        write!(
            out,
            "{}",
            crate::report::reconciliation::summary(r, opts.lang)
        )?;
    }
    writeln!(
        out,
        "{} {}",
        l("Kết quả:", "Results:"),
        opts.out.join("scorecard.json").display()
    )?;
    if let Some(h) = &card.history {
        let compared = match h.previous_as_of {
            Some(d) => format!(
                "{} {}, {} {}",
                l("so với", "compared with"),
                d.format("%Y-%m-%d"),
                card.alerts.as_ref().map_or(0, Vec::len),
                l("cảnh báo", "alert(s)")
            ),
            None => l(
                "lần chấm đầu tiên của kỳ",
                "the first snapshot of the period",
            )
            .to_string(),
        };
        writeln!(
            out,
            "{} {} ({compared})",
            l("Lịch sử:", "History:"),
            h.snapshot
        )?;
    }
    if paged {
        writeln!(
            out,
            "{} {} ({}), {} {}: {}",
            l("Báo cáo:", "Report:"),
            opts.out.join("report.html").display(),
            l("mục lục", "the index"),
            pages.len() - 1,
            l("trang đơn vị cấp trên cùng", "top-level units' pages"),
            opts.out.join(crate::report::PAGES_DIR).display()
        )?;
        return Ok(EXIT_OK);
    }
    for page in pages {
        let name = page
            .card
            .focus
            .as_ref()
            .and_then(|f| page.card.units.iter().find(|u| u.id == f.unit))
            .filter(|_| pages.len() > 1)
            .map(|u| format!(" ({})", u.name))
            .unwrap_or_default();
        writeln!(
            out,
            "{} {}{name}",
            l("Báo cáo:", "Report:"),
            opts.out.join(&page.dir).join("report.html").display()
        )?;
    }
    Ok(EXIT_OK)
}

/// Wall time of each step on stderr when [`ScoreOptions::timings`] is set (for profiling, see
/// README "Performance"), with the processor time all threads spent in it.
struct Timings(Option<std::time::Instant>, f64);

impl Timings {
    fn new(on: bool) -> Timings {
        Timings(on.then(std::time::Instant::now), processor_seconds())
    }

    fn lap(&mut self, step: &str, err: &mut dyn Write) -> std::io::Result<()> {
        if let Some(start) = self.0 {
            let cpu = processor_seconds();
            // peak and current resident memory, from /proc (Linux); absent elsewhere
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix(name).map(|v| v.trim().to_string()))
                    .unwrap_or_default()
            };
            writeln!(
                err,
                "timing: {step:<12} {:>8.3} s  cpu {:.2} s  peak {}  now {}  allocated {} kB",
                start.elapsed().as_secs_f64(),
                cpu - self.1,
                field("VmHWM:"),
                field("VmRSS:"),
                crate::memory::allocated().map_or(0, |b| b / 1024),
            )?;
            self.0 = Some(std::time::Instant::now());
            self.1 = cpu;
        }
        Ok(())
    }
}

/// Processor time of the process so far, user and system, every thread (Linux's /proc, in
/// ticks of 1/100 s; 0 elsewhere).
fn processor_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // the fields after the command's name (in parentheses, which may hold spaces): utime and
    // stime are the 12th and 13th
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(vec![], |(_, rest)| rest.split_whitespace().collect());
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// `<catalogue title> — kỳ <period> (tính đến <as-of>)`.
fn title_line(card: &Scorecard, lang: Lang) -> String {
    let l = |vi, en| lang.pick(vi, en);
    format!(
        "{} — {} {} ({} {})\n",
        card.catalogue.title,
        l("kỳ", "period"),
        card.period,
        l("tính đến", "as of"),
        card.as_of
    )
}

/// A short league table: every peer set, best first, at most 10 rows each.
pub fn league_table(card: &Scorecard, lang: Lang) -> String {
    let l = |vi, en| lang.pick(vi, en);
    let mut s = title_line(card, lang);
    // parent names by id: one lookup per peer set, however many sets there are
    let names: std::collections::HashMap<&str, &str> = card
        .units
        .iter()
        .map(|u| (u.id.as_str(), u.name.as_str()))
        .collect();
    for set in &card.peer_sets {
        let (parent, level) = (&set.parent, &set.level);
        let members: Vec<_> = set.by_rank.iter().map(|&u| &card.units[u]).collect();
        let parent_name = parent
            .as_deref()
            .and_then(|p| names.get(p).copied().or_else(|| card.outside_name(p)));
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
            let score = u
                .score
                .map(|v| labels::number(v, 2, lang))
                .unwrap_or_else(|| "-".into());
            let cov = u
                .coverage
                .map(|v| labels::percent(100.0 * v, lang))
                .unwrap_or_else(|| "-".into());
            let name: String = u.name.chars().take(40).collect();
            s += &format!(
                "  {rank:>4}  {name:<40} {score:>7}  {:<12} {cov:>8}\n",
                u.grade.as_ref().map_or("-", |g| g.name.as_str())
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
    s += &report_lines(card, lang);
    s
}

/// The reports' statuses and the units with reports missing or late, the most missing first
/// (at most 10); nothing for a catalogue without reports.
fn report_lines(card: &Scorecard, lang: Lang) -> String {
    if card.reports.is_empty() {
        return String::new();
    }
    let l = |vi, en| lang.pick(vi, en);
    let counts: Vec<String> = (card.reports_by_status().into_iter())
        .map(|(st, n)| format!("{} {n}", st.label(lang).to_lowercase()))
        .collect();
    let mut s = format!(
        "\n{} — {}\n",
        l("Báo cáo định kỳ", "Periodic reports"),
        counts.join(", ")
    );
    let wanting = card.units_missing_or_late();
    if wanting.is_empty() {
        return s;
    }
    s += &format!(
        "  {:<40} {:>8} {:>8}\n",
        l("Đơn vị chưa nộp / nộp trễ", "Units missing / late"),
        l("Chưa nộp", "Missing"),
        l("Trễ hạn", "Late")
    );
    for (u, n) in wanting.iter().take(10) {
        let name: String = u.name.chars().take(40).collect();
        s += &format!("  {name:<40} {:>8} {:>8}\n", n.missing, n.late);
    }
    if wanting.len() > 10 {
        s += &format!(
            "  … {} {}\n",
            wanting.len() - 10,
            l("đơn vị khác", "more units")
        );
    }
    s
}
