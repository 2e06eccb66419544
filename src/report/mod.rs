//! Writing the outputs of a score run (SPEC §7): scorecard.json, scorecard.csv (and the same
//! long table as scorecard.parquet), summary.csv,
//! tasks.csv, reports.csv (when the catalogue has reports), alerts.csv (with a history), scorecard.xlsx, report.html and the charts, rendered by one worker thread per core
//! and written atomically (temporary file, rename once all are written). Only formats results;
//! computes nothing.

pub(crate) mod csv;
pub(crate) mod html;
pub(crate) mod losses;
pub(crate) mod reconciliation;
pub(crate) mod xlsx;
mod xlsx_changes;

use std::path::{Path, PathBuf};

use crate::score::scorecard::Scorecard;

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("cannot write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot render {name}: {message}")]
    Render { name: String, message: String },
}

/// scorecard.json, pretty-printed, newline-terminated.
pub fn json(card: &Scorecard) -> Result<Vec<u8>, ReportError> {
    let mut text = Vec::new();
    write_json(&mut text, card).map_err(|e| ReportError::Render {
        name: "scorecard.json".into(),
        message: e.to_string(),
    })?;
    Ok(text)
}

/// scorecard.json written to `out` as it is serialised (at national scale it is tens of
/// megabytes, which a run need not hold).
fn write_json(out: &mut impl std::io::Write, card: &Scorecard) -> serde_json::Result<()> {
    use serde::Serialize;
    card.serialize(&mut serde_json::Serializer::with_formatter(
        &mut *out,
        Indented::default(),
    ))?;
    out.write_all(b"\n").map_err(serde_json::Error::io)
}

/// serde_json's pretty formatter (`to_writer_pretty`: two spaces a level), the same bytes, with
/// each line's break and indentation written at once: the pretty formatter writes the two
/// spaces of each level apart, some ten writes a line for the 2.5 million lines of a national
/// scorecard.json.
#[derive(Default)]
struct Indented {
    level: usize,
    has_value: bool,
}

impl Indented {
    /// A line break and the indentation of the current level.
    fn line<W: ?Sized + std::io::Write>(&self, w: &mut W) -> std::io::Result<()> {
        const BREAK: [u8; 129] = {
            let mut b = [b' '; 129];
            b[0] = b'\n';
            b
        };
        match BREAK.get(..1 + 2 * self.level) {
            Some(line) => w.write_all(line),
            None => {
                w.write_all(b"\n")?;
                (0..self.level).try_for_each(|_| w.write_all(b"  "))
            }
        }
    }

    /// Opens an array or an object (`[` or `{`): one level deeper, nothing in it yet.
    fn open<W: ?Sized + std::io::Write>(&mut self, w: &mut W, mark: &[u8]) -> std::io::Result<()> {
        self.level += 1;
        self.has_value = false;
        w.write_all(mark)
    }

    /// Closes an array or an object (`]` or `}`), on a line of its own unless it was empty.
    fn close<W: ?Sized + std::io::Write>(&mut self, w: &mut W, mark: &[u8]) -> std::io::Result<()> {
        self.level -= 1;
        if self.has_value {
            self.line(w)?;
        }
        w.write_all(mark)
    }

    /// Starts an element or a key on a line of its own, after a comma unless it is the first.
    fn item<W: ?Sized + std::io::Write>(&mut self, w: &mut W, first: bool) -> std::io::Result<()> {
        if !first {
            w.write_all(b",")?;
        }
        self.line(w)
    }
}

impl serde_json::ser::Formatter for Indented {
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"[")
    }

    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"]")
    }

    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.open(w, b"{")
    }

    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.close(w, b"}")
    }

    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.item(w, first)
    }

    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, _: &mut W) -> std::io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

/// Where an output job writes: its staged temporary file, buffered. An output rendered in memory
/// is written with [`Sink::bytes`]; scorecard.json and report.html go to the file as they are
/// made.
pub(crate) struct Sink {
    path: PathBuf,
    out: std::io::BufWriter<std::fs::File>,
}

impl Sink {
    fn bytes(&mut self, bytes: &[u8]) -> Result<(), ReportError> {
        use std::io::Write;
        self.out.write_all(bytes).map_err(io(&self.path))
    }

