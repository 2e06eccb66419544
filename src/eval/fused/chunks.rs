//! The fused scan's chunks: a Parquet file read in queries of at most [`CHUNK_BYTES`] of row
//! groups each (polars maps the file into memory, and the pages a query has read count in the
//! process' memory until it ends), and the partial tables of the chunks added into one.

use std::path::Path;

use polars::prelude::*;

use super::{MONTH_COLUMN, UNIT_COLUMN};

/// The partial tables of several chunks of one file as one: the parts of a (unit, period) that
/// occurs in several chunks added, in the order of [`fused_query`].
pub(super) fn added(frames: Vec<LazyFrame>) -> PolarsResult<DataFrame> {
    let all = concat(frames, UnionArgs::default())?;
    let schema = all.clone().collect_schema()?;
    let sums: Vec<Expr> = schema
        .iter_names()
        .filter(|n| n.as_str() != UNIT_COLUMN && n.as_str() != MONTH_COLUMN)
        .map(|n| col(n.clone()).sum())
        .collect();
    all.group_by([col(UNIT_COLUMN), col(MONTH_COLUMN)])
        .agg(sums)
        .sort([UNIT_COLUMN, MONTH_COLUMN], SortMultipleOptions::default())
        .collect()
}

/// The compressed bytes of Parquet row groups one query of the fused scan reads at most (a
/// single larger row group is read alone). polars maps the file into memory and the pages it
/// has read count in the process' resident memory until the query ends, so that one query over
/// the 245 MB of 200M national dossiers peaked 240 MB above its own state; chunks bound that
/// at about this size, for a few milliseconds per chunk.
pub(super) const CHUNK_BYTES: u64 = 32 << 20;

/// The row ranges of `path` that the fused scan reads one query each: consecutive row groups
/// of at most `max_bytes` together ([`CHUNK_BYTES`]). One range for a file of one chunk, none
/// for CSV and XLSX datasets, which are read whole before they are scanned.
pub(super) fn chunks_of(path: &Path, max_bytes: u64) -> PolarsResult<Vec<std::ops::Range<u64>>> {
    if !crate::data::parquet::is_parquet(path) {
        return Ok(Vec::new());
    }
    let groups =
        crate::data::parquet::row_groups(path).map_err(|e| polars_err!(ComputeError: "{e}"))?;
    let mut chunks: Vec<(std::ops::Range<u64>, u64)> = Vec::new();
    let mut start = 0u64;
    for (rows, bytes) in groups {
        let end = start + rows;
        match chunks.last_mut() {
            Some((range, size))
                if *size + bytes <= max_bytes && end - range.start <= u64::from(IdxSize::MAX) =>
            {
                range.end = end;
                *size += bytes;
            }
            _ => chunks.push((start..end, bytes)),
        }
        start = end;
    }
    // a row group too large to be sliced by polars' row index: the file in one query
    if chunks
        .iter()
        .any(|(r, _)| r.end - r.start > u64::from(IdxSize::MAX))
    {
        return Ok(Vec::new());
    }
    Ok(chunks.into_iter().map(|(range, _)| range).collect())
}
