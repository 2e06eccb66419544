//! reported.csv of the Lào Cai data set: for every reported indicator of the catalogue, who
//! reports it (the communes, the departments or only the province) and the values of the 2025
//! baseline and of each month of 2026 up to the October report. No scoring here.

use super::csv::{grouped_thousands, num, vn_decimal, Csv};
use super::rng::Rng;
use super::units::{Kind, Unit, PROVINCE_ID};
use chitieu::definition::{Indicator, Target, UnitKind};

/// The last month of 2026 that the data holds: October (the October report).
pub const LAST_MONTH: u32 = 10;

/// What a commune ratio is taken over.
#[derive(Debug, Clone, Copy)]
pub enum Base {
    /// A share of the population ("dân số", "dân số từ 15 tuổi", "lực lượng lao động").
    Population(f64, &'static str),
    /// Households and offices (population / 3.9).
    Households,
    /// Schools of the commune.
    Schools,
    /// Schools and hospitals of the commune.
    Facilities,
}

/// How one reported indicator is reported. Percentages are written as numerator/denominator
/// whenever the reporting unit knows both.
#[derive(Debug, Clone, Copy)]
pub enum Plan {
    /// Every commune reports numerator/denominator; the province's value is their ratio rollup.
    /// `base`/`spread`: the 2025 value (%) and how far communes are apart; `gain`/`gain_spread`:
    /// percentage points gained per month; `ward_bonus`: points wards are ahead.
    CommuneRatio {
        over: Base,
        base: f64,
        spread: f64,
        gain: f64,
        gain_spread: f64,
        ward_bonus: f64,
    },
    /// Communes and departments report trained officials over officials.
    Officials {
        base: f64,
        spread: f64,
        gain: f64,
        gain_spread: f64,
    },
    /// Only the province reports numerator/denominator of a province-wide count (`den`).
    ProvinceRatio { den: u64, base: f64, gain: f64 },
    /// Only the province reports a value (one decimal); `gain` may be negative (lower is better).
    ProvinceValue { base: f64, gain: f64 },
    /// Only the province reports 0 / 1 (a boolean, or a count of one system or data set),
    /// becoming 1 in month `from` of 2026 (never when None).
    ProvinceFlag { from: Option<u32> },
    /// Communes report cases counted from the start of the year (lũy kế từ đầu năm): the whole
    /// year for 2025, January to the month for 2026. `per_10k`: 2025 cases per 10 000 people.
    CommuneCases { per_10k: f64 },
}

/// The plan of each indicator the generator knows; others fall back on [`fallback`].
fn known(id: &str) -> Option<Plan> {
    use Base::*;
    use Plan::*;
    // the plans most indicators follow, their fields in the order [`Plan`] declares them
    let commune = |over, base, spread, gain, gain_spread| CommuneRatio {
        over,
        base,
        spread,
        gain,
        gain_spread,
        ward_bonus: 0.0,
    };
    let province_ratio = |den, base, gain| ProvinceRatio { den, base, gain };
    let province_value = |base, gain| ProvinceValue { base, gain };
    let plan = match id {
        "tthc-danh-muc-truong-thong-tin" => province_ratio(1_946, 20.0, 2.8),
        "tthc-cat-giam-giay-to-vneid" => province_ratio(1_946, 18.0, 2.5),
        "tthc-dong-bo-ket-qua-vneid" => province_ratio(1_946, 24.0, 2.9),
        "vneid-thong-bao-phan-anh" => province_value(70.0, 2.1),
        "ioc-tich-hop-du-lieu-dan-cu" => province_value(20.0, 6.5),
        "dia-chi-so-dinh-danh-dia-diem" => commune(Households, 35.0, 15.0, 3.2, 1.5),
        "tthc-phi-dia-gioi" => province_ratio(1_946, 62.0, 3.0),
        "tthc-cap-bo-khong-qua-30" => province_value(36.2, -0.61),
        "tmdt-dinh-danh-ke-khai-thue" => province_ratio(4_860, 35.0, 4.3),
        "dich-vu-tai-chinh-can-cuoc-vneid" => province_value(33.0, 1.9),
        "thue-bao-di-dong-xac-thuc" => province_ratio(1_812_400, 96.8, 0.19),
        "benh-vien-truong-hoc-khong-tien-mat" => commune(Facilities, 38.0, 20.0, 2.4, 1.5),
        "tmdt-van-chuyen-du-lieu-dia-diem" => province_value(31.0, 3.1),
        "tai-khoan-ngan-hang-tu-15-tuoi" => {
            commune(Population(0.74, "dân số từ 15 tuổi"), 55.0, 12.0, 0.8, 0.4)
        }
        "tmdt-thanh-toan-dien-tu" => province_value(62.5, 1.4),
        "nganh-linh-vuc-ung-dung-du-lieu-dan-cu" => province_ratio(24, 37.5, 2.5),
        "the-can-cuoc-thay-the-the-ngan-hang" => province_value(4.5, 1.1),
        "ho-so-suc-khoe-dien-tu-lien-thong" => {
            commune(Population(1.0, "dân số"), 30.0, 14.0, 2.0, 1.0)
        }
        "lien-thong-ho-so-suc-khoe-benh-an-bhyt" => ProvinceFlag { from: Some(8) },
        "so-suc-khoe-dien-tu-ca-nhan" => commune(Population(1.0, "dân số"), 45.0, 14.0, 1.9, 0.9),
        "danh-tinh-dien-tu-duy-nhat" => commune(
            Population(0.92, "công dân thuộc diện cấp căn cước"),
            95.5,
            2.5,
            0.3,
            0.15,
        ),
        "quyen-kiem-soat-thong-tin-vneid" => province_value(80.0, 1.6),
        "vneid-muc-2" => commune(
            Population(0.86, "người được cấp căn cước"),
            66.0,
            11.0,
            1.3,
            0.6,
        ),
        "vneid-hoat-dong-thuong-xuyen" => commune(
            Population(0.55, "tài khoản VNeID đã kích hoạt"),
            28.0,
            9.0,
            1.0,
            0.6,
        ),
        "can-bo-tap-huan-ky-nang-so" => Officials {
            base: 60.0,
            spread: 18.0,
            gain: 3.5,
            gain_spread: 2.0,
        },
        "pho-cap-ky-nang-so-lao-dong" => {
            commune(Population(0.58, "lực lượng lao động"), 30.0, 12.0, 2.0, 1.0)
        }
        "hoc-lieu-binh-dan-hoc-vu-so" => ProvinceFlag { from: Some(4) },
        "ky-nang-so-co-so-giao-duc" => commune(Schools, 55.0, 22.0, 4.0, 2.0),
        "so-hoa-tao-lap-dung-chung" => province_value(30.0, 2.0),
        "chu-dong-cung-cap-thong-tin-vneid" => province_value(60.0, 3.0),
        "ha-tang-cong-dan-so" => ProvinceFlag { from: None },
        "phu-song-5g" => CommuneRatio {
            over: Population(1.0, "dân số"),
            base: 22.0,
            spread: 16.0,
            gain: 1.5,
            gain_spread: 1.0,
            ward_bonus: 45.0,
        },
        "cong-dan-co-tai-khoan-an-sinh" => {
            commune(Population(0.9, "công dân"), 20.0, 10.0, 2.0, 1.0)
        }
        "tro-cap-luong-huu-qua-tai-khoan-an-sinh" => commune(
            Population(0.045, "người hưởng trợ cấp, lương hưu"),
            40.0,
            15.0,
            1.8,
            1.0,
        ),
        "he-thong-chi-tra-an-sinh" => ProvinceFlag { from: Some(6) },
        "nang-cap-csdl-dan-cu-phong-chong-toi-pham" => ProvinceFlag { from: None },
        "toi-pham-giay-to-gia-giam" => province_value(40.0, 2.5),
        "tra-cuu-doi-tuong-vi-pham" => province_value(70.0, 2.4),
        "camera-do-thi-thong-minh" => ProvinceFlag { from: None },
        "dong-bo-csdl-chi-tra-an-sinh" => province_value(40.0, 3.0),
        "toi-pham-lua-dao" => CommuneCases { per_10k: 2.0 },
        "bo-du-lieu-mau-du-lieu-mo" => ProvinceFlag { from: Some(10) },
        "truong-hoc-giai-phap-cong-nghe-moi" => commune(Schools, 20.0, 14.0, 3.0, 2.0),
        _ => return None,
    };
    Some(plan)
}

/// For an indicator the generator does not know: the province reports it.
fn fallback(indicator: &Indicator) -> Option<Plan> {
    match indicator.unit {
        UnitKind::Percent => Some(Plan::ProvinceValue {
            base: 40.0,
            gain: 2.0,
        }),
        UnitKind::Count | UnitKind::Boolean => Some(Plan::ProvinceFlag { from: Some(7) }),
        _ => None,
    }
}

/// The plan of `indicator`, or None when it is not reported: computed from a dataset, or
/// qualitative only (every target a text such as "Theo chỉ đạo của Bộ Công an").
pub fn plan(indicator: &Indicator) -> Option<Plan> {
    if !indicator.is_reported() {
        return None;
    }
    let qualitative = !indicator.targets.is_empty()
        && indicator
            .targets
            .iter()
            .all(|a| matches!(a.target, Target::Text(_)));
    if qualitative {
        return None;
    }
    known(&indicator.id).or_else(|| fallback(indicator))
}

impl Plan {
    /// Who reports, in a phrase for the README.
    pub fn describe(&self) -> String {
        match *self {
            Plan::CommuneRatio { over, .. } => {
                let over = match over {
                    Base::Population(_, what) => what.to_string(),
                    Base::Households => "nhà ở, trụ sở (hộ)".to_string(),
                    Base::Schools => "trường học".to_string(),
                    Base::Facilities => "trường học và bệnh viện".to_string(),
                };
                format!("communes and wards, numerator/denominator over {over}")
            }
            Plan::Officials { .. } => {
                "communes, wards and departments: officials trained / officials".to_string()
            }
            Plan::ProvinceRatio { den, .. } => {
                format!("province only, numerator/denominator (denominator {den})")
            }
            Plan::ProvinceValue { .. } => "province only, a province-wide value".to_string(),
            Plan::ProvinceFlag { from: Some(m) } => {
                format!("province only, 0 until 2026-{m:02} then 1")
            }
            Plan::ProvinceFlag { from: None } => "province only, 0 (not yet done)".to_string(),
            Plan::CommuneCases { .. } => {
                "communes and wards, cases counted from the start of the year (2025: whole year)"
                    .to_string()
            }
        }
    }
}

/// The periods of the data with their month of 2026 (0 for the 2025 baseline): the year 2025
/// and each month of 2026 up to October.
pub const PERIODS: [(u32, &str); 11] = [
    (0, "2025"),
    (1, "2026-01"),
    (2, "2026-02"),
    (3, "2026-03"),
    (4, "2026-04"),
    (5, "2026-05"),
    (6, "2026-06"),
    (7, "2026-07"),
    (8, "2026-08"),
    (9, "2026-09"),
    (10, "2026-10"),
];

/// One row of reported.csv.
struct Row<'a> {
    unit: &'a str,
    period: &'static str,
    value: String,
    numerator: String,
    denominator: String,
    note: &'static str,
}

