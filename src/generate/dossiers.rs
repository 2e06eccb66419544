//! ho_so.parquet of the Lào Cai data set: one row per administrative dossier (hồ sơ thủ tục hành
//! chính) received from 1 January to 31 October 2026 by the departments and communes, with the
//! flags the Bộ chỉ số 766 measures are computed from. Rates differ by unit and rise by month.

use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use polars::prelude::*;

use super::rng::Rng;
use super::units::{Kind, Unit};
use super::{cannot_write, GenerateError};

/// Rows per Parquet row group: a few groups for the default 300 000 dossiers.
const ROW_GROUP: usize = 65_536;

/// Departments' share of all dossiers; communes and wards receive the rest.
const DEPARTMENT_SHARE: f64 = 0.28;

/// Public holidays of 2026 on working days (Tết Bính Ngọ 14–22/2, Giỗ Tổ observed 27/4, 30/4,
/// 1/5, Quốc khánh 1–2/9), when almost nothing is received.
pub(super) const HOLIDAYS: &[(u32, u32)] = &[
    (1, 1),
    (2, 16),
    (2, 17),
    (2, 18),
    (2, 19),
    (2, 20),
    (4, 27),
    (4, 30),
    (5, 1),
    (9, 1),
    (9, 2),
];

/// Relative volume by month (January … October): a dip around Tết, a busier summer.
const MONTH_VOLUME: [f64; 10] = [1.0, 0.85, 1.08, 1.0, 1.02, 1.06, 1.1, 1.04, 1.0, 1.05];

/// How one unit handles dossiers; rates are for January, `*_gain` per month after it.
#[derive(Debug, Clone, Copy)]
struct Propensity {
    online: f64,
    online_gain: f64,
    fee: f64,
    pay: f64,
    pay_gain: f64,
    digitise: f64,
    digitise_gain: f64,
    e_result: f64,
    e_result_gain: f64,
    on_time: f64,
    rated: f64,
    satisfied: f64,
    reuse: f64,
    reuse_gain: f64,
}

impl Propensity {
    fn draw(rng: &mut Rng, readiness: f64, department: bool) -> Propensity {
        let r = readiness.clamp(-2.0, 2.5);
        let mut s = |centre: f64, by_readiness: f64, noise: f64| {
            centre + by_readiness * r + noise * rng.signed()
        };
        let d = if department { 1.0 } else { 0.0 };
        Propensity {
            online: s(0.52 + 0.18 * d, 0.07, 0.1),
            online_gain: s(0.02, 0.004, 0.008).max(0.0),
            fee: s(0.32 + 0.15 * d, 0.0, 0.1),
            pay: s(0.42, 0.05, 0.08),
            pay_gain: s(0.02, 0.004, 0.008).max(0.0),
            digitise: s(0.35, 0.08, 0.12),
            digitise_gain: s(0.025, 0.005, 0.01).max(0.0),
            e_result: s(0.6 + 0.08 * d, 0.06, 0.1),
            e_result_gain: s(0.02, 0.004, 0.008).max(0.0),
            on_time: s(0.965 - 0.02 * d, 0.01, 0.025),
            rated: s(0.35, 0.05, 0.12),
            satisfied: s(0.94, 0.015, 0.025),
            reuse: s(0.25, 0.05, 0.08),
            reuse_gain: s(0.025, 0.005, 0.01).max(0.0),
        }
    }
}

/// The columns of ho_so.parquet, filled row by row.
#[derive(Default)]
struct Columns {
    unit: Vec<String>,
    day: Vec<i32>,
    channel: Vec<&'static str>,
    fee: Vec<bool>,
    paid_online: Vec<bool>,
    digitised: Vec<bool>,
    e_result: Vec<bool>,
    resolved: Vec<bool>,
    on_time: Vec<bool>,
    rating: Vec<Option<i8>>,
    reused: Vec<bool>,
}

