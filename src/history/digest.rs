//! The morning message (SPEC §10.4): from the history alone — the latest snapshot and the one
//! before it — a headline (the top unit's score, rank and change), the alerts by severity, and
//! the largest falls per level within limits. Plain text that fits a phone's chat, markdown for
//! email, JSON for bots. Computes nothing the snapshots do not hold, except evaluating the
//! catalogue's alerts on them.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::alerts::{self, Fired};
use super::snapshot::{Row, Snapshot, Source};
use super::store::{read, History, HistoryError};
use crate::definition::alert::Severity;
use crate::definition::Catalogue;
use crate::labels::number;
use crate::project::Lang;

/// Falls listed per level when no `--limit` says otherwise.
pub const DEFAULT_LIMIT: usize = 3;

#[derive(Debug, thiserror::Error)]
pub enum DigestError {
    #[error(transparent)]
    History(#[from] HistoryError),
    #[error(transparent)]
    Alert(#[from] alerts::AlertError),
    #[error("the history at {root} has no snapshot of catalogue \"{catalogue}\"{until}; run `chitieu score` with a history first")]
    Empty {
        root: String,
        catalogue: String,
        until: String,
    },
}

/// What the digest says, before it is written in a format.
#[derive(Debug, Clone, Serialize)]
pub struct Digest {
    pub catalogue: String,
    pub title: String,
    pub period: String,
    pub cumulative: bool,
    pub as_of: String,
    pub previous_as_of: Option<String>,
    /// Days between the two snapshots compared (more than 1: days are missing).
    pub days: Option<i64>,
    pub source: Source,
    pub headline: Option<Headline>,
    /// How many alerts fired, by severity (`do`, `vang`, `thong_tin`), all of them.
    pub alert_counts: BTreeMap<&'static str, usize>,
    /// The alerts shown: by severity, then unit order, at most the level's limit per severity
    /// and level (the others are counted in `alert_counts`).
    pub alerts: Vec<Fired>,
    /// The largest falls of each level's totals, the largest first, within the limits.
    pub falls: BTreeMap<String, Vec<Fall>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub unit: String,
    pub name: String,
    pub score: Option<f64>,
    pub change: Option<f64>,
    pub rank: Option<u32>,
    pub rank_of: Option<u32>,
    pub rank_change: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Fall {
    pub unit: String,
    pub name: String,
    pub score: Option<f64>,
    pub change: f64,
    pub rank_change: Option<i64>,
    pub streak: u32,
}

/// The options of a digest.
#[derive(Debug, Clone, Default)]
pub struct DigestOptions {
    /// The latest snapshot at or before this date (default: the latest).
    pub as_of: Option<NaiveDate>,
    /// Falls listed per level (`--limit xa=10`); [`DEFAULT_LIMIT`] for the others.
    pub limits: Vec<(String, usize)>,
}

/// Builds the digest of catalogue `c` from `history`: the latest snapshot of the catalogue at
/// or before `as_of` (chitieu's own before the portal's of the same day; the longest period
/// first), compared with the snapshot its changes were measured against.
pub fn digest(
    history: &History,
    c: &Catalogue,
    opts: &DigestOptions,
) -> Result<Digest, DigestError> {
    let entries = history.entries()?;
    let latest = entries
        .iter()
        .filter(|e| e.key.catalogue == c.id)
        .filter(|e| opts.as_of.is_none_or(|d| e.key.as_of <= d))
        .max_by(|a, b| {
            (a.key.as_of, std::cmp::Reverse(a.key.source), a.key.period).cmp(&(
                b.key.as_of,
                std::cmp::Reverse(b.key.source),
                b.key.period,
            ))
        });
    let Some(latest) = latest else {
        return Err(DigestError::Empty {
            root: history.root.display().to_string(),
            catalogue: c.id.clone(),
            until: opts
                .as_of
                .map(|d| format!(" on or before {d}"))
                .unwrap_or_default(),
        });
    };
    let now = read(&latest.path)?;
    let previous = match now.previous_as_of {
        Some(d) => {
            let key = super::Key {
                as_of: d,
                ..now.key.clone()
            };
            let path = history.path_of(&key);
            if path.exists() {
                Some(super::store::read_compared(&key, &path)?)
            } else {
                None
            }
        }
        None => None,
    };
    let fired = alerts::evaluate(c, &now, previous.as_ref(), None)?;
    Ok(build(c, &now, fired, opts))
}

fn build(c: &Catalogue, now: &Snapshot, alerts: Vec<Fired>, opts: &DigestOptions) -> Digest {
    let top = now
        .totals()
        .find(|r| r.parent.is_none())
        .or_else(|| now.totals().next());
    let headline = top.map(|r| Headline {
        unit: r.unit.to_string(),
        name: r.name.to_string(),
        score: r.earned,
        change: r.change,
        rank: r.rank,
        rank_of: r.rank_of,
        rank_change: r.rank_change,
        reason: r.reason.clone(),
    });
    let limit = |level: &str| {
        opts.limits
            .iter()
            .find(|(l, _)| l == level)
            .map_or(DEFAULT_LIMIT, |(_, n)| *n)
    };
    let mut falls: BTreeMap<String, Vec<Fall>> = BTreeMap::new();
    let mut totals: Vec<&Row> = now
        .totals()
        .filter(|r| r.change.is_some_and(|x| x < 0.0))
        .collect();
    totals.sort_by(|a, b| a.change.unwrap_or(0.0).total_cmp(&b.change.unwrap_or(0.0)));
    for r in totals {
        let list = falls.entry(r.level.to_string()).or_default();
        if list.len() < limit(&r.level) {
            list.push(Fall {
                unit: r.unit.to_string(),
                name: r.name.to_string(),
                score: r.earned,
                change: r.change.unwrap_or(0.0),
                rank_change: r.rank_change,
                streak: r.streak,
            });
        }
    }
    falls.retain(|_, v| !v.is_empty());
    let mut alert_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut shown: BTreeMap<(Severity, String), usize> = BTreeMap::new();
    let mut kept = Vec::new();
    for a in alerts {
        *alert_counts.entry(a.severity.code()).or_default() += 1;
        let n = shown.entry((a.severity, a.level.clone())).or_default();
        if *n < limit(&a.level) {
            *n += 1;
            kept.push(a);
        }
    }
    let alerts = kept;
    Digest {
        catalogue: c.id.clone(),
        title: c.title.clone(),
        period: now.key.period.to_string(),
        cumulative: now.key.cumulative,
        as_of: now.key.as_of.format("%Y-%m-%d").to_string(),
        previous_as_of: now.previous_as_of.map(|d| d.format("%Y-%m-%d").to_string()),
        days: now.previous_as_of.map(|d| (now.key.as_of - d).num_days()),
        source: now.key.source,
        headline,
        alert_counts,
        alerts,
        falls,
    }
}

/// Whether an alert of `level` or louder fired (`--fail-on`).
pub fn fires(d: &Digest, level: Severity) -> bool {
    Severity::ALL
        .iter()
        .filter(|s| **s <= level)
        .any(|s| d.alert_counts.get(s.code()).is_some_and(|n| *n > 0))
}

/// "và 1.234 cảnh báo khác" when some alerts of `s` are not listed.
fn more_line(d: &Digest, s: Severity, shown: usize, lang: Lang) -> Option<String> {
    let all = d.alert_counts.get(s.code()).copied().unwrap_or(0);
    (all > shown).then(|| {
        format!(
            "{} {} {}",
            lang.pick("… và", "… and"),
            number((all - shown) as f64, 0, lang),
            lang.pick(
                "cảnh báo khác (xem alerts.csv, chitieu digest --limit)",
                "more (see alerts.csv, chitieu digest --limit)"
            )
        )
    })
}

/// "▼ 0,62", "▲ 1,20", "= 0,00".
pub fn signed(v: f64, lang: Lang) -> String {
    let arrow = if v < 0.0 {
        "▼"
    } else if v > 0.0 {
        "▲"
    } else {
        "="
    };
    format!("{arrow} {}", number(v.abs(), 2, lang))
}

fn date(text: &str, lang: Lang) -> String {
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => match lang {
            Lang::Vi => d.format("%d/%m/%Y").to_string(),
            Lang::En => d.format("%Y-%m-%d").to_string(),
        },
        Err(_) => text.to_string(),
    }
}

pub fn severity_label(s: Severity, lang: Lang) -> &'static str {
    match s {
        Severity::Do => lang.pick("Đỏ", "Red"),
        Severity::Vang => lang.pick("Vàng", "Yellow"),
        Severity::ThongTin => lang.pick("Thông tin", "Information"),
    }
}

fn severity_mark(s: Severity) -> &'static str {
    match s {
        Severity::Do => "🔴",
        Severity::Vang => "🟡",
        Severity::ThongTin => "ℹ️",
    }
}

