//! The `national` data set: the 34 provinces of Việt Nam, each with 20 departments and 100
//! communes, and their dossiers (hồ sơ) of 2026 for the catalogue `indicators/bo-chi-so-766`.
//! Dossiers are generated and written one Parquet row group at a time, so memory stays bounded
//! whatever the number of rows; never builds one frame of the whole file.
//!
//! Each day of 2026 draws from its own random stream (seed, day), so the rows do not depend on
//! the row-group size or on how the days are shared among threads. Rows are ordered by day (so
//! that the row groups' date statistics let a reader skip the months it does not need), then
//! ([`Order`]) by unit, or in receipt order with the units interleaved, as real exports of dossier
//! systems are.

use std::io::BufWriter;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use polars::prelude::*;
use rayon::prelude::*;

use super::csv::Csv;
use super::dossiers::{allocate, HOLIDAYS};
use super::rng::Rng;
use super::{cannot_create, cannot_write, write_file, GenerateError};

/// Rows per Parquet row group of ho_so.parquet.
pub const ROW_GROUP: usize = 1_000_000;

/// Communes and wards (cấp xã) per province.
const COMMUNES: usize = 100;

/// The 34 provinces and centrally-governed cities since 1 July 2025 (Nghị quyết 202/2025/QH15),
/// with whether each is a city (thành phố trực thuộc trung ương) and a rough relative dossier
/// volume (larger for the populous ones).
const PROVINCES: [(&str, bool, f64); 34] = [
    ("Hà Nội", true, 3.5),
    ("Huế", true, 0.9),
    ("Lai Châu", false, 0.4),
    ("Điện Biên", false, 0.5),
    ("Sơn La", false, 0.8),
    ("Lạng Sơn", false, 0.6),
    ("Quảng Ninh", false, 1.0),
    ("Thanh Hóa", false, 2.0),
    ("Nghệ An", false, 2.0),
    ("Hà Tĩnh", false, 0.9),
    ("Cao Bằng", false, 0.5),
    ("Tuyên Quang", false, 1.0),
    ("Lào Cai", false, 1.0),
    ("Thái Nguyên", false, 1.1),
    ("Phú Thọ", false, 2.0),
    ("Bắc Ninh", false, 1.8),
    ("Hưng Yên", false, 1.8),
    ("Hải Phòng", true, 2.2),
    ("Ninh Bình", false, 2.0),
    ("Quảng Trị", false, 1.0),
    ("Đà Nẵng", true, 1.5),
    ("Quảng Ngãi", false, 1.0),
    ("Gia Lai", false, 1.7),
    ("Khánh Hòa", false, 1.0),
    ("Lâm Đồng", false, 1.8),
    ("Đắk Lắk", false, 1.5),
    ("Hồ Chí Minh", true, 4.0),
    ("Đồng Nai", false, 2.0),
    ("Tây Ninh", false, 1.5),
    ("Cần Thơ", true, 1.6),
    ("Vĩnh Long", false, 1.7),
    ("Đồng Tháp", false, 1.9),
    ("Cà Mau", false, 1.2),
    ("An Giang", false, 2.0),
];

/// The 20 provincial bodies that receive dossiers (sở, ngành and vertical agencies).
const DEPARTMENTS: [&str; 20] = [
    "Văn phòng UBND",
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Môi trường",
    "Sở Xây dựng",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Dân tộc và Tôn giáo",
    "Sở Ngoại vụ",
    "Thanh tra",
    "Công an",
    "Ban Quản lý các khu công nghiệp",
    "Văn phòng Đăng ký đất đai",
    "Bảo hiểm xã hội",
    "Thuế",
    "Trung tâm Phục vụ hành chính công",
];

/// Departments' share of a province's dossiers; its communes receive the rest.
const DEPARTMENT_SHARE: f64 = 0.3;

/// Relative dossier volume by month: a dip around Tết, a busier summer and year end.
const MONTH_VOLUME: [f64; 12] = [
    1.0, 0.85, 1.08, 1.0, 1.02, 1.06, 1.1, 1.04, 1.0, 1.05, 1.04, 1.12,
];