/// Writes `dossiers` rows to `path`; returns the file size in bytes.
pub fn write(
    path: &Path,
    units: &[Unit],
    seed: u64,
    dossiers: usize,
) -> Result<u64, GenerateError> {
    let mut rng = Rng::new(seed, "dossiers");
    // Who receives dossiers, how many, and how they handle them.
    let mut handlers: Vec<(&Unit, f64, Propensity)> = Vec::new();
    for unit in units {
        match &unit.kind {
            Kind::Province => {}
            Kind::Department { weight, .. } => {
                let readiness = 0.5 * rng.normal();
                let p = Propensity::draw(&mut rng, readiness, true);
                handlers.push((unit, *weight, p));
            }
            Kind::Commune(c) => {
                let p = Propensity::draw(&mut rng, c.readiness, false);
                let weight = f64::from(c.population) / 1000.0 * if c.ward { 1.5 } else { 1.0 };
                handlers.push((unit, weight, p));
            }
        }
    }
    let communes: f64 = handlers
        .iter()
        .filter(|h| h.0.commune().is_some())
        .map(|h| h.1)
        .sum();
    let departments: f64 = handlers
        .iter()
        .filter(|h| h.0.commune().is_none())
        .map(|h| h.1)
        .sum();
    if departments > 0.0 {
        let scale = communes * DEPARTMENT_SHARE / (1.0 - DEPARTMENT_SHARE) / departments;
        for h in handlers.iter_mut().filter(|h| h.0.commune().is_none()) {
            h.1 *= scale;
        }
    }
    let mut cumulative = Vec::with_capacity(handlers.len());
    let mut total = 0.0;
    for h in &handlers {
        total += h.1;
        cumulative.push(total);
    }

    let days = days();
    let per_day = allocate(dossiers, &days.iter().map(|d| d.1).collect::<Vec<_>>());
    let last = days.last().map(|d| d.0).unwrap_or_default();
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    let mut cols = Columns::default();
    let mut today: Vec<usize> = Vec::new();
    for ((date, _), count) in days.iter().zip(per_day) {
        today.clear();
        today.extend((0..count).map(|_| rng.pick(&cumulative)));
        today.sort_unstable();
        let month = f64::from(date.month0());
        let age = (last - *date).num_days() as f64;
        for &h in &today {
            let (unit, _, p) = &handlers[h];
            cols.unit.push(unit.id.clone());
            cols.day.push((*date - epoch).num_days() as i32);
            dossier(&mut rng, p, month, age, &mut cols);
        }
    }

    let mut df = frame(cols).map_err(GenerateError::DossierTable)?;
    let file = std::fs::File::create(path).map_err(cannot_write(path))?;
    ParquetWriter::new(file)
        .with_row_group_size(Some(ROW_GROUP))
        .finish(&mut df)
        .map_err(|source| GenerateError::WriteParquet {
            path: path.to_path_buf(),
            source,
        })
}

/// Draws one dossier received `age` days before 31 October, in month index `month` (0 = Jan).
fn dossier(rng: &mut Rng, p: &Propensity, month: f64, age: f64, cols: &mut Columns) {
    let rate = |base: f64, gain: f64| (base + gain * month).clamp(0.02, 0.99);
    let online = rng.chance(rate(p.online, p.online_gain));
    let channel = if online {
        "truc_tuyen"
    } else if rng.chance(0.06) {
        "buu_chinh"
    } else {
        "truc_tiep"
    };
    let fee = rng.chance(p.fee.clamp(0.05, 0.9));
    let pay = rate(p.pay, p.pay_gain);
    let paid_online = fee
        && rng.chance(if online {
            (pay * 1.25).min(0.98)
        } else {
            pay * 0.45
        });
    // Online dossiers arrive digital; others are digitised at the desk, more so month by month.
    let digitised = online || rng.chance(rate(p.digitise, p.digitise_gain));
    // Most dossiers are resolved within three weeks; the latest ones are still open.
    let resolved = rng.chance((0.2 + 0.04 * age).min(0.985));
    let on_time = resolved && rng.chance((p.on_time + 0.002 * month).clamp(0.8, 0.999));
    let e_result = resolved
        && rng
            .chance((rate(p.e_result, p.e_result_gain) + if online { 0.1 } else { 0.0 }).min(0.99));
    let rated =
        resolved && rng.chance((p.rated + if online { 0.15 } else { 0.0 }).clamp(0.05, 0.9));
    let rating = if rated {
        let satisfied = rng.chance((p.satisfied + 0.002 * month).clamp(0.8, 0.995));
        let x = rng.unit();
        Some(match (satisfied, x) {
            (true, x) if x < 0.72 => 5,
            (true, _) => 4,
            (false, x) if x < 0.55 => 3,
            (false, x) if x < 0.8 => 2,
            (false, _) => 1,
        })
    } else {
        None
    };
    let reused = rng.chance(rate(p.reuse, p.reuse_gain));
    cols.channel.push(channel);
    cols.fee.push(fee);
    cols.paid_online.push(paid_online);
    cols.digitised.push(digitised);
    cols.e_result.push(e_result);
    cols.resolved.push(resolved);
    cols.on_time.push(on_time);
    cols.rating.push(rating);
    cols.reused.push(reused);
}

