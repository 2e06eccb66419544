//! The national benchmark's Python polars peer (`benches/national.py`, `work_polars`) written
//! against the polars crate chitieu builds on: the same lazy query — dossiers of 2026 grouped by
//! unit and month (or by unit alone), the same nine sums — collected with the streaming engine.
//! It tells how much of chitieu's time is polars' own (README "National scale" → "By period
//! grain"): run it and the Python peer on the same file.
//!
//! ```sh
//! chitieu generate national --out /tmp/nat --dossiers 50000000
//! cargo run --release --example polars_peer -- /tmp/nat/ho_so.parquet month
//! ```

use std::process::ExitCode;
use std::time::Instant;

use chrono::NaiveDate;
use polars::prelude::*;
use polars_core::query_result::QueryResult;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(path), grain) = (args.first(), args.get(1).map_or("month", String::as_str)) else {
        eprintln!("usage: polars_peer HO_SO.parquet [month|year]");
        return ExitCode::from(2);
    };
    match run(path, grain) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(path: &str, grain: &str) -> PolarsResult<()> {
    let date = col("ngay_tiep_nhan");
    let day = |m, d| lit(NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default());
    let count = |e: Expr| e.sum();
    let sums = vec![
        count(col("dong_bo_trang_thai")).alias("dossier-sync"),
        count(col("dung_han")).alias("dossier-on-time"),
        count(col("co_phi").and(col("thanh_toan_truc_tuyen"))).alias("payment-dossier"),
        count(col("co_phi")).alias("payment-dossier-den"),
        count(col("ket_qua_dien_tu")).alias("original-result-available"),
        count(col("so_hoa")).alias("so-hoa-giay-to-giai-quyet"),
        count(col("tai_su_dung")).alias("reused-digitized-data"),
        count(col("danh_gia").is_null().or(col("danh_gia").gt_eq(lit(4))))
            .alias("dossier-receiving-satisfaction"),
        len().alias("dossiers"),
    ];
    let mut keys = vec![col("ma_don_vi")];
    if grain == "month" {
        keys.push(date.clone().dt().month().alias("month"));
    }
    let query = LazyFrame::scan_parquet(PlRefPath::new(path), ScanArgsParquet::default())?
        .filter(date.clone().gt_eq(day(1, 1)).and(date.lt_eq(day(12, 31))))
        .group_by(keys)
        .agg(sums);
    let start = Instant::now();
    let groups = match query.collect_with_engine(Engine::Streaming)? {
        QueryResult::Single(frame) => frame.height(),
        QueryResult::Multiple(_) => 0,
    };
    println!(
        "{grain}: {groups} groups in {:.2} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
