//! `chitieu history`: lists the snapshots of a history (period, as-of, source, units, the top
//! unit's total), or one unit's series; `--add-published DATA_DIR` first records the portal's
//! published figures of an imported data directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{checked_catalogue, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::definition::Catalogue;
use crate::history::digest::signed;
use crate::history::store::{read_totals, Entry, TotalFigures};
use crate::history::{History, Source};
use crate::labels::number;
use crate::project::Lang;

#[derive(Debug, Clone)]
pub struct HistoryOptions {
    pub history: PathBuf,
    pub catalogue: Option<PathBuf>,
    pub unit: Option<String>,
    pub add_published: Option<PathBuf>,
    pub lang: Lang,
}

pub fn run(opts: &HistoryOptions, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let status = steps(opts, out, err);
    super::finish(status, err)
}

fn steps(opts: &HistoryOptions, out: &mut dyn Write, err: &mut dyn Write) -> std::io::Result<u8> {
    let history = History::new(&opts.history);
    let catalogue = match &opts.catalogue {
        Some(dir) => match checked_catalogue(dir, "nothing was read", false, err)? {
            Ok(loaded) => Some(loaded.catalogue),
            Err(status) => return Ok(status),
        },
        None => None,
    };
    if let Some(data) = &opts.add_published {
        let Some(c) = &catalogue else {
            writeln!(err, "error: --add-published needs --catalogue (the catalogue the portal's figures belong to)")?;
            return Ok(EXIT_USAGE);
        };
        let status = add_published(&history, data, c, opts.lang, out, err)?;
        if status != EXIT_OK {
            return Ok(status);
        }
    }
    let entries = match history.entries() {
        Ok(e) => e,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_ERRORS);
        }
    };
    let entries: Vec<Entry> = entries
        .into_iter()
        .filter(|e| catalogue.as_ref().is_none_or(|c| c.id == e.key.catalogue))
        .collect();
    if entries.is_empty() {
        writeln!(
            out,
            "{} {}",
            opts.lang
                .pick("Chưa có lần chấm nào trong", "No snapshot yet in"),
            opts.history.display()
        )?;
        return Ok(EXIT_OK);
    }
    // each snapshot's totals, read only for what is listed
    let mut totals = Vec::with_capacity(entries.len());
    for e in &entries {
        match read_totals(&e.path) {
            Ok(t) => totals.push(t),
            Err(e) => {
                writeln!(err, "error: {e}")?;
                return Ok(EXIT_ERRORS);
            }
        }
    }
    match &opts.unit {
        None => list(&entries, &totals, opts.lang, out).map(|()| EXIT_OK),
        Some(unit) => series(&entries, &totals, unit, opts.lang, out, err),
    }
}

/// Records each day of `data`'s published.csv as a snapshot of the portal's figures.
fn add_published(
    history: &History,
    data: &Path,
    c: &Catalogue,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let snaps = match crate::history::published::snapshots(data, c) {
        Ok(s) => s,
        Err(diags) => {
            let mut sources = crate::diagnostics::Sources::default();
            crate::diagnostics::add_csv_sources(&diags, &mut sources);
            for d in &diags {
                writeln!(
                    err,
                    "{}\n",
                    crate::diagnostics::render(
                        d,
                        &sources,
                        crate::diagnostics::Format::Human,
                        false
                    )
                )?;
            }
            writeln!(
                err,
                "error: {} has {} error(s); nothing was recorded",
                data.display(),
                diags.len()
            )?;
            return Ok(EXIT_ERRORS);
        }
    };
    for snap in snaps {
        let key = snap.key.clone();
        if let Err(e) = history.record(snap) {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_ERRORS);
        }
        writeln!(
            out,
            "{} {} {} {}",
            lang.pick(
                "Đã ghi số liệu Cổng công bố:",
                "Recorded the portal's published figures:"
            ),
            key.period,
            lang.pick("tính đến", "as of"),
            key.as_of
        )?;
    }
    Ok(EXIT_OK)
}

