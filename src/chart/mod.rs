//! Charts of a scorecard with plotters (SPEC §7.2), each as SVG and PNG, with the shipped font
//! so that Vietnamese text renders the same everywhere. Draws; computes no scores.
//!
//! [`render_all`] plans every chart of a run and draws them in parallel:
//! * `league` — the largest peer set ranked by score, bars coloured by grade; `league-<level>`
//!   (a peer set of roots) and `league-<level>-<parent>` for every other peer set of ≥ 2 units;
//! * `unit-<id>` — one unit's indicators as bullets (a bar for the value, a tick for the target);
//! * `heatmap` — units × indicators, cells coloured by status;
//! * `trend-<indicator>` — values of the top-level units over periods, the target trajectory and
//!   the forecast to the final target year;
//! * `tasks` — each unit's own task assignments by status, stacked;
//! * `reports` — each unit's own reports by status (SPEC §6.1), late and missing first.
//!
//! Ids are used as they are in chart names when they are file-safe, else folded to ASCII.

mod canvas;
mod heatmap;
mod league;
pub(crate) mod monitor;
mod reports;
mod stacked;
mod tasks;
mod trend;
mod unit;

use std::collections::HashMap;

use rayon::prelude::*;

use crate::definition::{Catalogue, Indicator};
use crate::labels;
use crate::project::Lang;
use crate::score::scorecard::{Scorecard, UnitCard};

/// One rendered chart: `name` without extension (`league`, `unit-xa-bat-xat`, `heatmap`,
/// `trend-ho-so-truc-tuyen`, `tasks`), written as `charts/<name>.svg` and `charts/<name>.png`.
#[derive(Debug, Clone)]
pub struct Chart {
    pub name: String,
    /// A short human title (in the run's language), for captions.
    pub title: String,
    pub svg: String,
    pub png: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("cannot load the chart font: {0}")]
    Font(#[from] canvas::FontError),
    #[error("cannot draw chart {name}: {message}")]
    Draw { name: String, message: String },
    #[error("cannot encode chart {name} as PNG: {message}")]
    Png { name: String, message: String },
}

/// The charts drawn once per page, by name (the file stem in `charts/`).
pub(crate) const LEAGUE: &str = "league";
const HEATMAP: &str = "heatmap";
const TASKS: &str = "tasks";
const REPORTS: &str = "reports";
const MONITOR: &str = "monitor-groups";
/// The prefixes of the charts drawn per unit (`unit-<id>`), indicator (`trend-<id>`) and peer
/// set (`league-<level>[-<parent>]`).
const UNIT: &str = "unit-";
const TREND: &str = "trend-";
const LEAGUE_OF: &str = "league-";

/// Whether `stem` is the name of a chart chitieu draws: the one list the writer reads to remove
/// the charts of an earlier run (and only those).
pub(crate) fn is_chart_name(stem: &str) -> bool {
    [LEAGUE, HEATMAP, TASKS, REPORTS, MONITOR].contains(&stem)
        || [LEAGUE_OF, UNIT, TREND].iter().any(|p| stem.starts_with(p))
}