    fn json(&mut self, card: &Scorecard) -> Result<(), ReportError> {
        write_json(&mut self.out, card).map_err(|e| match e.io_error_kind() {
            Some(kind) => ReportError::Io {
                path: self.path.clone(),
                source: std::io::Error::new(kind, e.to_string()),
            },
            None => ReportError::Render {
                name: "scorecard.json".into(),
                message: e.to_string(),
            },
        })
    }
}

/// Renders every output file of a run and writes them into `dir` atomically (`write_run`, with
/// the whole run's page, workbook and charts at `dir`): all of them or, on an error, none.
pub fn write_all(
    dir: &Path,
    card: &Scorecard,
    c: &crate::definition::Catalogue,
    charts: &[crate::chart::Chart],
    lang: crate::project::Lang,
) -> Result<(), ReportError> {
    let page = Page {
        dir: PathBuf::new(),
        card,
        charts,
        role: Role::Whole,
    };
    write_run(dir, card, c, &[page], lang, None).map(|_| ())
}

/// The outputs for readers of one view of a run, as its [`Role`] says, at `dir` (relative to
/// the output directory; empty for the output directory itself).
pub(crate) struct Page<'a> {
    pub dir: PathBuf,
    pub card: &'a Scorecard,
    pub charts: &'a [crate::chart::Chart],
    pub role: Role,
}

/// What a page is in its run.
pub(crate) enum Role {
    /// report.html and scorecard.xlsx in `dir`, its charts in `dir/charts/`: the page of a whole
    /// run, or of a focused unit (`--focus`, `--focus-level`).
    Whole,
    /// report.html in `dir` is the index of a run shown as pages (README "National scale:
    /// pages"), beside the run's scorecard.xlsx; `pages` holds each top-level unit's id and its
    /// page's file, relative to `dir`.
    Index { pages: Vec<(String, String)> },
    /// `dir` + `.html`: the page of top-level unit `unit` of a run shown as pages, linking back
    /// to the index at `index` (relative to the page); its charts in `dir/charts/`, no workbook
    /// of its own. Its view (the unit and its descendants) is made from the page's card, the
    /// whole run, by the job that writes it: the 34 views of a national run are not all held
    /// at once (32 MB).
    Part { index: String, unit: String },
}

impl Page<'_> {
    /// The file of the page's report.
    fn html(&self) -> PathBuf {
        match self.role {
            Role::Part { .. } => self.dir.with_extension("html"),
            Role::Whole | Role::Index { .. } => self.dir.join("report.html"),
        }
    }
}

/// A run with more units than this is shown as pages (README "National scale: pages"):
/// report.html an index, each top-level unit's page its own file. One page holds about 8 KB a
/// unit: 300 units are 2,5 MB, beyond what a phone opens comfortably; Lào Cai (113 units) and
/// Đồng Nai keep their single page.
pub(crate) const PAGES_ABOVE: usize = 300;

/// The directory under the output directory that holds the pages of a run shown as pages.
pub(crate) const PAGES_DIR: &str = "report";

/// The names chitieu writes in an output directory, which no page directory may take.
const RUN_FILES: [&str; 11] = [
    "charts",
    PAGES_DIR,
    "report.html",
    "scorecard.xlsx",
    "scorecard.json",
    "scorecard.csv",
    "scorecard.parquet",
    "summary.csv",
    "tasks.csv",
    "reports.csv",
    "alerts.csv",
];

/// The directory of each unit's page with `--focus-level` (README "Focused reports"): the unit
/// id made file-safe, `-2`, `-3` … after ids that fold alike — ignoring case, as the file
/// systems of Windows and macOS do — or take the name of a run file. A name longer than 80
/// bytes is cut to 70 and given 8 hex digits of the id, so no file system refuses it.
pub(crate) fn page_dirs<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: std::collections::HashMap<String, usize> =
        RUN_FILES.iter().map(|r| (r.to_lowercase(), 1)).collect();
    ids.into_iter()
        .map(|id| {
            let mut name = crate::labels::file_safe(id);
            if name.len() > 80 {
                let mut cut = 70;
                while !name.is_char_boundary(cut) {
                    cut -= 1;
                }
                name = format!(
                    "{}-{}",
                    &name[..cut],
                    &blake3::hash(id.as_bytes()).to_hex()[..8]
                );
            }
            let n = seen.entry(name.to_lowercase()).or_insert(0);
            *n += 1;
            if *n > 1 {
                format!("{name}-{n}")
            } else {
                name
            }
        })
        .collect()
}