/// Channels of the `kenh` column.
const CHANNELS: [&str; 3] = ["truc_tuyen", "truc_tiep", "buu_chinh"];

/// One row of units.csv.
struct UnitRow {
    id: String,
    name: String,
    parent: Option<String>,
    level: &'static str,
}

/// A unit that receives dossiers (a department or a commune): its share of the national volume
/// and how it handles dossiers.
struct Handler {
    weight: f64,
    p: Propensity,
}

/// How one unit handles dossiers: rates for January, `*_gain` added per month after it.
#[derive(Debug, Clone, Copy)]
struct Propensity {
    publish: f64,
    publish_gain: f64,
    sync: f64,
    sync_gain: f64,
    eligible: f64,
    online_full: f64,
    online_other: f64,
    online_gain: f64,
    fee: f64,
    pay: f64,
    pay_gain: f64,
    digitise: f64,
    digitise_gain: f64,
    e_result: f64,
    e_result_gain: f64,
    on_time: f64,
    open_in_time: f64,
    rated: f64,
    rated_gain: f64,
    satisfied: f64,
    reuse: f64,
    reuse_gain: f64,
}

impl Propensity {
    /// Rates for a unit of readiness `r` (roughly standard normal: the province's readiness
    /// plus the unit's own), departments a little ahead online and behind on time.
    fn draw(rng: &mut Rng, r: f64, department: bool) -> Propensity {
        let r = r.clamp(-2.5, 2.5);
        let d = if department { 1.0 } else { 0.0 };
        let mut s = |centre: f64, by_readiness: f64, noise: f64| {
            centre + by_readiness * r + noise * rng.signed()
        };
        let gain = |x: f64| x.max(0.0);
        Propensity {
            publish: s(0.93, 0.02, 0.03),
            publish_gain: gain(s(0.003, 0.001, 0.002)),
            sync: s(0.78, 0.05, 0.06),
            sync_gain: gain(s(0.01, 0.003, 0.005)),
            eligible: s(0.45 + 0.1 * d, 0.0, 0.1).clamp(0.1, 0.9),
            online_full: s(0.58 + 0.06 * d, 0.07, 0.08),
            online_other: s(0.27 + 0.08 * d, 0.06, 0.08),
            online_gain: gain(s(0.015, 0.004, 0.006)),
            fee: s(0.3 + 0.15 * d, 0.0, 0.1).clamp(0.05, 0.9),
            pay: s(0.38, 0.07, 0.08),
            pay_gain: gain(s(0.015, 0.004, 0.006)),
            digitise: s(0.42, 0.08, 0.1),
            digitise_gain: gain(s(0.02, 0.005, 0.008)),
            e_result: s(0.7 + 0.05 * d, 0.05, 0.08),
            e_result_gain: gain(s(0.012, 0.003, 0.005)),
            on_time: s(0.955 - 0.02 * d, 0.012, 0.02),
            open_in_time: s(0.6, 0.08, 0.12),
            rated: s(0.27, 0.06, 0.1),
            rated_gain: gain(s(0.012, 0.004, 0.006)),
            satisfied: s(0.93, 0.015, 0.025),
            reuse: s(0.27, 0.07, 0.08),
            reuse_gain: gain(s(0.018, 0.005, 0.008)),
        }
    }
}

/// Generates the national data set into `out`: units.csv, ho_so.parquet (`dossiers` rows in
/// row groups of [`ROW_GROUP`] rows) and README.md. Returns a one-line summary.
/// The order of the dossiers within a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By unit: every (unit, month) arrives in long runs (`--order day-unit`).
    DayUnit,
    /// In receipt order, the units interleaved (`--order interleaved`): a day's dossiers in a
    /// random order drawn from the day's own stream.
    Interleaved,
}

impl Order {
    pub fn parse(text: &str) -> Option<Order> {
        match text {
            "day-unit" => Some(Order::DayUnit),
            "interleaved" => Some(Order::Interleaved),
            _ => None,
        }
    }

    fn text(self) -> &'static str {
        match self {
            Order::DayUnit => "ordered by day and unit",
            Order::Interleaved => {
                "ordered by day, in receipt order within a day (units interleaved)"
            }
        }
    }
}

