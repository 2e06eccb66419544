//! Benchmark of monitoring over time at national scale (SPEC §10): a year of daily snapshots of
//! 4,114 units × 28 items (the total, the 6 groups and 21 sub-indicators of
//! `indicators/bo-chi-so-766`), recorded one by one into a history; then what a score run adds
//! when it keeps a history (record the day, evaluate the alerts, and with charts read the series'
//! 30 latest snapshots), and `chitieu digest` over the 365 files.
//!
//! Run: `cargo bench --bench history` (release build). The figures are synthetic (a random walk
//! per unit and item), not real: only their number matters here.

// a benchmark's panic is its failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use chitieu::internals::{fingerprint, History, Key, Kind, Row, Snapshot, Source};

/// SplitMix64: a tiny deterministic generator, enough for benchmark data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

const PROVINCES: usize = 34;
const UNITS: usize = 4_114;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    // `CHITIEU_BENCH_DAYS=20 cargo bench --bench history` for a quicker run
    let days: usize = std::env::var("CHITIEU_BENCH_DAYS")
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(365);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let loaded =
        chitieu::check(&root.join("indicators/bo-chi-so-766")).unwrap_or_else(|e| panic!("{e}"));
    let c = loaded.catalogue;
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let history = History::new(dir.path().join("history"));
    // units: 34 provinces, the rest their departments and communes
    let mut units: Vec<(String, String, Option<String>)> = (0..PROVINCES)
        .map(|p| (format!("H{p:02}"), "tinh".to_string(), None))
        .collect();
    for i in PROVINCES..UNITS {
        let p = i % PROVINCES;
        let level = if i % 9 == 0 { "so" } else { "xa" };
        units.push((
            format!("H{p:02}.{i}"),
            level.to_string(),
            Some(format!("H{p:02}")),
        ));
    }
    let total_print = fingerprint::total(&c);
    let items = chitieu::internals::items(&c);
    let mut rng = Rng(2026);
    // each unit's share of every item, walking day by day
    let mut shares: Vec<Vec<f64>> = (0..UNITS)
        .map(|_| items.iter().map(|_| 0.4 + 0.5 * rng.unit()).collect())
        .collect();
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let mut record_times = Vec::new();
    for day in 0..days {
        let mut rows = Vec::with_capacity(UNITS * (items.len() + 1));
        for (u, (id, level, parent)) in units.iter().enumerate() {
            let base = Row {
                unit: id.as_str().into(),
                name: format!("Đơn vị {id}").into(),
                level: level.as_str().into(),
                parent: parent.as_deref().map(Into::into),
                item: "total".into(),
                kind: Kind::Total,
                value: None,
                numerator: None,
                denominator: None,
                max: Some(100.0),
                earned: None,
                status: None,
                rank: None,
                rank_of: None,
                fingerprint: total_print.as_str().into(),
                change: None,
                rank_change: None,
                streak: 0,
                previous_status: None,
                reason: None,
                note: None,
            };
            let mut total = 0.0;
            let mut item_rows = Vec::with_capacity(items.len());
            for (k, (kind, item, points, print)) in items.iter().enumerate() {
                let s = &mut shares[u][k];
                *s = (*s + (rng.unit() - 0.5) * 0.02).clamp(0.0, 1.0);
                let earned = (*s * points * 100.0).round() / 100.0;
                if *kind == Kind::Group {
                    total += earned;
                }
                item_rows.push(Row {
                    item: item.as_str().into(),
                    kind: *kind,
                    value: Some(*s * 100.0),
                    max: Some(*points),
                    earned: Some(earned),
                    fingerprint: print.as_str().into(),
                    ..base.clone()
                });
            }
            rows.push(Row {
                value: Some(total),
                earned: Some(total),
                rank: Some((u % 120) as u32 + 1),
                rank_of: Some(120),
                ..base
            });
            rows.extend(item_rows);
        }
        let snap = Snapshot {
            key: Key {
                catalogue: c.id().to_string(),
                period: chitieu::Period::Year(2026),
                cumulative: false,
                as_of: start + chrono::Duration::days(day as i64),
                source: Source::Chitieu,
            },
            chitieu: "bench".into(),
            previous_as_of: None,
            rows,
        };
        let t = Instant::now();
        let (now, previous) = history.record(snap).unwrap_or_else(|e| panic!("{e}"));
        let recorded = t.elapsed();
        if day + 1 == days {
            // what a score run adds with a history: the record above, the series' 30 latest
            // snapshots for the charts, the alerts
            let t = Instant::now();
            let series = history
                .series(&now.key.series())
                .unwrap_or_else(|e| panic!("{e}"));
            let listed = t.elapsed();
            let t1 = Instant::now();
            for e in series.iter().rev().skip(1).take(29) {
                chitieu::internals::read_trend(&e.path, Some("H00"))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let trend = t1.elapsed();
            let t2 = Instant::now();
            let fired = chitieu::internals::evaluate(&c, &now, previous.as_ref(), None)
                .unwrap_or_else(|e| panic!("{e}"));
            let alerts = t2.elapsed();
            let rest = t.elapsed();
            let t3 = Instant::now();
            let again = chitieu::internals::read(&series[series.len() - 2].path)
                .unwrap_or_else(|e| panic!("{e}"));
            println!(
                "  of which: list the series {:.3} s, 29 earlier snapshots for the charts {:.3} s, alerts {:.3} s; one snapshot read whole {:.3} s ({} rows)",
                listed.as_secs_f64(),
                trend.as_secs_f64(),
                alerts.as_secs_f64(),
                t3.elapsed().as_secs_f64(),
                again.rows.len()
            );
            println!(
                "score run's monitoring at national scale ({} rows, {} alerts fired): record {:.3} s + alerts {:.3} s = {:.3} s with --no-charts; {:.3} s with the charts' series",
                now.rows.len(),
                fired.len(),
                recorded.as_secs_f64(),
                alerts.as_secs_f64(),
                (recorded + alerts).as_secs_f64(),
                (recorded + rest).as_secs_f64(),
            );
        }
        record_times.push(recorded);
    }
    println!(
        "recorded {days} daily snapshots of {UNITS} units × {} items: median {:.3} s per snapshot",
        items.len() + 1,
        median(record_times).as_secs_f64()
    );
    let size: u64 = history
        .entries()
        .unwrap_or_default()
        .iter()
        .filter_map(|e| std::fs::metadata(&e.path).ok())
        .map(|m| m.len())
        .sum();
    println!("history: {:.1} MB on disk", size as f64 / 1e6);
    let mut times = Vec::new();
    let mut chars = 0;
    for _ in 0..5 {
        let t = Instant::now();
        let d = chitieu::internals::digest(&history, &c, &Default::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let text = chitieu::internals::digest_text(&d, chitieu::Lang::Vi);
        times.push(t.elapsed());
        chars = text.chars().count();
    }
    println!(
        "chitieu digest over {days} snapshots: median of 5 {:.3} s ({chars} characters)",
        median(times).as_secs_f64()
    );
}