/// The note a focused page and workbook carry ([`crate::labels::focus_note`]); `None` for the
/// page of a whole run.
pub(crate) fn focus_note(card: &Scorecard, lang: crate::project::Lang) -> Option<String> {
    let focus = card.focus.as_ref()?;
    let unit = card.units.iter().find(|u| u.id == focus.unit)?;
    Some(crate::labels::focus_note(
        &unit.name,
        card.units.len(),
        focus.run_units,
        unit.rank.zip(unit.rank_of),
        lang,
    ))
}

/// An observer of [`write_run`]: told each output's name and how long it took to render, from
/// the thread that rendered it.
pub(crate) type Rendered = dyn Fn(&Path, std::time::Duration) -> std::io::Result<()> + Sync;

/// Writes a run into `dir` atomically: the machine-readable outputs of the whole run `card`
/// (scorecard.json, the CSVs) at `dir`, and each page's report.html, scorecard.xlsx and charts
/// in its directory; returns each workbook that left rows or columns out (Excel's limits). One worker thread per core takes the formats from a queue, longest first
/// (the workbooks, then the pages, the JSON, …), renders each and writes it to a temporary name
/// beside its target; only when every file was written are they renamed into place. A failed
/// run removes what it staged and leaves no half-written output. When no page is at `dir`
/// itself, a page, workbook and charts of an earlier run there are removed, so that they cannot
/// be read as this run's.
///
/// `rendered`, when given, is told each output's name and render time (the binary's timings);
/// its error fails the run as a failed write does.
pub(crate) fn write_run(
    dir: &Path,
    card: &Scorecard,
    c: &crate::definition::Catalogue,
    pages: &[Page],
    lang: crate::project::Lang,
    rendered: Option<&Rendered>,
) -> Result<Vec<(PathBuf, xlsx::LeftOut)>, ReportError> {
    let left_out = std::sync::Mutex::new(Vec::new());
    let long = std::sync::OnceLock::new();
    let jobs = jobs(card, c, pages, lang, &left_out, &long);
    let made = make_dirs(dir, pages)?;
    let stage = |name: &Path, render: &Render| -> Result<Staged, ReportError> {
        let start = std::time::Instant::now();
        // a panic of a renderer below chitieu (plotters, the workbook writer) fails this output
        // staged before rendering: a failed render drops it, which removes the file
        let staged = Staged::new(dir.join(name));
        let file = std::fs::File::create(&staged.tmp).map_err(io(&staged.tmp))?;
        let mut sink = Sink {
            path: staged.tmp.clone(),
            out: std::io::BufWriter::with_capacity(1 << 20, file),
        };
        crate::guard::catch(|| render(&mut sink)).unwrap_or_else(|panicked| {
            Err(ReportError::Render {
                name: name.display().to_string(),
                message: panicked.message,
            })
        })?;
        sink.out.into_inner().map_err(|e| ReportError::Io {
            path: staged.tmp.clone(),
            source: e.into_error(),
        })?;
        if let Some(rendered) = rendered {
            rendered(name, start.elapsed()).map_err(io(Path::new("standard error")))?;
        }
        Ok(staged)
    };
    // plain threads, not rayon's pool: the CSV writers run polars, whose own pool must not wait
    // on a rayon worker that waits on it
    let workers = std::thread::available_parallelism()
        .map_or(2, usize::from)
        .clamp(1, jobs.len());
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut done: Vec<Option<Result<Staged, ReportError>>> =
        (0..jobs.len()).map(|_| None).collect();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((name, render)) = jobs.get(i) else {
                            return mine;
                        };
                        mine.push((i, stage(name, render)));
                    }
                })
            })
            .collect();
        for handle in handles {
            // a worker that stopped unexpectedly leaves its files without a result
            for (i, result) in handle.join().unwrap_or_default() {
                done[i] = Some(result);
            }
        }
    });
    let results = done.into_iter().zip(&jobs).map(|(result, (name, _))| {
        result.unwrap_or_else(|| {
            Err(ReportError::Render {
                name: name.display().to_string(),
                message: "the renderer stopped unexpectedly".into(),
            })
        })
    });
    let mut staged = Vec::with_capacity(jobs.len());
    let mut failure = None;
    for result in results {
        match result {
            Ok(s) => staged.push(s),
            Err(e) => {
                failure.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failure {
        drop(staged);
        for d in made.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        return Err(e);
    }
    for file in &mut staged {
        file.commit()?;
    }
    remove_stale(dir, pages)?;
    // each workbook that could not hold every row or column (written to the limit, the CSVs
    // hold all): the command says so
    // a lock poisoned by a job that panicked while pushing still holds every entry pushed
    // before (a push is all that is done under it): recovered, not dropped
    let left_out = left_out
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    Ok(left_out)
}

/// One output to render: its name under the run's directory and how to render it.
type Render<'a> = Box<dyn Fn(&mut Sink) -> Result<(), ReportError> + Send + Sync + 'a>;

/// Every output of a run, longest first: on two cores the workbook has one to itself while the
/// other renders the rest in turn, so that the workbook does not finish last; then the whole
/// run's tables (at national scale scorecard.json and scorecard.csv take longer than any page:
/// started after the 34 pages, they finished a tenth of a second after them), the pages, the
/// small tables and the charts. A workbook that leaves rows or columns out says so in
/// `left_out`.
fn jobs<'a>(
    card: &'a Scorecard,
    c: &'a crate::definition::Catalogue,
    pages: &'a [Page],
    lang: crate::project::Lang,
    left_out: &'a std::sync::Mutex<Vec<(PathBuf, xlsx::LeftOut)>>,
    long: &'a std::sync::OnceLock<csv::LongTable>,
) -> Vec<(PathBuf, Render<'a>)> {
    // scorecard.csv's and scorecard.parquet's table, built by whichever comes first
    let long_table = move || long.get_or_init(|| csv::long_table(card, c));
    let mut jobs: Vec<(PathBuf, Render)> = Vec::new();
    for page in pages
        .iter()
        .filter(|p| !matches!(p.role, Role::Part { .. }))
    {
        let card = page.card;
        let name = page.dir.join("scorecard.xlsx");
        // a run shown as pages: its workbook's detail is the top-level units' (its pages and
        // the CSV and Parquet tables hold the rest)
        let detail = match page.role {
            Role::Index { .. } => xlsx::Detail::TopUnits,
            Role::Whole | Role::Part { .. } => xlsx::Detail::All,
        };
        jobs.push((
            name.clone(),
            Box::new(move |sink| {
                let (bytes, cut) = xlsx::render_counted(card, c, lang, detail)?;
                if cut != xlsx::LeftOut::default() {
                    // poisoned only by another job's panic during its push: the list is whole
                    left_out
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push((name.clone(), cut));
                }
                sink.bytes(&bytes)
            }),
        ));
    }
    jobs.extend([
        (
            PathBuf::from("scorecard.json"),
            Box::new(|sink: &mut Sink| sink.json(card)) as Render,
        ),
        (
            PathBuf::from("scorecard.csv"),
            Box::new(move |sink| csv::scorecard(long_table(), &mut sink.out)),
        ),
        (
            PathBuf::from("scorecard.parquet"),
            Box::new(move |sink| csv::scorecard_parquet(long_table(), &mut sink.out)),
        ),
    ]);
    for page in pages {
        let (card, charts) = (page.card, page.charts);
        let render: Render = match &page.role {
            Role::Whole => Box::new(move |sink: &mut Sink| {
                html::write(&mut sink.out, card, c, charts, lang).map_err(io(&sink.path))
            }),
            Role::Index { pages } => Box::new(move |sink: &mut Sink| {
                html::write_index(&mut sink.out, card, c, lang, pages).map_err(io(&sink.path))
            }),
            Role::Part { index, unit } => {
                // the page's chart files, relative to it: `<unit>/charts` beside `<unit>.html`
                let charts_dir = page
                    .dir
                    .file_name()
                    .map(|n| format!("{}/charts", n.to_string_lossy()))
                    .unwrap_or_default();
                let name = page.html();
                Box::new(move |sink: &mut Sink| {
                    let view = card.focus(unit).ok_or_else(|| ReportError::Render {
                        name: name.display().to_string(),
                        message: format!("unit {unit} is not in the run"),
                    })?;
                    html::write_part(&mut sink.out, &view, c, charts, lang, index, &charts_dir)
                        .map_err(io(&sink.path))
                })
            }
        };
        jobs.push((page.html(), render));
    }
    jobs.extend([
        (
            PathBuf::from("summary.csv"),
            Box::new(|sink: &mut Sink| sink.bytes(&csv::summary(card, c)?)) as Render,
        ),
        (
            PathBuf::from("tasks.csv"),
            Box::new(|sink| sink.bytes(&csv::tasks(card, c)?)),
        ),
    ]);
    if !c.reports.is_empty() {
        jobs.push((
            PathBuf::from("reports.csv"),
            Box::new(|sink| sink.bytes(&csv::reports(card, c)?)),
        ));
    }
    // alerts.csv only for a run with a history (SPEC §10.3)
    if card.alerts.is_some() {
        jobs.push((
            PathBuf::from("alerts.csv"),
            Box::new(|sink| sink.bytes(&csv::alerts(card)?)),
        ));
    }
    // charts are already drawn: only written
    for page in pages {
        for chart in page.charts {
            let charts = page.dir.join("charts");
            jobs.push((
                charts.join(format!("{}.svg", chart.name)),
                Box::new(|sink| sink.bytes(chart.svg.as_bytes())),
            ));
            jobs.push((
                charts.join(format!("{}.png", chart.name)),
                Box::new(|sink| sink.bytes(&chart.png)),
            ));
        }
    }
    jobs
}

/// The run's directory, each page's and their `charts/`: those this run makes, in order (a
/// failed run removes them again); none is left behind when one cannot be made.
fn make_dirs(dir: &Path, pages: &[Page]) -> Result<Vec<PathBuf>, ReportError> {
    let mut made = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    for page in pages {
        if let Some(holder) = page.html().parent() {
            dirs.push(dir.join(holder));
        }
        if !page.charts.is_empty() {
            dirs.push(dir.join(&page.dir).join("charts"));
        }
    }
    for d in &dirs {
        if !d.exists() {
            if let Err(e) = std::fs::create_dir_all(d) {
                // none of the directories made so far is left behind
                for m in made.iter().rev() {
                    std::fs::remove_dir(m).ok();
                }
                return Err(io(d)(e));
            }
            made.push(d.clone());
        }
    }
    Ok(made)
}

/// After a run is committed: the charts of an earlier run that this one did not draw, and when
/// no page is at `dir` itself, the page, workbook and charts an earlier run left there.
fn remove_stale(dir: &Path, pages: &[Page]) -> Result<(), ReportError> {
    for page in pages {
        let written: Vec<String> = page
            .charts
            .iter()
            .flat_map(|c| [format!("{}.svg", c.name), format!("{}.png", c.name)])
            .collect();
        remove_stale_charts(&dir.join(&page.dir).join("charts"), &written)?;
    }
    remove_stale_pages(dir, pages)?;
    if !pages.iter().any(|p| p.dir.as_os_str().is_empty()) {
        for name in ["report.html", "scorecard.xlsx"] {
            let stale = dir.join(name);
            if stale.is_file() {
                std::fs::remove_file(&stale).map_err(io(&stale))?;
            }
        }
        remove_stale_charts(&dir.join("charts"), &[])?;
    }
    Ok(())
}

/// The pages of an earlier run shown as pages that this run did not write (a unit since
/// removed, or a run now on one page): `report/*.html` and their charts; `report/` itself when
/// nothing is left in it. Only chitieu's names are touched.
fn remove_stale_pages(dir: &Path, pages: &[Page]) -> Result<(), ReportError> {
    let holder = dir.join(PAGES_DIR);
    let Ok(entries) = std::fs::read_dir(&holder) else {
        return Ok(());
    };
    let written: Vec<PathBuf> = pages
        .iter()
        .filter(|p| matches!(p.role, Role::Part { .. }))
        .map(|p| dir.join(p.html()))
        .collect();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") && !written.contains(&path) {
            std::fs::remove_file(&path).map_err(io(&path))?;
            let charts = path.with_extension("").join("charts");
            remove_stale_charts(&charts, &[])?;
            // the page's directory, when its charts were all it held
            let _ = std::fs::remove_dir(&charts);
            let _ = std::fs::remove_dir(path.with_extension(""));
        }
    }
    // left when empty, as an earlier run left it
    let _ = std::fs::remove_dir(&holder);
    Ok(())
}

