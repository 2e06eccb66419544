//! Benchmark of `chitieu score` on a generated record-level dataset: 1,000,000 dossiers over
//! 1,000 communes (10 districts) and the 12 months of 2026, scored with 5 and then 20 computed
//! indicators. The fused scan should make the time grow with rows, not rows × indicators.
//!
//! Run: `cargo bench --bench score` (release build; prints median wall times of 3 runs of
//! `chitieu score --no-charts`: the charts are the leaders' report, measured apart).
//! `CHITIEU_BENCH_ROWS=200000 cargo bench --bench score` for a quicker run.

// a benchmark's panic is its failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use polars::prelude::*;

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

const DISTRICTS: usize = 10;
const COMMUNES: usize = 1_000;

/// Twenty additive measures over the dossier columns; the first `n` are used.
const MEASURES: [(&str, &str); 20] = [
    (
        "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
    (
        "SUM(CASE WHEN thanh_toan_truc_tuyen THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN co_phi THEN 1 ELSE 0 END)",
    ),
    ("SUM(CASE WHEN so_hoa THEN 1 ELSE 0 END)", "COUNT(*)"),
    (
        "SUM(CASE WHEN ket_qua_dien_tu THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN da_giai_quyet THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN dung_han THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN da_giai_quyet THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN danh_gia >= 4 THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN danh_gia IS NOT NULL THEN 1 ELSE 0 END)",
    ),
    ("SUM(CASE WHEN tai_su_dung THEN 1 ELSE 0 END)", "COUNT(*)"),
    (
        "SUM(CASE WHEN kenh = 'buu_chinh' THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
    (
        "SUM(CASE WHEN kenh = 'truc_tuyen' AND so_hoa THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN danh_gia = 5 THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN danh_gia IS NOT NULL THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN co_phi AND NOT thanh_toan_truc_tuyen THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN co_phi THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN da_giai_quyet AND NOT dung_han THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN da_giai_quyet THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN so_hoa AND tai_su_dung THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN so_hoa THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN kenh = 'truc_tiep' THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
    (
        "SUM(CASE WHEN danh_gia <= 2 THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN danh_gia IS NOT NULL THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN ket_qua_dien_tu AND dung_han THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN da_giai_quyet THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN NOT da_giai_quyet THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
    (
        "SUM(CASE WHEN kenh = 'truc_tuyen' AND co_phi THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN co_phi THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN tai_su_dung AND kenh = 'truc_tuyen' THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)",
    ),
    (
        "SUM(CASE WHEN danh_gia IS NULL THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
];

fn catalogue(dir: &Path, n: usize) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(
        dir.join("catalogue.toml"),
        "id = \"bench\"\ntitle = \"Benchmark\"\n[dataset.ho_so]\nunit = \"ma_don_vi\"\ndate = \"ngay_tiep_nhan\"\n\
         columns = [\"kenh\", \"co_phi\", \"thanh_toan_truc_tuyen\", \"so_hoa\", \"ket_qua_dien_tu\", \"da_giai_quyet\", \"dung_han\", \"danh_gia\", \"tai_su_dung\"]\n",
    )?;
    let mut text = String::new();
    for (k, (num, den)) in MEASURES.iter().take(n).enumerate() {
        let _ = write!(
            text,
            "[[indicator]]\nid = \"m{k:02}\"\nname = \"Chỉ số {k}\"\nunit = \"%\"\ndirection = \"higher\"\n\
             [indicator.measure]\ndataset = \"ho_so\"\nnumerator = \"{num}\"\ndenominator = \"{den}\"\n\
             [indicator.targets]\n2026 = \">= 60\"\n2030 = \">= 90\"\n\n"
        );
    }
    std::fs::write(dir.join("indicators.toml"), text)
}

fn data(dir: &Path, rows: usize) -> PolarsResult<()> {
    std::fs::create_dir_all(dir).map_err(|e| polars_err!(ComputeError: "{e}"))?;
    let mut units = String::from("id,name,parent,level\ntinh,UBND tỉnh,,tinh\n");
    for d in 0..DISTRICTS {
        let _ = writeln!(units, "khu-{d:02},Khu vực {d},tinh,khu");
    }
    for c in 0..COMMUNES {
        let _ = writeln!(units, "xa-{c:04},Xã {c},khu-{:02},xa", c % DISTRICTS);
    }
    std::fs::write(dir.join("units.csv"), units).map_err(|e| polars_err!(ComputeError: "{e}"))?;
    let mut rng = Rng(2026);
    let ids: Vec<String> = (0..COMMUNES).map(|c| format!("xa-{c:04}")).collect();
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default();
    let (mut unit, mut date, mut kenh) = (
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
        Vec::with_capacity(rows),
    );
    let mut flags: [Vec<bool>; 7] = Default::default();
    let mut rating = Vec::with_capacity(rows);
    for _ in 0..rows {
        let c = (rng.next() % COMMUNES as u64) as usize;
        let day = (rng.next() % 365) as i64;
        let skill = (c % 7) as f64 / 10.0 + day as f64 / 2000.0;
        unit.push(ids[c].as_str());
        date.push(start + chrono::Duration::days(day));
        kenh.push(match rng.unit() {
            x if x < 0.35 + skill => "truc_tuyen",
            x if x < 0.95 => "truc_tiep",
            _ => "buu_chinh",
        });
        let fee = rng.unit() < 0.4;
        let resolved = rng.unit() < 0.9;
        flags[0].push(fee);
        flags[1].push(fee && rng.unit() < 0.5 + skill);
        flags[2].push(rng.unit() < 0.6 + skill / 2.0);
        flags[3].push(resolved && rng.unit() < 0.7);
        flags[4].push(resolved);
        flags[5].push(resolved && rng.unit() < 0.85 + skill / 10.0);
        flags[6].push(rng.unit() < 0.3 + skill);
        rating.push((rng.unit() < 0.6).then(|| 1 + (rng.next() % 5) as i32));
    }
    let names = [
        "co_phi",
        "thanh_toan_truc_tuyen",
        "so_hoa",
        "ket_qua_dien_tu",
        "da_giai_quyet",
        "dung_han",
        "tai_su_dung",
    ];
    let mut columns = vec![
        Column::new("ma_don_vi".into(), unit),
        Column::new("ngay_tiep_nhan".into(), date),
        Column::new("kenh".into(), kenh),
    ];
    for (name, values) in names.iter().zip(flags) {
        columns.push(Column::new((*name).into(), values));
    }
    columns.push(Column::new("danh_gia".into(), rating));
    let mut frame = DataFrame::new_infer_height(columns)?;
    let file = std::fs::File::create(dir.join("ho_so.parquet"))
        .map_err(|e| polars_err!(ComputeError: "{e}"))?;
    ParquetWriter::new(file)
        .with_row_group_size(Some(200_000))
        .finish(&mut frame)?;
    Ok(())
}

fn median_run(catalogue: &Path, data: &Path, out: &Path) -> Duration {
    let mut times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let status = Command::new(env!("CARGO_BIN_EXE_chitieu"))
            .args(["score", "--period", "2026", "--no-charts"])
            .arg("--catalogue")
            .arg(catalogue)
            .arg("--data")
            .arg(data)
            .arg("--out")
            .arg(out)
            .stdout(std::process::Stdio::null())
            .status();
        times.push(t.elapsed());
        assert!(status.is_ok_and(|s| s.success()), "chitieu score failed");
    }
    times.sort();
    times[1]
}

fn main() {
    let rows = std::env::var("CHITIEU_BENCH_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000usize);
    let root = std::env::temp_dir().join(format!("chitieu-bench-score-{rows}"));
    let data_dir = root.join("data");
    if !data_dir.join("ho_so.parquet").exists() {
        if let Err(e) = data(&data_dir, rows) {
            eprintln!("cannot generate data: {e}");
            std::process::exit(2);
        }
    }
    println!(
        "chitieu score: {rows} dossiers, {COMMUNES} communes in {DISTRICTS} districts, 12 months"
    );
    for n in [5, 20] {
        let cat = root.join(format!("catalogue-{n}"));
        if let Err(e) = catalogue(&cat, n) {
            eprintln!("cannot write catalogue: {e}");
            std::process::exit(2);
        }
        let t = median_run(&cat, &data_dir, &root.join(format!("out-{n}")));
        println!(
            "  {n:>2} computed indicators: {:.3} s (median of 3)",
            t.as_secs_f64()
        );
    }
}