pub fn generate(
    out: &Path,
    seed: u64,
    dossiers: usize,
    order: Order,
) -> Result<String, GenerateError> {
    let written = write(out, seed, dossiers, ROW_GROUP, order)?;
    Ok(format!(
        "generated {}: {} units (34 provinces, {} departments, {} communes and wards), {dossiers} dossiers in {} row groups ({:.1} MB of Parquet), seed {seed}",
        out.display(),
        written.units,
        34 * DEPARTMENTS.len(),
        34 * COMMUNES,
        written.row_groups,
        written.bytes as f64 / 1_048_576.0,
    ))
}

/// What [`write`] wrote.
struct Written {
    units: usize,
    row_groups: usize,
    bytes: u64,
}

fn write(
    out: &Path,
    seed: u64,
    dossiers: usize,
    row_group: usize,
    order: Order,
) -> Result<Written, GenerateError> {
    std::fs::create_dir_all(out).map_err(cannot_create(out))?;
    let (units, handlers) = build_units(seed);

    let mut csv = Csv::new();
    csv.row(&["id", "name", "parent", "level"]);
    for u in &units {
        csv.row(&[&u.id, &u.name, u.parent.as_deref().unwrap_or(""), u.level]);
    }
    write_file(out, "units.csv", csv.into_string().as_bytes())?;

    // Leaf ids in handler order: the handlers are the units.csv rows that are not provinces.
    let ids: Vec<&str> = units
        .iter()
        .filter(|u| u.level != "tinh")
        .map(|u| u.id.as_str())
        .collect();
    let tmp = out.join(".ho_so.parquet.tmp");
    let (row_groups, bytes) = write_dossiers(
        &tmp, &ids, &handlers, seed, dossiers, row_group, order,
    )
    .map_err(|source| GenerateError::WriteParquet {
        path: tmp.clone(),
        source,
    })?;
    let path = out.join("ho_so.parquet");
    std::fs::rename(&tmp, &path).map_err(cannot_write(&path))?;

    write_file(
        out,
        "reported.csv",
        reported_counts(&units, seed).as_bytes(),
    )?;
    write_file(
        out,
        "README.md",
        readme(seed, dossiers, row_group, order).as_bytes(),
    )?;
    Ok(Written {
        units: units.len(),
        row_groups,
        bytes,
    })
}

/// The units (provinces, then each province's departments and communes, in units.csv order)
/// and, for every department and commune in that order, how it handles dossiers.
fn build_units(seed: u64) -> (Vec<UnitRow>, Vec<Handler>) {
    let mut rng = Rng::new(seed, "national/units");
    let mut units = Vec::with_capacity(34 * (1 + DEPARTMENTS.len() + COMMUNES));
    let mut handlers = Vec::with_capacity(34 * (DEPARTMENTS.len() + COMMUNES));
    for (i, &(name, city, volume)) in PROVINCES.iter().enumerate() {
        let pid = format!("p{:02}", i + 1);
        let kind = if city { "Thành phố" } else { "Tỉnh" };
        units.push(UnitRow {
            id: pid.clone(),
            name: format!("{kind} {name}"),
            parent: None,
            level: "tinh",
        });
        // Provinces differ more than units within a province: a province-wide readiness
        // plus each unit's own.
        let readiness = 0.8 * rng.normal();
        let mut weights = Vec::with_capacity(DEPARTMENTS.len() + COMMUNES);
        for (k, department) in DEPARTMENTS.iter().enumerate() {
            let suffix = if city { "thành phố" } else { "tỉnh" };
            let name = match *department {
                "Văn phòng UBND" => format!("Văn phòng UBND {suffix} ({name})"),
                "Thanh tra" | "Công an" | "Bảo hiểm xã hội" | "Thuế" => {
                    format!("{department} {suffix} ({name})")
                }
                _ => format!("{department} ({name})"),
            };
            units.push(UnitRow {
                id: format!("{pid}-so-{:02}", k + 1),
                name,
                parent: Some(pid.clone()),
                level: "so",
            });
            let r = readiness + 0.4 * rng.normal();
            let p = Propensity::draw(&mut rng, r, true);
            weights.push(rng.range(0.2, 1.8));
            handlers.push(Handler { weight: 0.0, p });
        }
        // Cities have more wards (phường) than communes; other provinces the reverse.
        let wards = if city { 60 } else { 15 };
        for k in 0..COMMUNES {
            let kind = if k < wards { "Phường" } else { "Xã" };
            units.push(UnitRow {
                id: format!("{pid}-xa-{:03}", k + 1),
                name: format!("{kind} {:03} ({name})", k + 1),
                parent: Some(pid.clone()),
                level: "xa",
            });
            let r = readiness + 0.5 * rng.normal();
            let p = Propensity::draw(&mut rng, r, false);
            let ward = if k < wards { 1.6 } else { 1.0 };
            weights.push(ward * rng.range(0.3, 1.7));
            handlers.push(Handler { weight: 0.0, p });
        }
        // Scale the weights to the province's volume, departments taking their share.
        let first = handlers.len() - weights.len();
        let (dept, communes) = weights.split_at(DEPARTMENTS.len());
        let (dept_total, commune_total): (f64, f64) = (dept.iter().sum(), communes.iter().sum());
        for (j, w) in weights.iter().enumerate() {
            let share = if j < DEPARTMENTS.len() {
                DEPARTMENT_SHARE / dept_total
            } else {
                (1.0 - DEPARTMENT_SHARE) / commune_total
            };
            handlers[first + j].weight = volume * share * w;
        }
    }
    (units, handlers)
}