/// Removes the charts of an earlier run that this one did not draw (a unit or indicator since
/// removed, or a run with `--no-charts`), so that the directory holds this report's charts
/// only. Only files named as chitieu names its charts are touched.
fn remove_stale_charts(dir: &Path, written: &[String]) -> Result<(), ReportError> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(stem) = name
            .strip_suffix(".svg")
            .or_else(|| name.strip_suffix(".png"))
        else {
            continue;
        };
        if crate::chart::is_chart_name(stem) && !written.contains(&name) {
            std::fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
        }
    }
    Ok(())
}

/// An output written under a temporary name beside its target; removed when dropped unless it
/// was renamed into place.
pub(crate) struct Staged {
    pub(crate) tmp: PathBuf,
    pub(crate) target: PathBuf,
    done: bool,
}

impl Staged {
    pub(crate) fn new(target: PathBuf) -> Staged {
        let file_name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let tmp = target.with_file_name(format!(".{file_name}.tmp-{}", std::process::id()));
        Staged {
            tmp,
            target,
            done: false,
        }
    }

    pub(crate) fn commit(&mut self) -> Result<(), ReportError> {
        std::fs::rename(&self.tmp, &self.target).map_err(io(&self.target))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// The error of an I/O operation on `path`.
fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError {
    let path = path.to_path_buf();
    move |source| ReportError::Io { path, source }
}

#[cfg(test)]
mod page_dir_tests {
    use super::page_dirs;

    #[test]
    fn page_directories_are_distinct_ignoring_case_and_short() {
        let long = "Xã ".repeat(100);
        let other_long = format!("{long}B");
        let dirs = page_dirs([
            "Ha-Noi",
            "ha-noi",
            "charts",
            "Xã Tân Hòa",
            "Xã Tân Hoà",
            &long,
            &other_long,
        ]);
        assert_eq!(
            &dirs[..5],
            [
                "Ha-Noi",
                "ha-noi-2",
                "charts-2",
                "xa-tan-hoa",
                "xa-tan-hoa-2"
            ]
        );
        assert!(dirs[5].len() <= 80 && dirs[6].len() <= 80, "{dirs:?}");
        assert_ne!(dirs[5].to_lowercase(), dirs[6].to_lowercase());
    }
}

#[cfg(test)]
mod json_tests {
    use super::Indented;
    use serde::Serialize;

    #[test]
    fn the_indented_json_is_serde_jsons_pretty_json_byte_for_byte() {
        // empty and nested arrays and objects, texts to escape, numbers, and a nesting deeper
        // than the indentation written at once (64 levels)
        let mut deep = serde_json::json!({"leaf": [1, {"x": null}]});
        for level in 0..70 {
            deep = serde_json::json!({ "level": level, "inside": [deep, [], {}] });
        }
        let value = serde_json::json!({
            "units": [{"id": "p01", "name": "Hà \"Nội\"\n", "score": 69.41, "groups": []}],
            "empty": {},
            "deep": deep,
        });
        let mut ours = Vec::new();
        value
            .serialize(&mut serde_json::Serializer::with_formatter(
                &mut ours,
                Indented::default(),
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        let pretty = serde_json::to_vec_pretty(&value).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            String::from_utf8_lossy(&ours),
            String::from_utf8_lossy(&pretty)
        );
        // deeper than 64 levels: indented beyond what one write holds
        assert!(pretty
            .windows(140)
            .any(|w| w[0] == b'\n' && w[1..].iter().all(|&b| b == b' ')));
    }
}
