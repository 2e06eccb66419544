//! `chitieu history`: lists the snapshots of a history (period, as-of, source, units, the top
//! unit's total), or one unit's series; `--add-published DATA_DIR` first records the portal's
//! published figures of an imported data directory.

use std::io::Write;
use std::path::PathBuf;

use super::{checked_catalogue, EXIT_ERRORS, EXIT_OK, EXIT_USAGE};
use crate::history::store::read;
use crate::history::{History, Kind, Source};
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
    let l = |vi, en| opts.lang.pick(vi, en);
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
                l(
                    "Đã ghi số liệu Cổng công bố:",
                    "Recorded the portal's published figures:"
                ),
                key.period,
                l("tính đến", "as of"),
                key.as_of
            )?;
        }
    }
    let entries = match history.entries() {
        Ok(e) => e,
        Err(e) => {
            writeln!(err, "error: {e}")?;
            return Ok(EXIT_ERRORS);
        }
    };
    let entries: Vec<_> = entries
        .into_iter()
        .filter(|e| catalogue.as_ref().is_none_or(|c| c.id == e.key.catalogue))
        .collect();
    if entries.is_empty() {
        writeln!(
            out,
            "{} {}",
            l("Chưa có lần chấm nào trong", "No snapshot yet in"),
            opts.history.display()
        )?;
        return Ok(EXIT_OK);
    }
    let source = |s: Source| match s {
        Source::Chitieu => l("chitieu", "chitieu"),
        Source::CongBo => l("Cổng công bố", "portal"),
    };
    match &opts.unit {
        None => {
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
            for e in &entries {
                let snap = match read(&e.path) {
                    Ok(s) => s,
                    Err(err_) => {
                        writeln!(err, "error: {err_}")?;
                        return Ok(EXIT_ERRORS);
                    }
                };
                let units = snap.totals().count();
                let top = snap
                    .totals()
                    .find(|r| r.parent.is_none())
                    .or_else(|| snap.totals().next());
                let top = top
                    .map(|r| {
                        let score = r.earned.map_or("—".into(), |s| number(s, 2, opts.lang));
                        let change = match (&r.change, &r.reason) {
                            (Some(c), _) => {
                                format!(" ({})", crate::history::digest::signed(*c, opts.lang))
                            }
                            (None, Some(reason)) => format!(" ({reason})"),
                            _ => String::new(),
                        };
                        format!("{}: {score}{change}", r.name)
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
                    source(e.key.source),
                    units
                )?;
            }
        }
        Some(unit) => {
            let mut found = false;
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
            for e in &entries {
                let snap = match read(&e.path) {
                    Ok(s) => s,
                    Err(err_) => {
                        writeln!(err, "error: {err_}")?;
                        return Ok(EXIT_ERRORS);
                    }
                };
                let Some(r) = snap
                    .rows
                    .iter()
                    .find(|r| r.kind == Kind::Total && r.unit == *unit)
                else {
                    continue;
                };
                found = true;
                let rank = match (r.rank, r.rank_of) {
                    (Some(a), Some(b)) => format!("{a}/{b}"),
                    _ => "—".into(),
                };
                let change = match (&r.change, &r.reason) {
                    (Some(c), _) => crate::history::digest::signed(*c, opts.lang),
                    (None, Some(reason)) => reason.clone(),
                    _ => "—".into(),
                };
                writeln!(
                    out,
                    "{:<14} {:<10} {:<12} {:>8} {:>9} {:>8} {:>6}",
                    e.key.period.to_string(),
                    e.key.as_of,
                    source(e.key.source),
                    r.earned.map_or("—".into(), |s| number(s, 2, opts.lang)),
                    change,
                    rank,
                    r.streak
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
        }
    }
    Ok(EXIT_OK)
}