/// One line of a fired alert: "Xã A — Tổng điểm: 61,20 → 60,58 (▼ 0,62); Tiến độ giải quyết ▼ 0,48".
pub fn alert_line(a: &Fired, lang: Lang) -> String {
    let item = if a.item == "total" {
        lang.pick("Tổng điểm", "Total").to_string()
    } else {
        a.item_name.clone()
    };
    let mut line = format!("{} — {}", a.unit_name, item);
    match (a.before, a.after) {
        (Some(b), Some(x)) => line.push_str(&format!(
            ": {} → {}",
            number(b, 2, lang),
            number(x, 2, lang)
        )),
        (None, Some(x)) => line.push_str(&format!(": {}", number(x, 2, lang))),
        _ => {}
    }
    if let Some(ch) = a.change {
        line.push_str(&format!(" ({})", signed(ch, lang)));
    }
    if let Some(s) = a.share.filter(|_| a.item != "total") {
        line.push_str(&format!(", {}%", number(s, 1, lang)));
    }
    if let Some(rc) = a.rank_change.filter(|rc| *rc != 0) {
        let word = lang.pick("bậc", "places");
        let arrow = if rc < 0 { "▼" } else { "▲" };
        line.push_str(&format!(", {arrow} {} {word}", rc.abs()));
    }
    if a.streak >= 2 {
        line.push_str(&format!(
            ", {} {}",
            a.streak,
            lang.pick("lần giảm liên tiếp", "falls in a row")
        ));
    }
    let parts: Vec<String> = a
        .contributors
        .iter()
        .map(|c| {
            let mut part = format!(
                "{} {}",
                crate::text::clip(&c.name, 40),
                signed(c.change, lang)
            );
            if let Some(d) = c.denominator_change.filter(|d| d.fract() == 0.0) {
                part.push_str(&format!(
                    " ({} {})",
                    if d > 0.0 { "+" } else { "−" }.to_string() + &number(d.abs(), 0, lang),
                    lang.pick("hồ sơ", "records")
                ));
            }
            part
        })
        .collect();
    if !parts.is_empty() {
        line.push_str(&format!("; {}", parts.join("; ")));
    }
    line
}