/// Every chart of a scorecard in the language `lang`, sorted by name.
pub fn render_all(card: &Scorecard, c: &Catalogue, lang: Lang) -> Result<Vec<Chart>, ChartError> {
    canvas::ensure_fonts()?;
    let ctx = Context::new(card, c, lang);
    let mut jobs: Vec<(String, Job)> = Vec::new();
    for (name, set) in league::charted_sets(card) {
        jobs.push((name, Job::League(set)));
    }
    for (u, unit) in card.units.iter().enumerate() {
        jobs.push((
            format!("{UNIT}{}", labels::file_safe(&unit.id)),
            Job::Unit(u),
        ));
    }
    if !card.units.is_empty() && !c.indicators.is_empty() {
        jobs.push((HEATMAP.to_string(), Job::Heatmap));
    }
    for (k, indicator) in c.indicators.iter().enumerate() {
        if trend::applies(&ctx, k) {
            let name = format!("{TREND}{}", labels::file_safe(&indicator.id));
            jobs.push((name, Job::Trend(k)));
        }
    }
    if !card.tasks.is_empty() {
        jobs.push((TASKS.to_string(), Job::Tasks));
    }
    if !card.reports.is_empty() {
        jobs.push((REPORTS.to_string(), Job::Reports));
    }
    if monitor::applies(&ctx) {
        jobs.push((MONITOR.to_string(), Job::Monitor));
    }
    unique_names(&mut jobs);
    let mut charts = jobs
        .into_par_iter()
        .map(|(name, job)| {
            // a panic of plotters or the PNG encoder fails this chart, with its name
            let chart_name = name.clone();
            crate::guard::catch(|| match job {
                Job::League(set) => league::chart(&ctx, name, &card.peer_sets[set]),
                Job::Unit(u) => unit::chart(&ctx, name, u),
                Job::Heatmap => heatmap::chart(&ctx, name),
                Job::Trend(k) => trend::chart(&ctx, name, k),
                Job::Tasks => tasks::chart(&ctx, name),
                Job::Reports => reports::chart(&ctx, name),
                Job::Monitor => monitor::chart(&ctx, name),
            })
            .unwrap_or_else(|crate::guard::Panicked { message }| {
                Err(ChartError::Draw {
                    name: chart_name,
                    message,
                })
            })
        })
        .collect::<Result<Vec<Chart>, ChartError>>()?;
    charts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(charts)
}

enum Job {
    /// An index into `Scorecard::peer_sets`.
    League(usize),
    Unit(usize),
    Heatmap,
    Trend(usize),
    Tasks,
    Reports,
    /// The top unit's groups over the snapshots of the history (SPEC §10.2).
    Monitor,
}

/// Two ids that fold to the same file name get `-2`, `-3` … in the order of the jobs.
fn unique_names(jobs: &mut [(String, Job)]) {
    let names = labels::unique_names(jobs.iter().map(|(name, _)| name.as_str()), &[]);
    for ((name, _), unique) in jobs.iter_mut().zip(names) {
        *name = unique;
    }
}

/// What every chart of a run reads: the scorecard, the catalogue, the language, and labels
/// measured once.
pub(crate) struct Context<'a> {
    pub card: &'a Scorecard,
    pub c: &'a Catalogue,
    pub lang: Lang,
    /// `<catalogue title> · kỳ <period>`.
    pub subtitle: String,
    /// Catalogue indicators by id.
    indicators: HashMap<&'a str, &'a Indicator>,
    units: HashMap<&'a str, &'a UnitCard>,
}

impl<'a> Context<'a> {
    fn new(card: &'a Scorecard, c: &'a Catalogue, lang: Lang) -> Context<'a> {
        Context {
            card,
            c,
            lang,
            subtitle: format!(
                "{} · {} {}",
                card.catalogue.title,
                lang.pick("kỳ", "period"),
                card.period
            ),
            indicators: c.indicators.iter().map(|i| (i.id.as_str(), i)).collect(),
            units: card.units.iter().map(|u| (u.id.as_str(), u)).collect(),
        }
    }

    pub fn l(&self, vi: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(vi, en)
    }

    pub fn indicator(&self, id: &str) -> Option<&'a Indicator> {
        self.indicators.get(id).copied()
    }

    pub fn unit(&self, id: &str) -> Option<&'a UnitCard> {
        self.units.get(id).copied()
    }
}

/// `I.5 Tỷ lệ hồ sơ …`: the code (when there is one) and the name of an indicator.
pub(crate) fn indicator_label(i: &Indicator) -> String {
    match &i.code {
        Some(code) => format!("{code} {}", i.name),
        None => i.name.clone(),
    }
}

#[cfg(test)]
mod tests;
