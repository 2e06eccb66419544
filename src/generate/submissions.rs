//! submissions.csv of the Lào Cai data set: when each unit sent each report of the catalogue's
//! `[[report]]`s that was due by 31 October 2026 — most on time, some late, a few never.

use chrono::{Duration, NaiveDate};

use super::csv::Csv;
use super::rng::Rng;
use super::tasks::as_of;
use super::units::Unit;
use chitieu::data::Period;
use chitieu::definition::Catalogue;

/// How a unit keeps its reporting deadlines: the share of its reports sent on time and late (the
/// rest are never sent).
struct Habit {
    on_time: f64,
    late: f64,
}

/// Draws a unit's habit: most are reliable, a quarter slow, a few negligent.
fn habit(rng: &mut Rng) -> Habit {
    let x = rng.unit();
    if x < 0.70 {
        Habit {
            on_time: 0.97,
            late: 0.03,
        }
    } else if x < 0.94 {
        Habit {
            on_time: 0.75,
            late: 0.20,
        }
    } else {
        Habit {
            on_time: 0.40,
            late: 0.30,
        }
    }
}

/// Writes submissions.csv; returns (rows, on time, late, missing) over the reports due by the
/// as-of date. Draws from its own stream, so the other files do not change with it.
pub fn write(
    csv: &mut Csv,
    catalogue: &Catalogue,
    units: &[Unit],
    seed: u64,
) -> (usize, usize, usize, usize) {
    csv.row(&["unit", "report", "period", "submitted_on"]);
    let mut rng = Rng::new(seed, "submissions");
    let as_of = as_of();
    let (mut rows, mut on_time, mut late, mut missing) = (0, 0, 0, 0);
    for unit in units {
        let habit = habit(&mut rng);
        let owed =
            chitieu::cycle::owed_until(catalogue, &unit.id, unit.level, Period::Month(2026, 10));
        for o in owed.into_iter().filter(|o| o.due <= as_of) {
            let x = rng.unit();
            let sent = if x < habit.on_time {
                on_time += 1;
                day_between(&mut rng, o.due - Duration::days(9), o.due)
            } else if x < habit.on_time + habit.late {
                late += 1;
                day_between(
                    &mut rng,
                    o.due + Duration::days(1),
                    o.due + Duration::days(15),
                )
                .min(as_of)
            } else {
                missing += 1;
                continue;
            };
            // some offices write the day as they do on paper
            let day = if rows % 11 == 5 {
                sent.format("%d/%m/%Y").to_string()
            } else {
                sent.to_string()
            };
            let report = &catalogue.reports[o.report].id;
            csv.row(&[&unit.id, report, &o.period.to_string(), &day]);
            rows += 1;
        }
    }
    (rows, on_time, late, missing)
}

/// A day in [from, to] (from when the range is empty).
fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days();
    from + Duration::days(rng.between(0, days.max(0)))
}