/// The columns of a run of dossiers, filled row by row.
#[derive(Default)]
struct Rows {
    /// Index into the handlers (and leaf ids).
    unit: Vec<u16>,
    /// Days since 1970-01-01.
    day: Vec<i32>,
    /// Index into [`CHANNELS`].
    channel: Vec<u8>,
    eligible: Vec<bool>,
    fee: Vec<bool>,
    paid_online: Vec<bool>,
    digitised: Vec<bool>,
    e_result: Vec<bool>,
    resolved: Vec<bool>,
    on_time: Vec<bool>,
    /// 1–5, or 0 for no rating.
    rating: Vec<i8>,
    reused: Vec<bool>,
    published: Vec<bool>,
    synced: Vec<bool>,
}

impl Rows {
    fn with_capacity(n: usize) -> Rows {
        Rows {
            unit: Vec::with_capacity(n),
            day: Vec::with_capacity(n),
            channel: Vec::with_capacity(n),
            eligible: Vec::with_capacity(n),
            fee: Vec::with_capacity(n),
            paid_online: Vec::with_capacity(n),
            digitised: Vec::with_capacity(n),
            e_result: Vec::with_capacity(n),
            resolved: Vec::with_capacity(n),
            on_time: Vec::with_capacity(n),
            rating: Vec::with_capacity(n),
            reused: Vec::with_capacity(n),
            published: Vec::with_capacity(n),
            synced: Vec::with_capacity(n),
        }
    }

    fn len(&self) -> usize {
        self.unit.len()
    }

    fn append(&mut self, mut other: Rows) {
        self.unit.append(&mut other.unit);
        self.day.append(&mut other.day);
        self.channel.append(&mut other.channel);
        self.eligible.append(&mut other.eligible);
        self.fee.append(&mut other.fee);
        self.paid_online.append(&mut other.paid_online);
        self.digitised.append(&mut other.digitised);
        self.e_result.append(&mut other.e_result);
        self.resolved.append(&mut other.resolved);
        self.on_time.append(&mut other.on_time);
        self.rating.append(&mut other.rating);
        self.reused.append(&mut other.reused);
        self.published.append(&mut other.published);
        self.synced.append(&mut other.synced);
    }