fn headline_line(d: &Digest, lang: Lang) -> Option<String> {
    let h = d.headline.as_ref()?;
    let mut line = format!(
        "{}: {} {}",
        h.name,
        h.score.map_or("—".to_string(), |s| number(s, 2, lang)),
        lang.pick("điểm", "points")
    );
    match (h.change, &h.reason) {
        (Some(ch), _) => line.push_str(&format!(" ({})", signed(ch, lang))),
        (None, Some(_)) => line.push_str(lang.pick(
            " (định nghĩa đã thay đổi: không so sánh)",
            " (definition changed: not compared)",
        )),
        _ => {}
    }
    if let (Some(r), Some(n)) = (h.rank, h.rank_of) {
        line.push_str(&format!(", {} {r}/{n}", lang.pick("hạng", "rank")));
        if let Some(rc) = h.rank_change.filter(|x| *x != 0) {
            let arrow = if rc < 0 { "▼" } else { "▲" };
            line.push_str(&format!(" ({arrow} {})", rc.abs()));
        }
    }
    Some(line)
}

fn since_line(d: &Digest, lang: Lang) -> String {
    let source = match d.source {
        Source::Chitieu => lang.pick("chitieu tính từ số liệu", "computed by chitieu"),
        Source::CongBo => lang.pick("số liệu Cổng công bố", "as published by the portal"),
    };
    let basis = match &d.previous_as_of {
        Some(p) => {
            let gap = match d.days {
                Some(n) if n > 1 => format!(
                    " ({} {n} {})",
                    lang.pick("cách", "a gap of"),
                    lang.pick("ngày", "days")
                ),
                _ => String::new(),
            };
            format!(
                "{} {}{gap}",
                lang.pick("so với", "compared with"),
                date(p, lang)
            )
        }
        None => lang
            .pick(
                "chưa có lần trước để so sánh",
                "no earlier snapshot to compare with",
            )
            .to_string(),
    };
    format!(
        "{} {} · {} {} · {basis} · {source}",
        lang.pick("Kỳ", "Period"),
        d.period,
        lang.pick("tính đến", "as of"),
        date(&d.as_of, lang)
    )
}

