//! tasks.csv of the Lào Cai data set: the progress each lead department reports for its tasks of
//! Phụ lục II as of 31 October 2026 — done on time or late, in progress, overdue, recurring.

use chrono::{Duration, NaiveDate};

use super::csv::Csv;
use super::rng::Rng;
use super::units::{body_key, Kind, Unit};
use chitieu::definition::Task;
use chitieu::tasks::Deadline;

/// The date of the data: the October 2026 report.
pub fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 31).unwrap_or_default()
}

/// Writes tasks.csv; returns the number of data rows.
pub fn write(csv: &mut Csv, tasks: &[Task], units: &[Unit], seed: u64) -> usize {
    csv.row(&["task", "unit", "status", "completed_on", "note"]);
    let mut rng = Rng::new(seed, "tasks");
    let as_of = as_of();
    let start = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap_or(as_of);
    let mut past_due = 0usize;
    let mut done = 0usize;
    let mut rows = 0;
    for task in tasks {
        let mut leads: Vec<&Unit> = Vec::new();
        for lead in &task.lead {
            let key = body_key(lead);
            let unit = units
                .iter()
                .find(|u| matches!(u.kind, Kind::Department { .. }) && body_key(&u.name) == key);
            if let Some(unit) = unit {
                if !leads.iter().any(|u| u.id == unit.id) {
                    leads.push(unit);
                }
            }
        }
        for unit in leads {
            let due = task.deadline.due_at(as_of);
            let outcome = match (&task.deadline, due) {
                // Past its deadline: cycle through the three outcomes so that each occurs.
                (_, Some(due)) if due <= as_of => {
                    past_due += 1;
                    match past_due % 3 {
                        1 => Outcome::Done(date_between(&mut rng, due - Duration::days(45), due)),
                        2 => Outcome::Done(date_between(
                            &mut rng,
                            due + Duration::days(1),
                            (due + Duration::days(80)).min(as_of),
                        )),
                        _ => Outcome::Open("Chậm tiến độ, đang hoàn thiện hồ sơ"),
                    }
                }
                (_, Some(due)) => {
                    let x = rng.unit();
                    if x < 0.06 {
                        Outcome::NoRow
                    } else if x < 0.18 {
                        Outcome::Done(date_between(&mut rng, start, due.min(as_of)))
                    } else if x < 0.85 {
                        Outcome::Open("")
                    } else {
                        Outcome::NotStarted("")
                    }
                }
                (Deadline::Conditional, None) => {
                    let x = rng.unit();
                    if x < 0.08 {
                        Outcome::NoRow
                    } else if x < 0.25 {
                        Outcome::Done(date_between(&mut rng, start, as_of))
                    } else if x < 0.75 {
                        Outcome::Open("Triển khai theo hướng dẫn của Bộ Công an")
                    } else {
                        Outcome::NotStarted("Chờ chỉ đạo, hướng dẫn của Trung ương")
                    }
                }
                (_, None) => {
                    let x = rng.unit();
                    if x < 0.06 {
                        Outcome::NoRow
                    } else if x < 0.1 {
                        Outcome::Done(date_between(&mut rng, start, as_of))
                    } else {
                        Outcome::Open("Thực hiện thường xuyên")
                    }
                }
            };
            let (status, completed_on, note) = match outcome {
                Outcome::NoRow => continue,
                Outcome::Done(date) => {
                    done += 1;
                    // Some offices write the status in Vietnamese.
                    let status = if done.is_multiple_of(3) {
                        "Hoàn thành"
                    } else {
                        "hoan_thanh"
                    };
                    (status, date.to_string(), "")
                }
                Outcome::Open(note) => ("dang_thuc_hien", String::new(), note),
                Outcome::NotStarted(note) => ("chua_thuc_hien", String::new(), note),
            };
            csv.row(&[&task.id, &unit.id, status, &completed_on, note]);
            rows += 1;
        }
    }
    rows
}

enum Outcome {
    NoRow,
    Done(NaiveDate),
    Open(&'static str),
    NotStarted(&'static str),
}

/// A day in [from, to] (from when the range is empty).
fn date_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days();
    from + Duration::days(rng.between(0, days.max(0)))
}