    /// The rows in a random order (Fisher–Yates, drawn from `rng`).
    fn shuffled(self, rng: &mut Rng) -> Rows {
        let mut order: Vec<usize> = (0..self.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        fn pick<T: Copy>(v: &[T], order: &[usize]) -> Vec<T> {
            order.iter().map(|&i| v[i]).collect()
        }
        Rows {
            unit: pick(&self.unit, &order),
            day: pick(&self.day, &order),
            channel: pick(&self.channel, &order),
            eligible: pick(&self.eligible, &order),
            fee: pick(&self.fee, &order),
            paid_online: pick(&self.paid_online, &order),
            digitised: pick(&self.digitised, &order),
            e_result: pick(&self.e_result, &order),
            resolved: pick(&self.resolved, &order),
            on_time: pick(&self.on_time, &order),
            rating: pick(&self.rating, &order),
            reused: pick(&self.reused, &order),
            published: pick(&self.published, &order),
            synced: pick(&self.synced, &order),
        }
    }

    /// Removes the first `n` rows.
    fn drop_front(&mut self, n: usize) {
        self.unit.drain(..n);
        self.day.drain(..n);
        self.channel.drain(..n);
        self.eligible.drain(..n);
        self.fee.drain(..n);
        self.paid_online.drain(..n);
        self.digitised.drain(..n);
        self.e_result.drain(..n);
        self.resolved.drain(..n);
        self.on_time.drain(..n);
        self.rating.drain(..n);
        self.reused.drain(..n);
        self.published.drain(..n);
        self.synced.drain(..n);
    }

    /// The first `n` rows as a one-chunk frame with the columns of [`schema`].
    fn frame(&self, n: usize, ids: &[&str]) -> PolarsResult<DataFrame> {
        let flag = |name: &str, v: &[bool]| BooleanChunked::from_slice(name.into(), &v[..n]);
        let unit = StringChunked::from_iter_values(
            "ma_don_vi".into(),
            self.unit[..n].iter().map(|&u| ids[usize::from(u)]),
        );
        let channel = StringChunked::from_iter_values(
            "kenh".into(),
            self.channel[..n].iter().map(|&c| CHANNELS[usize::from(c)]),
        );
        let date = Int32Chunked::from_slice("ngay_tiep_nhan".into(), &self.day[..n]).into_date();
        let rating: Int8Chunked = self.rating[..n]
            .iter()
            .map(|&r| (r > 0).then_some(r))
            .collect();
        DataFrame::new(
            n,
            vec![
                unit.into_column(),
                date.into_column(),
                channel.into_column(),
                flag("toan_trinh_du_dieu_kien", &self.eligible).into_column(),
                flag("co_phi", &self.fee).into_column(),
                flag("thanh_toan_truc_tuyen", &self.paid_online).into_column(),
                flag("so_hoa", &self.digitised).into_column(),
                flag("ket_qua_dien_tu", &self.e_result).into_column(),
                flag("da_giai_quyet", &self.resolved).into_column(),
                flag("dung_han", &self.on_time).into_column(),
                rating.with_name("danh_gia".into()).into_column(),
                flag("tai_su_dung", &self.reused).into_column(),
                flag("cong_khai", &self.published).into_column(),
                flag("dong_bo_trang_thai", &self.synced).into_column(),
            ],
        )
    }
}

/// The columns of ho_so.parquet, as catalogue.toml's `[dataset.ho_so]` of bo-chi-so-766 declares
/// them (after the unit and date columns, in the declared order).
fn schema() -> Schema {
    let mut columns = vec![
        ("ma_don_vi", DataType::String),
        ("ngay_tiep_nhan", DataType::Date),
        ("kenh", DataType::String),
    ];
    for flag in [
        "toan_trinh_du_dieu_kien",
        "co_phi",
        "thanh_toan_truc_tuyen",
        "so_hoa",
        "ket_qua_dien_tu",
        "da_giai_quyet",
        "dung_han",
    ] {
        columns.push((flag, DataType::Boolean));
    }
    columns.push(("danh_gia", DataType::Int8));
    for flag in ["tai_su_dung", "cong_khai", "dong_bo_trang_thai"] {
        columns.push((flag, DataType::Boolean));
    }
    columns
        .into_iter()
        .map(|(name, dtype)| Field::new(name.into(), dtype))
        .collect()
}

/// Writes `dossiers` rows to `path` in row groups of `row_group` rows: the days are generated
/// in parallel a wave at a time (each wave about one row group), and every full row group is
/// written as soon as it is there. Returns the number of row groups and the file size.
fn write_dossiers(
    path: &Path,
    ids: &[&str],
    handlers: &[Handler],
    seed: u64,
    dossiers: usize,
    row_group: usize,
    order: Order,
) -> PolarsResult<(usize, u64)> {
    let row_group = row_group.max(1);
    let days = days();
    let per_day = allocate(dossiers, &days.iter().map(|d| d.1).collect::<Vec<_>>());
    let mut cumulative = Vec::with_capacity(handlers.len());
    let mut total = 0.0;
    for h in handlers {
        total += h.weight;
        cumulative.push(total);
    }
    let last = days.last().map(|d| d.0).unwrap_or_default();
    let epoch = NaiveDate::default();

    let file = std::fs::File::create(path)?;
    let mut writer = ParquetWriter::new(BufWriter::with_capacity(1 << 20, file))
        .with_compression(ParquetCompression::Zstd(None))
        .batched(&schema())?;
    // The row groups are encoded and written on a thread of their own while the next ones are
    // drawn; the channel holds one, so at most about three row groups are in memory.
    let (send, receive) = std::sync::mpsc::sync_channel::<DataFrame>(1);
    std::thread::scope(|scope| {
        let written = scope.spawn(move || -> PolarsResult<(usize, u64)> {
            let mut row_groups = 0;
            for frame in receive {
                writer.write_batch(&frame)?;
                row_groups += usize::from(frame.height() > 0);
            }
            Ok((row_groups, writer.finish()?))
        });
        let drawn = (|| -> PolarsResult<()> {
            let threads = rayon::current_num_threads().max(1);
            let mut pending = Rows::with_capacity(row_group);
            let mut sent = 0;
            let mut start = 0;
            while start < days.len() {
                // A wave: the next days up to about one row group of rows, and at least one day
                // per thread, so that every thread has a day to draw even when a day exceeds a
                // row group.
                let mut end = start;
                let mut rows = 0;
                while end < days.len()
                    && (end < start + threads || rows + per_day[end] <= row_group)
                {
                    rows += per_day[end];
                    end += 1;
                }
                let wave: Vec<Rows> = (start..end)
                    .into_par_iter()
                    .map(|i| {
                        let (date, _) = days[i];
                        let day = (date - epoch).num_days() as i32;
                        let age = (last - date).num_days() as f64;
                        let mut rng = Rng::new(seed, &format!("national/ho_so/{i}"));
                        let rows =
                            day_rows(&mut rng, handlers, &cumulative, per_day[i], day, date, age);
                        match order {
                            Order::DayUnit => rows,
                            Order::Interleaved => rows.shuffled(&mut rng),
                        }
                    })
                    .collect();
                for rows in wave {
                    pending.append(rows);
                }
                while pending.len() >= row_group {
                    let frame = pending.frame(row_group, ids)?;
                    pending.drop_front(row_group);
                    if send.send(frame).is_err() {
                        // The writer stopped: its error is reported below.
                        return Ok(());
                    }
                    sent += 1;
                }
                start = end;
            }
            if pending.len() > 0 || sent == 0 {
                let _ = send.send(pending.frame(pending.len(), ids)?);
            }
            Ok(())
        })();
        drop(send);
        let written = written
            .join()
            .map_err(|_| polars_err!(ComputeError: "the Parquet writer thread panicked"))?;
        drawn?;
        written
    })
}

/// The `count` dossiers received on `date` (`age` days before 31 December), ordered by unit.
fn day_rows(
    rng: &mut Rng,
    handlers: &[Handler],
    cumulative: &[f64],
    count: usize,
    day: i32,
    date: NaiveDate,
    age: f64,
) -> Rows {
    // Who receives them: one weighted draw per dossier, then counted per unit so that the rows
    // come out in unit order without sorting.
    let mut per_unit = vec![0u32; handlers.len()];
    for _ in 0..count {
        per_unit[rng.pick(cumulative)] += 1;
    }
    let month = f64::from(date.month0());
    let mut rows = Rows::with_capacity(count);
    for (u, &n) in per_unit.iter().enumerate() {
        let p = &handlers[u].p;
        for _ in 0..n {
            // 4 080 handlers: the index fits in u16.
            rows.unit.push(u as u16);
            rows.day.push(day);
            dossier(rng, p, month, age, &mut rows);
        }
    }
    rows
}

/// Draws one dossier of a unit with propensity `p`, received in month `month` (0 = January)
/// `age` days before 31 December 2026, the day the data is extracted.
fn dossier(rng: &mut Rng, p: &Propensity, month: f64, age: f64, rows: &mut Rows) {
    let rate = |base: f64, gain: f64| (base + gain * month).clamp(0.01, 0.995);
    let published = rng.chance(rate(p.publish, p.publish_gain));
    let synced = rng.chance(rate(p.sync, p.sync_gain));
    // Procedures eligible for full online service draw far more online dossiers.
    let eligible = rng.chance(p.eligible);
    let online = rng.chance(if eligible {
        rate(p.online_full, p.online_gain)
    } else {
        rate(p.online_other, p.online_gain)
    });
    let channel = if online {
        0
    } else if rng.chance(0.05) {
        2
    } else {
        1
    };
    let fee = rng.chance(p.fee);
    let pay = rate(p.pay, p.pay_gain);
    let paid_online = fee
        && rng.chance(if online {
            (pay * 1.3).min(0.99)
        } else {
            pay * 0.5
        });
    // Online dossiers arrive digital; others are digitised at the desk.
    let digitised = online || rng.chance(rate(p.digitise, p.digitise_gain));
    // Most dossiers are resolved within three weeks; the latest ones are still open, and an
    // open dossier is overdue more often the longer it has been open.
    let resolved = rng.chance((0.2 + 0.04 * age).min(0.99));
    let on_time = if resolved {
        rng.chance((p.on_time + 0.002 * month).clamp(0.7, 0.999))
    } else if age < 10.0 {
        rng.chance(0.97)
    } else {
        rng.chance(p.open_in_time.clamp(0.1, 0.95))
    };
    let e_result = resolved
        && rng.chance(
            (rate(p.e_result, p.e_result_gain) + if online { 0.08 } else { 0.0 }).min(0.995),
        );
    let rated = resolved
        && rng.chance((rate(p.rated, p.rated_gain) + if online { 0.1 } else { 0.0 }).min(0.95));
    let rating = if rated {
        let satisfied = rng.chance((p.satisfied + 0.002 * month).clamp(0.7, 0.995));
        let x = rng.unit();
        match (satisfied, x) {
            (true, x) if x < 0.7 => 5,
            (true, _) => 4,
            (false, x) if x < 0.55 => 3,
            (false, x) if x < 0.8 => 2,
            (false, _) => 1,
        }
    } else {
        0
    };
    let reused = rng.chance(rate(p.reuse, p.reuse_gain));
    rows.channel.push(channel);
    rows.eligible.push(eligible);
    rows.fee.push(fee);
    rows.paid_online.push(paid_online);
    rows.digitised.push(digitised);
    rows.e_result.push(e_result);
    rows.resolved.push(resolved);
    rows.on_time.push(on_time);
    rows.rating.push(rating);
    rows.reused.push(reused);
    rows.published.push(published);
    rows.synced.push(synced);
}

/// Every day of 2026 with its relative dossier volume: working days, a little on Saturdays,
/// almost nothing on Sundays and public holidays (Tết Bính Ngọ 14–22/2 among them).
fn days() -> Vec<(NaiveDate, f64)> {
    let (Some(first), Some(last)) = (
        NaiveDate::from_ymd_opt(2026, 1, 1),
        NaiveDate::from_ymd_opt(2026, 12, 31),
    ) else {
        return Vec::new();
    };
    let mut out = Vec::with_capacity(365);
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
        w *= MONTH_VOLUME[day.month0() as usize];
        out.push((day, w));
        day += Duration::days(1);
    }
    out
}