/// Writes reported.csv; returns the number of data rows.
pub fn write(csv: &mut Csv, indicators: &[Indicator], units: &[Unit], seed: u64) -> usize {
    csv.row(&[
        "unit",
        "period",
        "indicator",
        "value",
        "numerator",
        "denominator",
        "note",
    ]);
    let mut rows = 0;
    for indicator in indicators {
        let Some(plan) = plan(indicator) else {
            continue;
        };
        let mut rng = Rng::new(seed, &format!("reported/{}", indicator.id));
        for row in plan_rows(&plan, indicator, units, &mut rng) {
            csv.row(&[
                row.unit,
                row.period,
                &indicator.id,
                &row.value,
                &row.numerator,
                &row.denominator,
                row.note,
            ]);
            rows += 1;
        }
    }
    rows
}

/// The indicators whose October rows are written as Vietnamese offices write numbers: a decimal
/// comma (`"30,1"`, `"78,02"`) for the province, thousands dots (`49.275`) for the first three
/// communes. Always the same number as the plain form would be.
const VIETNAMESE_FORMS: &[&str] = &[
    "tthc-cap-bo-khong-qua-30",
    "tmdt-dinh-danh-ke-khai-thue",
    "vneid-muc-2",
];

/// Share of commune-months missing, and of (unit, indicator) pairs never reported.
const MISSING_MONTH: f64 = 0.05;
const NEVER_REPORTS: f64 = 0.025;

