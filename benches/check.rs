//! Benchmark of `chitieu check` on a generated catalogue: 10,000 indicators (mixed units, targets
//! for 2026 and 2030, one in ten computed with SQL over a declared dataset) in 10 files and 1,000
//! tasks with deadlines as the plans write them. The target is well under a second.
//!
//! Run: `cargo bench --bench check` (release build; prints the median wall time of 5 runs of the
//! library call `chitieu::check` and of the binary `chitieu check DIR`).

// a benchmark's panic is its failure report (Cargo.toml denies these two outside tests)
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const INDICATORS: usize = 10_000;
const FILES: usize = 10;
const TASKS: usize = 1_000;
const RUNS: usize = 5;

/// (numerator, denominator) of the computed indicators, over the declared dataset columns.
const MEASURES: [(&str, &str); 4] = [
    (
        "SUM(CASE WHEN kenh = 'truc_tuyen' THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
    (
        "SUM(CASE WHEN da_thanh_toan_truc_tuyen THEN 1 ELSE 0 END)",
        "COUNT(*)",
    ),
    ("SUM(CASE WHEN so_hoa THEN 1 ELSE 0 END)", "COUNT(*)"),
    (
        "SUM(CASE WHEN dung_han THEN 1 ELSE 0 END)",
        "SUM(CASE WHEN kenh IS NOT NULL THEN 1 ELSE 0 END)",
    ),
];

const DEADLINES: [&str; 10] = [
    "Quý I/2027",
    "Tháng 5/2026",
    "Hoàn thành trước ngày 30/6/2026",
    "Năm 2026",
    "Thường xuyên",
    "Hàng năm",
    "Năm 2026 và các năm tiếp theo",
    "Theo chỉ đạo của Trung ương",
    "Trong Quý I hàng năm",
    "trước ngày 05/12/2026",
];

fn indicator(s: &mut String, i: usize) {
    let group = ["I", "II", "III", "IV", "V", "VI"][i % 6];
    let _ = writeln!(
        s,
        "[[indicator]]\nid = \"chi-tieu-{i:05}\"\ncode = \"{group}.{i}\"\n\
         name = \"Tỷ lệ hồ sơ dịch vụ công trực tuyến toàn trình của đơn vị số {i}\"\n\
         group = \"{group}\"\nowner = [\"Sở Khoa học và Công nghệ\", \"Công an tỉnh\"]\n\
         source = \"Phụ lục I, mục {group}.{i}\""
    );
    let targets = match i % 10 {
        0 => {
            let (num, den) = MEASURES[(i / 10) % MEASURES.len()];
            let _ = writeln!(
                s,
                "unit = \"%\"\ndirection = \"higher\"\n\n[indicator.measure]\n\
                 dataset = \"ho_so\"\nnumerator = \"{num}\"\ndenominator = \"{den}\"\n\
                 filter = \"NOT mat\""
            );
            "2026 = \">= 50\"\n2030 = \">= 80\"".to_string()
        }
        1..=4 => {
            let _ = writeln!(s, "unit = \"%\"\ndirection = \"higher\"");
            format!("2026 = \"≥ {}%\"\n2030 = \"100\"", 50 + i % 40)
        }
        5 => {
            let _ = writeln!(s, "unit = \"%\"\ndirection = \"lower\"");
            "2026 = \"<= 30\"\n2030 = \"≤ 20\"".to_string()
        }
        6 => {
            let _ = writeln!(s, "unit = \"count\"\nunit_label = \"Hệ thống\"\ndirection = \"higher\"\nbaseline = {{ year = 2025, value = 12.0 }}");
            "2026 = 15\n2030 = { increase = 50, from = 2025 }".to_string()
        }
        7 => {
            let _ = writeln!(s, "unit = \"count\"\ndirection = \"lower\"");
            "2030 = { reduce = 50, from = 2025 }".to_string()
        }
        8 => {
            let _ = writeln!(s, "unit = \"rank\"");
            "2026 = \"top 20\"\n2030 = \"top 10\"".to_string()
        }
        _ => {
            let _ = writeln!(s, "unit = \"boolean\"");
            "2026 = \"done\"".to_string()
        }
    };
    let _ = writeln!(s, "\n[indicator.targets]\n{targets}\n");
}

fn task(s: &mut String, i: usize) {
    let group = ["PL2.I", "PL2.II", "PL2.III"][i % 3];
    let _ = writeln!(
        s,
        "[[task]]\nid = \"nhiem-vu-{i:04}\"\ncode = \"II.{i}\"\n\
         name = \"Triển khai tích hợp, đồng bộ kết quả giải quyết TTHC trên VNeID, đợt {i}\"\n\
         group = \"{group}\"\nlead = [\"Sở Khoa học và Công nghệ\"]\npartners = [\"Công an tỉnh\"]\n\
         product = \"Kết quả giải quyết TTHC được đồng bộ\"\ndeadline = \"{}\"\n",
        DEADLINES[i % DEADLINES.len()]
    );
}

fn catalogue(dir: &Path) -> std::io::Result<()> {
    let mut main = String::from(
        "id = \"bench-10000\"\ntitle = \"Bộ chỉ tiêu tổng hợp (benchmark)\"\n\
         issuer = \"UBND tỉnh Lào Cai\"\n\n",
    );
    for g in [
        "I", "II", "III", "IV", "V", "VI", "PL2.I", "PL2.II", "PL2.III",
    ] {
        let _ = writeln!(main, "[[group]]\nid = \"{g}\"\nname = \"Nhóm {g}\"\n");
    }
    main += "[dataset.ho_so]\nunit = \"ma_don_vi\"\ndate = \"ngay_tiep_nhan\"\n\
             columns = [\"kenh\", \"da_thanh_toan_truc_tuyen\", \"so_hoa\", \"dung_han\", \"mat\"]\n";
    std::fs::write(dir.join("catalogue.toml"), main)?;
    let per_file = INDICATORS / FILES;
    for f in 0..FILES {
        let mut s = String::new();
        for i in f * per_file..(f + 1) * per_file {
            indicator(&mut s, i);
        }
        std::fs::write(dir.join(format!("indicators-{f:02}.toml")), s)?;
    }
    let mut s = String::new();
    for i in 0..TASKS {
        task(&mut s, i);
    }
    std::fs::write(dir.join("tasks.toml"), s)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let tmp = tempfile::tempdir().expect("a temporary directory");
    let dir = tmp.path().join("bench");
    std::fs::create_dir(&dir).expect("create the catalogue directory");
    catalogue(&dir).expect("write the catalogue");
    let bytes: u64 = std::fs::read_dir(&dir)
        .expect("list the catalogue")
        .filter_map(|e| e.ok()?.metadata().ok())
        .map(|m| m.len())
        .sum();
    println!(
        "catalogue: {INDICATORS} indicators in {FILES} files, {TASKS} tasks, {:.1} MB",
        bytes as f64 / 1e6
    );

    let mut lib = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let loaded = chitieu::check(&dir).expect("the catalogue loads");
        lib.push(start.elapsed());
        assert_eq!(loaded.catalogue.indicator_ids().count(), INDICATORS);
        assert_eq!(loaded.catalogue.task_ids().count(), TASKS);
        let errors: Vec<_> = loaded.diagnostics.iter().filter(|d| d.is_error()).collect();
        assert!(
            errors.is_empty(),
            "the generated catalogue is clean: {:?}",
            &errors[..errors.len().min(3)]
        );
    }
    let lib = median(lib);
    println!(
        "check (library):            median {:>8.1} ms of {RUNS} runs",
        lib.as_secs_f64() * 1e3
    );

    // where the library time goes: reading and typing the files (`chitieu::load`), then the
    // catalogue-wide rules (duplicate ids, SQL of the measures through polars, trajectories),
    // which are the rest of `chitieu::check`
    let mut load = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let loaded = chitieu::load(&dir).expect("the catalogue loads");
        load.push(start.elapsed());
        assert_eq!(loaded.catalogue.indicator_ids().count(), INDICATORS);
    }
    let load = median(load);
    println!(
        "  of which load:              median {:>8.1} ms",
        load.as_secs_f64() * 1e3
    );
    println!(
        "  of which the rules (rest):  median {:>8.1} ms",
        lib.saturating_sub(load).as_secs_f64() * 1e3
    );

    let mut bin = Vec::new();
    for _ in 0..RUNS {
        let start = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_chitieu"))
            .arg("check")
            .arg(&dir)
            .output()
            .expect("run chitieu check");
        bin.push(start.elapsed());
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    println!(
        "chitieu check DIR (binary):  median {:>8.1} ms of {RUNS} runs",
        median(bin).as_secs_f64() * 1e3
    );
}