fn frame(c: Columns) -> PolarsResult<DataFrame> {
    let height = c.unit.len();
    let date = Int32Chunked::from_vec("ngay_tiep_nhan".into(), c.day)
        .into_date()
        .into_column();
    DataFrame::new(
        height,
        vec![
            Column::new("ma_don_vi".into(), c.unit),
            date,
            Column::new("kenh".into(), c.channel),
            Column::new("co_phi".into(), c.fee),
            Column::new("thanh_toan_truc_tuyen".into(), c.paid_online),
            Column::new("so_hoa".into(), c.digitised),
            Column::new("ket_qua_dien_tu".into(), c.e_result),
            Column::new("da_giai_quyet".into(), c.resolved),
            Column::new("dung_han".into(), c.on_time),
            Column::new("danh_gia".into(), c.rating),
            Column::new("tai_su_dung".into(), c.reused),
        ],
    )
}

/// Every day from 1 January to 31 October 2026 with its relative dossier volume.
fn days() -> Vec<(NaiveDate, f64)> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(2026, 1, 1),
        NaiveDate::from_ymd_opt(2026, 10, 31),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut day = first;
    while day <= last {
        let mut w = match day.weekday() {
            Weekday::Sat => 0.12,
            Weekday::Sun => 0.02,
            _ => 1.0,
        };
        if HOLIDAYS.contains(&(day.month(), day.day()))
            || (day.month() == 2 && (14..=22).contains(&day.day()))
        {
            w = 0.02;
        }
        w *= MONTH_VOLUME[day.month0() as usize % MONTH_VOLUME.len()];
        out.push((day, w));
        day += Duration::days(1);
    }
    out
}

/// Splits `n` into integer counts proportional to `weights` (largest remainder; ties to the
/// earlier index), so that the counts always add up to `n`.
pub(super) fn allocate(n: usize, weights: &[f64]) -> Vec<usize> {
    let total: f64 = weights.iter().sum();
    if total <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let exact: Vec<f64> = weights.iter().map(|w| n as f64 * w / total).collect();
    let mut counts: Vec<usize> = exact.iter().map(|x| x.floor() as usize).collect();
    let given: usize = counts.iter().sum();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = exact[a] - exact[a].floor();
        let fb = exact[b] - exact[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for &i in order.iter().cycle().take(n.saturating_sub(given)) {
        counts[i] += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::allocate;

    #[test]
    fn allocation_adds_up() {
        assert_eq!(allocate(10, &[1.0, 1.0, 2.0]), vec![3, 2, 5]);
        assert_eq!(allocate(7, &[0.0, 1.0]), vec![0, 7]);
        assert_eq!(allocate(3, &[]), Vec::<usize>::new());
        let w: Vec<f64> = (1..=300).map(|i| f64::from(i % 7) + 0.3).collect();
        assert_eq!(allocate(300_000, &w).iter().sum::<usize>(), 300_000);
    }
}