/// A reported sub-indicator: its id, the range of its denominator (None: a ratio only) and the
/// range of its rate.
type Reported = (&'static str, Option<(i64, i64)>, (f64, f64));

/// The sub-indicators of `indicators/bo-chi-so-766` that dossier records cannot give, with the
/// range of their denominator (what is counted) and of their rate: procedures, petitions,
/// dossiers of another system. `None` for the denominator: the portal publishes a ratio only.
const REPORTED: [Reported; 14] = [
    ("publish-on-time", Some((20, 120)), (0.0, 1.0)),
    ("public-update-on-time", Some((20, 120)), (0.0, 1.0)),
    ("public-content-full", Some((40, 200)), (0.8, 1.0)),
    ("online-service", None, (45.0, 85.0)),
    ("payment-formality", Some((5, 400)), (0.1, 0.6)),
    ("payment-fee-formality", Some((5, 400)), (0.05, 0.4)),
    (
        "synced-with-dvcqg-personal-storage",
        Some((500, 60_000)),
        (0.0, 0.3),
    ),
    (
        "citizen-data-connected-dossier",
        Some((500, 60_000)),
        (0.3, 0.8),
    ),
    (
        "citizen-data-connected-formality",
        Some((10, 1_400)),
        (0.05, 0.4),
    ),
    ("electronic-certified-copy", None, (60.0, 100.0)),
    ("petition-processing-on-time", Some((0, 40)), (0.3, 1.0)),
    ("petition-handling-satisfaction", Some((0, 40)), (0.2, 1.0)),
    ("petition-classification-tthc", Some((0, 40)), (0.5, 0.9)),
    ("petition-classification-staff", Some((0, 40)), (0.05, 0.3)),
];

/// reported.csv: for every unit, the counts of 2026 of the sub-indicators that come only from
/// reported figures (REPORTED), from their own random stream (the dossiers do not change with
/// them). Petitions may be 0 of 0 (nothing filed).
fn reported_counts(units: &[UnitRow], seed: u64) -> String {
    let mut rng = Rng::new(seed, "national-reported");
    let mut csv = Csv::new();
    csv.row(&[
        "unit",
        "period",
        "indicator",
        "value",
        "numerator",
        "denominator",
    ]);
    for u in units {
        for &(id, denominator, (lo, hi)) in &REPORTED {
            let rate = rng.range(lo, hi);
            match denominator {
                Some((a, b)) => {
                    let d = rng.between(a, b);
                    let n = (rate * d as f64).round() as i64;
                    csv.row(&[
                        u.id.as_str(),
                        "2026",
                        id,
                        "",
                        &n.to_string(),
                        &d.to_string(),
                    ]);
                }
                None => csv.row(&[u.id.as_str(), "2026", id, &super::csv::num(rate), "", ""]),
            }
        }
    }
    csv.into_string()
}

fn readme(seed: u64, dossiers: usize, row_group: usize, order: Order) -> String {
    let (flag, ordered) = match order {
        Order::DayUnit => ("", order.text()),
        Order::Interleaved => (" --order interleaved", order.text()),
    };
    format!(
        "# Dữ liệu tổng hợp toàn quốc (synthetic)\n\n\
         Generated by `chitieu generate national --seed {seed} --dossiers {dossiers}{flag}` for the \
         catalogue `indicators/bo-chi-so-766`; every figure is invented.\n\n\
         * `units.csv`: 34 provinces (`p01` … `p34`, level `tinh`), each with 20 departments \
         (`p01-so-01`, level `so`) and 100 communes and wards (`p01-xa-001`, level `xa`).\n\
         * `ho_so.parquet`: {dossiers} dossiers received in 2026 by the departments and \
         communes, {ordered}, in row groups of {row_group} rows; the columns are \
         described in `indicators/bo-chi-so-766/README.md`. Rates differ by province and unit \
         and rise month by month; the data is extracted on 31 December 2026, so the latest \
         dossiers are still open.\n\
         * `reported.csv`: for every unit, the year 2026 of the 14 sub-indicators that only come \
         from reported counts (procedures, petitions, published ratios).\n"
    )
}

#[cfg(test)]
mod tests;
