//! `chitieu explain ID`: an indicator's definition, its target in force for every year from the
//! first to the last anchor, and its parsed measure; or a task's parsed deadline; or a report
//! obligation's parsed due rule (SPEC §6.1).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{discover_catalogues, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::check::check_definitions;
use crate::definition::{Catalogue, Indicator, Measure, Task};
use crate::project::Lang;
use crate::score::target_in_force;
use crate::tasks::Deadline;

#[derive(Debug, Clone)]
pub struct ExplainOptions {
    pub id: String,
    /// The catalogue to search; `None` searches every catalogue under `indicators/`.
    pub catalogue: Option<PathBuf>,
    /// A data directory holding the datasets, to show the optimized fused plan over the file.
    pub data: Option<PathBuf>,
    pub lang: Lang,
}

pub fn run(opts: &ExplainOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    super::finish(run_io(opts, out, err), err)
}

fn run_io(opts: &ExplainOptions, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let dirs = match &opts.catalogue {
        Some(dir) => vec![dir.clone()],
        None => match discover_catalogues(Path::new("indicators")) {
            Ok(dirs) => dirs,
            Err(e) => {
                writeln!(
                    err,
                    "error: cannot read indicators/: {e}\nhelp: give --catalogue DIR"
                )?;
                return Ok(EXIT_USAGE);
            }
        },
    };
    let mut found = Vec::new();
    for dir in &dirs {
        let loaded = match check_definitions(dir) {
            Ok(l) => l,
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(EXIT_USAGE);
            }
        };
        if loaded.catalogue.indicator(&opts.id).is_some()
            || loaded.catalogue.task(&opts.id).is_some()
            || loaded.catalogue.report(&opts.id).is_some()
        {
            found.push(loaded);
        }
    }
    let lang = opts.lang;
    match found.as_slice() {
        [] => {
            writeln!(
                err,
                "error: no indicator, task or report \"{}\" in {}",
                opts.id,
                describe(&dirs)
            )?;
            Ok(EXIT_ERRORS)
        }
        [loaded] => {
            let c = &loaded.catalogue;
            let text = match (c.indicator(&opts.id), c.task(&opts.id), c.report(&opts.id)) {
                (Some(i), _, _) => indicator(c, i, lang, opts.data.as_deref()),
                (None, Some(t), _) => task(c, t, lang),
                (None, None, Some(r)) => report(c, r, lang),
                (None, None, None) => String::new(),
            };
            write!(out, "{text}")?;
            Ok(EXIT_OK)
        }
        many => {
            let names: Vec<String> = many
                .iter()
                .map(|l| l.catalogue.dir.display().to_string())
                .collect();
            writeln!(err, "error: \"{}\" is defined in several catalogues: {}\nhelp: choose one with --catalogue DIR", opts.id, names.join(", "))?;
            Ok(EXIT_USAGE)
        }
    }
}