/// The digest as plain text: short lines, no tables (a chat message on a phone).
pub fn text(d: &Digest, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(&format!("📊 {}\n", d.catalogue));
    out.push_str(&since_line(d, lang));
    out.push('\n');
    if let Some(h) = headline_line(d, lang) {
        out.push_str(&h);
        out.push('\n');
    }
    for section in sections(d, lang) {
        out.push_str(&format!("\n{}\n", section.heading));
        for (name, line) in &section.lines {
            out.push_str(&format!("• {name}: {line}\n"));
        }
        if let Some(more) = &section.more {
            out.push_str(&format!("{more}\n"));
        }
    }
    if d.alerts.is_empty() {
        out.push_str(&format!(
            "\n{}\n",
            lang.pick("Không có cảnh báo.", "No alerts.")
        ));
    }
    for (level, falls) in &d.falls {
        out.push_str(&format!(
            "\n{} ({level})\n",
            lang.pick("Giảm nhiều nhất", "Largest falls")
        ));
        for f in falls {
            out.push_str(&format!("• {}\n", fall_line(f, lang)));
        }
    }
    out
}

fn fall_line(f: &Fall, lang: Lang) -> String {
    let mut line = format!("{}: {}", f.name, signed(f.change, lang));
    if let Some(s) = f.score {
        line.push_str(&format!(" → {}", number(s, 2, lang)));
    }
    if f.streak >= 2 {
        line.push_str(&format!(
            ", {} {}",
            f.streak,
            lang.pick("lần giảm liên tiếp", "falls in a row")
        ));
    }
    line
}

/// The digest as markdown (email).
pub fn markdown(d: &Digest, lang: Lang) -> String {
    let mut out = format!("# {}\n\n{}\n\n", d.title, since_line(d, lang));
    if let Some(h) = headline_line(d, lang) {
        out.push_str(&format!("**{h}**\n"));
    }
    out.push_str(&format!("\n## {}\n\n", lang.pick("Cảnh báo", "Alerts")));
    if d.alerts.is_empty() {
        out.push_str(&format!(
            "{}\n",
            lang.pick("Không có cảnh báo.", "No alerts.")
        ));
    }
    for section in sections(d, lang) {
        out.push_str(&format!("### {}\n\n", section.heading));
        for (name, line) in &section.lines {
            out.push_str(&format!("- **{name}**: {line}\n"));
        }
        if let Some(more) = &section.more {
            out.push_str(&format!("- {more}\n"));
        }
        out.push('\n');
    }
    if !d.falls.is_empty() {
        out.push_str(&format!(
            "\n## {}\n",
            lang.pick("Giảm nhiều nhất", "Largest falls")
        ));
        for (level, falls) in &d.falls {
            out.push_str(&format!("\n### {level}\n\n"));
            for f in falls {
                out.push_str(&format!("- {}\n", fall_line(f, lang)));
            }
        }
    }
    out
}

/// The alerts of one severity as every format lists them.
struct Section {
    /// "🔴 Đỏ (379)": the mark, the severity and how many fired.
    heading: String,
    /// (alert name, [`alert_line`]) of each alert shown.
    lines: Vec<(String, String)>,
    /// "… và 370 cảnh báo khác …" when some are not shown.
    more: Option<String>,
}

/// The digest's alerts by severity, red first; severities that fired none are left out.
fn sections(d: &Digest, lang: Lang) -> Vec<Section> {
    Severity::ALL
        .into_iter()
        .filter_map(|s| {
            let fired: Vec<&Fired> = d.alerts.iter().filter(|a| a.severity == s).collect();
            if fired.is_empty() {
                return None;
            }
            let all = d.alert_counts.get(s.code()).copied().unwrap_or(0);
            Some(Section {
                heading: format!(
                    "{} {} ({})",
                    severity_mark(s),
                    severity_label(s, lang),
                    number(all as f64, 0, lang)
                ),
                lines: fired
                    .iter()
                    .map(|a| (a.name.clone(), alert_line(a, lang)))
                    .collect(),
                more: more_line(d, s, fired.len(), lang),
            })
        })
        .collect()
}