/// The rows of `indicator` under its plan: each reporting unit's baseline and months of 2026,
/// some months and some units missing.
fn plan_rows<'a>(
    plan: &Plan,
    indicator: &Indicator,
    units: &'a [Unit],
    rng: &mut Rng,
) -> Vec<Row<'a>> {
    let vietnamese = VIETNAMESE_FORMS.contains(&indicator.id.as_str());
    match *plan {
        Plan::CommuneRatio {
            over,
            base,
            spread,
            gain,
            gain_spread,
            ward_bonus,
        } => {
            let trend = Trend {
                base,
                spread,
                gain,
                gain_spread,
            };
            commune_ratio_rows(units, over, trend, ward_bonus, vietnamese, rng)
        }
        Plan::Officials {
            base,
            spread,
            gain,
            gain_spread,
        } => {
            let trend = Trend {
                base,
                spread,
                gain,
                gain_spread,
            };
            officials_rows(units, trend, rng)
        }
        Plan::ProvinceRatio { den, base, gain } => {
            province_ratio_rows(den, base, gain, vietnamese, rng)
        }
        Plan::ProvinceValue { base, gain } => {
            province_value_rows(indicator, base, gain, vietnamese, rng)
        }
        Plan::ProvinceFlag { from } => province_flag_rows(from, rng),
        Plan::CommuneCases { per_10k } => commune_cases_rows(units, per_10k, rng),
    }
}