fn source(s: Source, lang: Lang) -> &'static str {
    match s {
        Source::Chitieu => "chitieu",
        Source::CongBo => lang.pick("Cổng công bố", "portal"),
    }
}

/// A change as listed: "▼ 0,62", the reason it is not a number, or nothing.
fn change_text(t: &TotalFigures, lang: Lang) -> Option<String> {
    match (&t.change, &t.reason) {
        (Some(c), _) => Some(signed(*c, lang)),
        (None, Some(reason)) => Some(reason.clone()),
        _ => None,
    }
}

/// One line per snapshot: catalogue, period, as-of, source, units, the top unit's total.
fn list(
    entries: &[Entry],
    totals: &[Vec<TotalFigures>],
    lang: Lang,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let l = |vi, en| lang.pick(vi, en);
    writeln!(
        out,
        "{:<24} {:<14} {:<10} {:<12} {:>6}  {}",
        l("Bộ chỉ tiêu", "Catalogue"),
        l("Kỳ", "Period"),
        l("Tính đến", "As of"),
        l("Nguồn", "Source"),
        l("Đơn vị", "Units"),
        l(
            "Đơn vị đầu: tổng điểm (thay đổi)",
            "Top unit: total (change)"
        )
    )?;
    for (e, units) in entries.iter().zip(totals) {
        let top = units
            .iter()
            .find(|t| t.parent.is_none())
            .or_else(|| units.first())
            .map(|t| {
                let score = t.earned.map_or("—".into(), |s| number(s, 2, lang));
                let change = change_text(t, lang)
                    .map(|c| format!(" ({c})"))
                    .unwrap_or_default();
                format!("{}: {score}{change}", t.name)
            })
            .unwrap_or_default();
        let period = if e.key.cumulative {
            format!("{} {}", e.key.period, l("lũy kế", "ytd"))
        } else {
            e.key.period.to_string()
        };
        writeln!(
            out,
            "{:<24} {:<14} {:<10} {:<12} {:>6}  {top}",
            crate::text::clip(&e.key.catalogue, 24),
            period,
            e.key.as_of,
            source(e.key.source, lang),
            units.len()
        )?;
    }
    Ok(())
}

/// One line per snapshot holding `unit`: its total, change, rank and falls in a row.
fn series(
    entries: &[Entry],
    totals: &[Vec<TotalFigures>],
    unit: &str,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> std::io::Result<u8> {
    let l = |vi, en| lang.pick(vi, en);
    writeln!(
        out,
        "{:<14} {:<10} {:<12} {:>8} {:>9} {:>8} {:>6}",
        l("Kỳ", "Period"),
        l("Tính đến", "As of"),
        l("Nguồn", "Source"),
        l("Điểm", "Score"),
        l("Thay đổi", "Change"),
        l("Hạng", "Rank"),
        l("Giảm", "Falls")
    )?;
    let mut found = false;
    for (e, units) in entries.iter().zip(totals) {
        let Some(t) = units.iter().find(|t| t.unit == unit) else {
            continue;
        };
        found = true;
        let rank = match (t.rank, t.rank_of) {
            (Some(a), Some(b)) => format!("{a}/{b}"),
            _ => "—".into(),
        };
        writeln!(
            out,
            "{:<14} {:<10} {:<12} {:>8} {:>9} {:>8} {:>6}",
            e.key.period.to_string(),
            e.key.as_of,
            source(e.key.source, lang),
            t.earned.map_or("—".into(), |s| number(s, 2, lang)),
            change_text(t, lang).unwrap_or_else(|| "—".into()),
            rank,
            t.streak
        )?;
    }
    if !found {
        writeln!(
            err,
            "error: no snapshot has unit \"{}\"",
            crate::text::clip(unit, 60)
        )?;
        return Ok(EXIT_ERRORS);
    }
    Ok(EXIT_OK)
}