fn describe(dirs: &[PathBuf]) -> String {
    dirs.iter()
        .map(|d| d.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

fn location(c: &Catalogue, file: usize, at: usize) -> String {
    let f = &c.files[file];
    let (line, _) = crate::check::diagnostic::line_col(&f.text, at);
    format!("{}:{line}", f.path.display())
}

/// The explanation of an indicator, as text.
pub fn indicator(c: &Catalogue, i: &Indicator, lang: Lang, data: Option<&Path>) -> String {
    let l = |vi, en| lang.pick(vi, en);
    let mut s = String::new();
    let code = i
        .code
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    s += &format!("{}{code}: {}\n", i.id, i.name);
    s += &format!(
        "  {:<12} {} — {}\n",
        l("danh mục:", "catalogue:"),
        c.id,
        location(c, i.loc.file, i.loc.span.start)
    );
    if let Some(g) = i.group.as_deref().and_then(|g| c.group(g)) {
        s += &format!("  {:<12} {} — {}\n", l("nhóm:", "group:"), g.id, g.name);
    }
    let unit = match &i.unit_label {
        Some(label) => format!("{} ({label})", i.unit.as_str()),
        None => i.unit.as_str().to_string(),
    };
    s += &format!("  {:<12} {unit}", l("đơn vị:", "unit:"));
    if let Some(d) = i.direction {
        s += &format!(", {} {}", l("chiều", "direction"), d.as_str());
    }
    let scoring = i.scoring.unwrap_or(c.scoring);
    s += &format!(
        ", rollup {}, scoring {}\n",
        i.rollup().as_str(),
        scoring.as_str()
    );
    if !i.levels.is_empty() {
        s += &format!("  {:<12} {}\n", l("cấp:", "levels:"), i.levels.join(", "));
    }
    if !i.owner.is_empty() {
        s += &format!(
            "  {:<12} {}\n",
            l("theo dõi:", "owner:"),
            i.owner.join("; ")
        );
    }
    if !i.partners.is_empty() {
        s += &format!(
            "  {:<12} {}\n",
            l("phối hợp:", "partners:"),
            i.partners.join("; ")
        );
    }
    if let Some(b) = &i.baseline {
        s += &format!(
            "  {:<12} {} = {}\n",
            l("gốc:", "baseline:"),
            b.year,
            crate::definition::target::fmt_num(b.value)
        );
    }
    if let Some(src) = &i.source {
        s += &format!("  {:<12} {src}\n", l("nguồn:", "source:"));
    }
    if let Some(note) = &i.note {
        s += &format!("  {:<12} {note}\n", l("ghi chú:", "note:"));
    }
    s += &measure_lines(c, i, lang, data);
    s += &target_lines(i, lang);
    s
}

/// How an indicator is measured: reported, the on-time share of reports, or computed (each
/// SQL expression as polars reads it, and the fused query of its dataset).
fn measure_lines(c: &Catalogue, i: &Indicator, lang: Lang, data: Option<&Path>) -> String {
    let l = |vi, en| lang.pick(vi, en);
    let mut s = String::new();
    match &i.measure {
        Measure::Reported => {
            s += &format!(
                "  {:<12} {}\n",
                l("đo lường:", "measure:"),
                l("báo cáo (reported.csv)", "reported (reported.csv)")
            )
        }
        Measure::ReportOnTimeRate => {
            s += &format!(
                "  {:<12} {}\n",
                l("đo lường:", "measure:"),
                l(
                    "tỷ lệ báo cáo đúng hạn (submissions.csv, [[report]])",
                    "share of reports on time (submissions.csv, [[report]])"
                )
            )
        }
        Measure::Computed(m) => {
            s += &format!(
                "  {:<12} {} `{}`\n",
                l("đo lường:", "measure:"),
                l("tính từ tập dữ liệu", "computed from dataset"),
                m.dataset.get_ref()
            );
            for (key, sql) in m.expressions() {
                let parsed = match polars::sql::sql_expr(sql.get_ref()) {
                    Ok(expr) => format!("{expr}"),
                    Err(e) => format!("error: {e}"),
                };
                s += &format!(
                    "    {key:<12} {}\n    {:<12} → {parsed}\n",
                    sql.get_ref(),
                    ""
                );
            }
            if let Some(dataset) = c.dataset(m.dataset.get_ref()) {
                let file =
                    data.and_then(|d| crate::data::find_table(d, &dataset.name).ok().flatten());
                let together = crate::eval::fused::indicators_of(c, &dataset.name).len();
                s += &format!(
                    "  {} ({together} {}):\n",
                    l("truy vấn gộp của tập dữ liệu", "fused query of the dataset"),
                    l("chỉ tiêu trong một lần quét", "indicators in one scan")
                );
                match crate::eval::fused::describe(c, dataset, file.as_deref()) {
                    Ok(plan) => {
                        for line in plan.lines() {
                            s += &format!("    {line}\n");
                        }
                    }
                    Err(e) => s += &format!("    error: {e}\n"),
                }
            }
        }
    }
    s
}

/// The target in force in each year from the first anchor to the last, and how it was found.
fn target_lines(i: &Indicator, lang: Lang) -> String {
    let l = |vi, en| lang.pick(vi, en);
    let mut s = String::new();
    if i.targets.is_empty() {
        s += &format!(
            "  {}\n",
            l(
                "mục tiêu: không có (chỉ theo dõi)",
                "targets: none (tracked only)"
            )
        );
        return s;
    }
    s += &format!(
        "  {}\n",
        l("mục tiêu theo năm:", "target in force by year:")
    );
    let (first, last) = (i.targets[0].year, i.targets[i.targets.len() - 1].year);
    for year in first..=last {
        let Some(t) = target_in_force(&i.targets, year) else {
            continue;
        };
        let how = match t.between {
            Some((a, b)) => format!("{} {a}–{b}", l("nội suy", "interpolated")),
            None if t.year == year => l("mốc", "anchor").to_string(),
            None => format!("{} {}", l("theo mốc", "from anchor"), t.year),
        };
        s += &format!("    {year}  {:<28} ({how})\n", t.target.label(lang));
    }
    s
}

/// The explanation of a task, as text.
pub fn task(c: &Catalogue, t: &Task, lang: Lang) -> String {
    let l = |vi, en| lang.pick(vi, en);
    let mut s = String::new();
    let code = t
        .code
        .as_deref()
        .map(|c| format!(" ({c})"))
        .unwrap_or_default();
    s += &format!("{}{code}: {}\n", t.id, t.name);
    s += &format!(
        "  {:<12} {} — {}\n",
        l("danh mục:", "catalogue:"),
        c.id,
        location(c, t.loc.file, t.loc.span.start)
    );
    if let Some(g) = t.group.as_deref().and_then(|g| c.group(g)) {
        s += &format!("  {:<12} {} — {}\n", l("nhóm:", "group:"), g.id, g.name);
    }
    if !t.lead.is_empty() {
        s += &format!("  {:<12} {}\n", l("chủ trì:", "lead:"), t.lead.join("; "));
    }
    if !t.partners.is_empty() {
        s += &format!(
            "  {:<12} {}\n",
            l("phối hợp:", "partners:"),
            t.partners.join("; ")
        );
    }
    if let Some(p) = &t.product {
        s += &format!("  {:<12} {p}\n", l("sản phẩm:", "product:"));
    }
    s += &format!(
        "  {:<12} \"{}\"\n",
        l("thời hạn:", "deadline:"),
        t.deadline_text
    );
    let parsed = match &t.deadline {
        Deadline::Date(d) => format!("{} {}", l("hạn chót", "due"), d.format("%Y-%m-%d")),
        Deadline::Recurring {
            yearly_due,
            from_year,
        } => {
            let mut r = l("thường xuyên", "recurring").to_string();
            if let Some((m, d)) = yearly_due {
                r += &format!(
                    ", {} {d:02}/{m:02} {}",
                    l("hạn", "due"),
                    l("hằng năm", "every year")
                );
            }
            if let Some(y) = from_year {
                r += &format!(", {} {y}", l("từ năm", "from"));
            }
            r
        }
        Deadline::Conditional => l(
            "có điều kiện (không có hạn cố định)",
            "conditional (no fixed due date)",
        )
        .to_string(),
    };
    s += &format!(
        "  {:<12} {} — {parsed}\n",
        l("phân loại:", "parsed:"),
        t.deadline.kind()
    );
    s
}

/// A report obligation: who sends it, what it carries, its due rule as written and as read.
pub fn report(c: &Catalogue, r: &crate::definition::Report, lang: Lang) -> String {
    use crate::calendar::DueRule;
    use crate::definition::{Carries, ReportFrom};
    let l = |vi, en| lang.pick(vi, en);
    let mut s = format!("{}: {}\n", r.id, r.name);
    s += &format!(
        "  {:<12} {} — {}\n",
        l("danh mục:", "catalogue:"),
        c.id,
        location(c, r.loc.file, r.loc.span.start)
    );
    let from = match &r.from {
        ReportFrom::Levels(levels) => format!("{} {}", l("cấp", "levels"), levels.join(", ")),
        ReportFrom::Units(units) => format!("{} {}", l("đơn vị", "units"), units.join(", ")),
    };
    s += &format!("  {:<12} {from}\n", l("gửi từ:", "from:"));
    let carries = match &r.carries {
        Carries::Every => l("mọi chỉ tiêu báo cáo (*)", "every reported indicator (*)").to_string(),
        Carries::Only(ids) if ids.is_empty() => {
            l("không có số liệu (văn bản)", "no figures (a document)").to_string()
        }
        Carries::Only(ids) => ids.join(", "),
    };
    s += &format!("  {:<12} {carries}\n", l("gồm:", "carries:"));
    if !r.due_text.is_empty() {
        s += &format!("  {:<12} \"{}\"\n", l("thời hạn:", "due rule:"), r.due_text);
    }
    let read = match &r.due {
        DueRule::Monthly { day: 31 } => l(
            "mỗi tháng, hạn ngày cuối của tháng sau",
            "every month, due the last day of the month after",
        )
        .to_string(),
        DueRule::Monthly { day } => format!(
            "{} {day} {}",
            l("mỗi tháng, hạn ngày", "every month, due on day"),
            l("của tháng sau", "of the month after")
        ),
        DueRule::QuarterLastMonth { day: 31 } => l(
            "mỗi quý, hạn ngày cuối quý",
            "every quarter, due the quarter's last day",
        )
        .to_string(),
        DueRule::QuarterLastMonth { day } => format!(
            "{} {day} {}",
            l("mỗi quý, hạn ngày", "every quarter, due on day"),
            l("của tháng cuối quý", "of the quarter's last month")
        ),
        DueRule::Yearly(dates) => {
            let days: Vec<String> = dates
                .iter()
                .map(|(m, d)| format!("{d:02}/{m:02}"))
                .collect();
            format!(
                "{} {} ({})",
                l("hằng năm, hạn", "every year, due"),
                days.join(", "),
                l(
                    "kỳ báo cáo: tháng của hạn",
                    "reporting period: the month it is due"
                )
            )
        }
        DueRule::Once(d) => format!(
            "{} {} ({} {})",
            l("một lần, hạn", "once, due"),
            d.format("%Y-%m-%d"),
            l("kỳ báo cáo", "reporting period"),
            d.format("%Y-%m")
        ),
    };
    s += &format!("  {:<12} {read}\n", l("đọc là:", "read as:"));
    if let Some(src) = &r.source {
        s += &format!("  {:<12} {src}\n", l("nguồn:", "source:"));
    }
    if let Some(note) = &r.note {
        s += &format!("  {:<12} {note}\n", l("ghi chú:", "note:"));
    }
    s
}