/// How a unit's percentage moves: its 2025 value (`base`, units `spread` apart) and the points
/// it gains a month (`gain`, units `gain_spread` apart).
#[derive(Debug, Clone, Copy)]
struct Trend {
    base: f64,
    spread: f64,
    gain: f64,
    gain_spread: f64,
}

/// [`Plan::CommuneRatio`]: every commune's numerator over its denominator, never falling.
fn commune_ratio_rows<'a>(
    units: &'a [Unit],
    over: Base,
    trend: Trend,
    ward_bonus: f64,
    vietnamese: bool,
    rng: &mut Rng,
) -> Vec<Row<'a>> {
    let Trend {
        base,
        spread,
        gain,
        gain_spread,
    } = trend;
    let mut out = Vec::new();
    let mut nth_commune = 0;
    for unit in units {
        let Some(c) = unit.commune() else { continue };
        nth_commune += 1;
        let den = match over {
            Base::Population(share, _) => (f64::from(c.population) * share).round() as u64,
            Base::Households => (f64::from(c.population) / 3.9).round() as u64,
            Base::Schools => u64::from(c.schools),
            Base::Facilities => u64::from(c.schools + c.hospitals),
        };
        let r = c.readiness.clamp(-2.0, 2.5);
        let start =
            base + spread * (0.6 * r + 0.5 * rng.signed()) + if c.ward { ward_bonus } else { 0.0 };
        let step = (gain + gain_spread * (0.4 * r + 0.6 * rng.signed())).max(0.0);
        let never = rng.chance(NEVER_REPORTS);
        let mut prev = 0u64;
        for &(m, period) in &PERIODS {
            let v = (start + step * f64::from(m) + 0.25 * rng.normal()).clamp(0.0, 100.0);
            let n = ((den as f64 * v / 100.0).round() as u64).max(prev).min(den);
            prev = n;
            let missing = rng.chance(MISSING_MONTH);
            if never || missing {
                continue;
            }
            let vn = vietnamese && m == LAST_MONTH && nth_commune <= 3;
            let fmt = |x: u64| {
                if vn {
                    grouped_thousands(x)
                } else {
                    x.to_string()
                }
            };
            out.push(Row {
                unit: &unit.id,
                period,
                value: String::new(),
                numerator: fmt(n),
                denominator: fmt(den),
                note: if vn {
                    "Số liệu theo mẫu báo cáo của xã"
                } else {
                    ""
                },
            });
        }
    }
    out
}

/// [`Plan::Officials`]: communes and departments, trained officials over officials.
fn officials_rows<'a>(units: &'a [Unit], trend: Trend, rng: &mut Rng) -> Vec<Row<'a>> {
    let Trend {
        base,
        spread,
        gain,
        gain_spread,
    } = trend;
    let mut out = Vec::new();
    for unit in units {
        let (den, r) = match &unit.kind {
            Kind::Commune(c) => (u64::from(c.officials), c.readiness.clamp(-2.0, 2.5)),
            Kind::Department { officials, .. } => (u64::from(*officials), 0.5 * rng.normal()),
            Kind::Province => continue,
        };
        let start = base + spread * (0.6 * r + 0.5 * rng.signed());
        let step = (gain + gain_spread * (0.4 * r + 0.6 * rng.signed())).max(0.0);
        let never = rng.chance(if unit.commune().is_some() {
            NEVER_REPORTS
        } else {
            0.1
        });
        let mut prev = 0u64;
        for &(m, period) in &PERIODS {
            let v = (start + step * f64::from(m) + 0.5 * rng.normal()).clamp(0.0, 100.0);
            let n = ((den as f64 * v / 100.0).round() as u64).max(prev).min(den);
            prev = n;
            if never || rng.chance(MISSING_MONTH) {
                continue;
            }
            out.push(Row {
                unit: &unit.id,
                period,
                value: String::new(),
                numerator: n.to_string(),
                denominator: den.to_string(),
                note: "",
            });
        }
    }
    out
}

/// [`Plan::ProvinceRatio`]: the province's numerator over a province-wide count.
fn province_ratio_rows(
    den: u64,
    base: f64,
    gain: f64,
    vietnamese: bool,
    rng: &mut Rng,
) -> Vec<Row<'static>> {
    let mut out = Vec::new();
    let mut prev = 0u64;
    for &(m, period) in &PERIODS {
        let v = (base + gain * f64::from(m) + 0.3 * rng.normal()).clamp(0.0, 100.0);
        let n = ((den as f64 * v / 100.0).round() as u64).max(prev).min(den);
        prev = n;
        if province_skips(m, rng) {
            continue;
        }
        // The October row also states the percentage, as the reports do ("82,89%").
        let value = if vietnamese && m == LAST_MONTH {
            vn_decimal(((n as f64) * 100.0 / den as f64 * 100.0).round() / 100.0)
        } else {
            String::new()
        };
        out.push(Row {
            unit: PROVINCE_ID,
            period,
            value,
            numerator: n.to_string(),
            denominator: den.to_string(),
            note: "",
        });
    }
    out
}

/// [`Plan::ProvinceValue`]: the province's value, one decimal, within the indicator's limits.
fn province_value_rows(
    indicator: &Indicator,
    base: f64,
    gain: f64,
    vietnamese: bool,
    rng: &mut Rng,
) -> Vec<Row<'static>> {
    let (lo, hi) = indicator.limits;
    let percent = indicator.unit == UnitKind::Percent;
    let mut out = Vec::new();
    for &(m, period) in &PERIODS {
        let v = base + gain * f64::from(m) + 0.3 * rng.normal();
        let v =
            (v.clamp(lo.max(0.0), if percent { hi.min(100.0) } else { hi }) * 10.0).round() / 10.0;
        if province_skips(m, rng) {
            continue;
        }
        // Written as the offices write decimals ("30,6").
        let value = if vietnamese && m == LAST_MONTH {
            vn_decimal(v)
        } else {
            num(v)
        };
        out.push(Row {
            unit: PROVINCE_ID,
            period,
            value,
            numerator: String::new(),
            denominator: String::new(),
            note: "",
        });
    }
    out
}

/// [`Plan::ProvinceFlag`]: the province's 0, then 1 from the month it is done.
fn province_flag_rows(from: Option<u32>, rng: &mut Rng) -> Vec<Row<'static>> {
    let mut out = Vec::new();
    for &(m, period) in &PERIODS {
        let done = from.is_some_and(|f| m >= f);
        if province_skips(m, rng) {
            continue;
        }
        out.push(Row {
            unit: PROVINCE_ID,
            period,
            value: if done { "1" } else { "0" }.to_string(),
            numerator: String::new(),
            denominator: String::new(),
            note: if done && from == Some(m) {
                "Hoàn thành trong tháng"
            } else {
                ""
            },
        });
    }
    out
}

/// [`Plan::CommuneCases`]: every commune's cases since the start of the year.
fn commune_cases_rows<'a>(units: &'a [Unit], per_10k: f64, rng: &mut Rng) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for unit in units {
        let Some(c) = unit.commune() else { continue };
        let rate = per_10k * rng.range(0.5, 1.5) * if c.ward { 1.5 } else { 1.0 };
        let year_2025 = (f64::from(c.population) / 10_000.0 * rate + rng.unit()).floor();
        let never = rng.chance(NEVER_REPORTS);
        let mut so_far = 0.0;
        for &(m, period) in &PERIODS {
            let value = if m == 0 {
                year_2025
            } else {
                // Fewer cases each month than in 2025, falling through the year.
                let monthly = year_2025 / 12.0 * (0.92 - 0.03 * f64::from(m));
                so_far += (monthly.max(0.0) + rng.unit()).floor();
                so_far
            };
            if never || rng.chance(MISSING_MONTH) {
                continue;
            }
            out.push(Row {
                unit: &unit.id,
                period,
                value: num(value),
                numerator: String::new(),
                denominator: String::new(),
                note: if m == 0 { "Cả năm 2025" } else { "" },
            });
        }
    }
    out
}

/// The province misses a month now and then, never the baseline or the October report.
fn province_skips(month: u32, rng: &mut Rng) -> bool {
    let skip = rng.chance(0.04);
    (2..LAST_MONTH).contains(&month) && skip
}
