//! The one way chitieu opens a Parquet file ([`scan`], [`read`], [`is_parquet`]): the value
//! counts it declares are checked before polars decodes it.
//!
//! polars trusts them: a data page whose header says it holds -1 values is decoded with a
//! validity bitmap of 2^64 bits reserved, and the process aborts on the failed allocation (not a
//! panic: nothing can catch it, see `guard`). So every Parquet input is first walked here: the
//! footer, then each column chunk's page headers (a few bytes per page, read by seeking; the
//! pages themselves are not read), and a count that no writer can have written — negative, more
//! values in a page than in its column chunk, more in a column chunk than a Parquet file can
//! hold — is an error before polars sees the file. Other damage is left to polars' own checks
//! (its errors and caught panics become E307).

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use polars::prelude::{
    DataFrame, LazyFrame, ParquetReader, PlRefPath, PolarsError, ScanArgsParquet, SerReader,
};
use polars_parquet::parquet::read::read_metadata;
use polars_parquet_format::thrift::protocol::TCompactInputProtocol;
use polars_parquet_format::PageHeader;

/// The largest page header read (polars' own limit for a page header is larger, but no writer
/// writes one of more than a few kilobytes without statistics of long strings).
const MAX_HEADER_BYTES: usize = 16 * 1024 * 1024;

/// The bytes read at each page header (a larger header is read on in further reads): every
/// page needs a seek and a read, and a buffer of the default 8 KiB copied 8 KiB per page
/// (thousands of pages in a national file).
const HEADER_READ: usize = 512;

/// Why a Parquet file cannot be opened.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// polars takes paths as UTF-8 text.
    #[error("the path is not UTF-8 text; rename the directory or file")]
    NotUtf8,
    /// A count no writer can have written, or a footer or page header that cannot be read
    /// ([`check`]): in words for an E307.
    #[error(transparent)]
    Damaged(#[from] Damage),
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error(transparent)]
    Polars(#[from] PolarsError),
}

/// Whether `path` names a Parquet file: the formats are told apart by extension (SPEC §2), and
/// this is the one test of it.
pub fn is_parquet(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// The Parquet file at `path` as a lazy frame, its page headers [checked](check) first.
pub fn scan(path: &Path) -> Result<LazyFrame, ParquetError> {
    let text = path.to_str().ok_or(ParquetError::NotUtf8)?;
    check(path)?;
    Ok(LazyFrame::scan_parquet(
        PlRefPath::new(text),
        ScanArgsParquet::default(),
    )?)
}

/// The Parquet file at `path` read whole, its page headers [checked](check) first.
pub fn read(path: &Path) -> Result<DataFrame, ParquetError> {
    check(path)?;
    Ok(ParquetReader::new(File::open(path)?).finish()?)
}

/// Why [`check`] refuses a Parquet file: its footer cannot be read, or a column chunk of it
/// declares what no writer writes. In words for an E307.
#[derive(Debug, thiserror::Error)]
pub enum Damage {
    #[error(transparent)]
    Io(#[from] io::Error),
    /// The footer (the file's metadata).
    #[error(transparent)]
    Footer(#[from] polars_parquet::parquet::error::ParquetError),
    #[error(
        "row group {group}, column `{column}`: {problem}; the file is damaged — export it again"
    )]
    Chunk {
        /// 1-based, as a person counts.
        group: usize,
        /// The column's path in the schema, dotted.
        column: String,
        problem: ChunkProblem,
    },
}

/// What is wrong in one column chunk: its own value count, or one of its pages (1-based).
#[derive(Debug, thiserror::Error)]
pub enum ChunkProblem {
    #[error("the column chunk declares {0} values")]
    Values(i64),
    #[error("page {page}: {source}")]
    Seek { page: usize, source: io::Error },
    #[error("page {page}: its header cannot be read ({source})")]
    Header {
        page: usize,
        source: polars_parquet_format::thrift::Error,
    },
    #[error("page {page}: its header declares a {what} of {count}")]
    Count {
        page: usize,
        what: &'static str,
        count: i32,
    },
    #[error("page {page} declares {declared} values, more than the {values} of its column chunk")]
    TooMany {
        page: usize,
        declared: i64,
        values: i64,
    },
}

/// Checks the value counts of every page of every column chunk of the Parquet file at `path`.
/// `Err` says which row group, column and page declares what. A file this process has found
/// sound is not walked again while its length and modification time are those it had (a run
/// opens its dataset files once to check their columns and once to scan them: each walk is a
/// seek and a read per page, 15–25 ms on the national file).
pub fn check(path: &Path) -> Result<(), Damage> {
    static SOUND: std::sync::Mutex<Vec<(std::path::PathBuf, u64, std::time::SystemTime)>> =
        std::sync::Mutex::new(Vec::new());
    let file = File::open(path)?;
    let stamp = file.metadata().and_then(|m| Ok((m.len(), m.modified()?)));
    let known = |(len, modified): (u64, std::time::SystemTime)| {
        // a poisoned list is one whose push panicked: it holds whole entries
        let sound = SOUND
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        sound
            .iter()
            .any(|(p, l, m)| p == path && *l == len && *m == modified)
    };
    if stamp.as_ref().is_ok_and(|s| known(*s)) {
        return Ok(());
    }
    walk(file)?;
    if let Ok((len, modified)) = stamp {
        SOUND
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((path.to_path_buf(), len, modified));
    }
    Ok(())
}

/// The walk of [`check`] over every page header of `file`.
fn walk(file: File) -> Result<(), Damage> {
    let mut file = BufReader::with_capacity(HEADER_READ, file);
    let metadata = read_metadata(&mut file)?;
    for (g, group) in metadata.row_groups.iter().enumerate() {
        let rows = i64::try_from(group.num_rows()).unwrap_or(i64::MAX);
        for column in group.parquet_columns() {
            let at = |problem: ChunkProblem| Damage::Chunk {
                group: g + 1,
                column: column.descriptor().path_in_schema.join("."),
                problem,
            };
            let values = column.num_values();
            if !(0..=rows.max(i64::from(i32::MAX))).contains(&values) {
                return Err(at(ChunkProblem::Values(values)));
            }
            walk_pages(&mut file, column.byte_range(), values).map_err(at)?;
        }
    }
    Ok(())
}

/// The rows and compressed bytes of each row group of the Parquet file at `path`, in file
/// order, from its footer: how the fused scan cuts a large file into queries
/// (`eval::fused`).
pub fn row_groups(path: &Path) -> Result<Vec<(u64, u64)>, Damage> {
    let mut file = BufReader::new(File::open(path)?);
    let metadata = read_metadata(&mut file)?;
    Ok(metadata
        .row_groups
        .iter()
        .map(|g| {
            let bytes: i64 = g
                .parquet_columns()
                .iter()
                .map(|c| c.compressed_size())
                .sum();
            (g.num_rows() as u64, u64::try_from(bytes).unwrap_or(0))
        })
        .collect())
}

/// The first and last day (days since 1970-01-01) of the DATE column `column` of the Parquet
/// file at `path`, read from its row groups' statistics (the footer, no page of the file):
/// `None` unless every row group that has rows holds the column as a plain DATE (physical
/// INT32) with a minimum, a maximum and a null count of 0 — a file without statistics, a date
/// kept as text or as a timestamp, or one with records without a date: the caller then reads
/// the column itself (`eval::fused`, which refuses records without a date). polars trusts
/// the same statistics to skip row groups a filter excludes.
pub fn date_statistics(path: &Path, column: &str) -> Result<Option<(i32, i32)>, Damage> {
    use polars_parquet::parquet::schema::types::{PrimitiveConvertedType, PrimitiveLogicalType};
    use polars_parquet::parquet::statistics::Statistics;
    let mut file = BufReader::new(File::open(path)?);
    let metadata = read_metadata(&mut file)?;
    let mut bounds: Option<(i32, i32)> = None;
    for group in metadata.row_groups.iter().filter(|g| g.num_rows() > 0) {
        let Some(mut chunks) = group.columns_under_root_iter(column) else {
            return Ok(None);
        };
        let (Some(chunk), None) = (chunks.next(), chunks.next()) else {
            return Ok(None);
        };
        let kind = &chunk.descriptor().descriptor.primitive_type;
        let is_date = kind.logical_type == Some(PrimitiveLogicalType::Date)
            || (kind.logical_type.is_none()
                && kind.converted_type == Some(PrimitiveConvertedType::Date));
        if !is_date {
            return Ok(None);
        }
        let Some(Ok(Statistics::Int32(stats))) = chunk.statistics(&metadata.footer_buf) else {
            return Ok(None);
        };
        let (Some(lo), Some(hi), Some(0)) = (stats.min_value, stats.max_value, stats.null_count)
        else {
            return Ok(None);
        };
        bounds = Some(match bounds {
            Some((a, b)) => (a.min(lo), b.max(hi)),
            None => (lo, hi),
        });
    }
    Ok(bounds)
}

/// Reads the page headers of one column chunk (`range` of the file) until `values` values have
/// been declared, as polars' page reader does, checking each header's counts.
fn walk_pages(
    file: &mut BufReader<File>,
    range: std::ops::Range<u64>,
    values: i64,
) -> Result<(), ChunkProblem> {
    let mut position = range.start;
    let mut seen = 0i64;
    let mut page = 0usize;
    while position < range.end && seen < values {
        page += 1;
        file.seek(SeekFrom::Start(position))
            .map_err(|source| ChunkProblem::Seek { page, source })?;
        let mut counted = Counted {
            inner: &mut *file,
            bytes: 0,
        };
        let header = {
            let mut protocol = TCompactInputProtocol::new(&mut counted, MAX_HEADER_BYTES);
            PageHeader::read_from_in_protocol(&mut protocol)
                .map_err(|source| ChunkProblem::Header { page, source })?
        };
        let header_bytes = counted.bytes;
        let declared = page_counts(&header).map_err(|(what, count)| ChunkProblem::Count {
            page,
            what,
            count,
        })?;
        if declared > values {
            return Err(ChunkProblem::TooMany {
                page,
                declared,
                values,
            });
        }
        seen += declared;
        position = position
            .saturating_add(header_bytes)
            .saturating_add(header.compressed_page_size as u64);
    }
    Ok(())
}

/// The number of values a data page declares (0 for a dictionary or index page), or which of
/// its counts is impossible (negative), and that count.
fn page_counts(header: &PageHeader) -> Result<i64, (&'static str, i32)> {
    let sizes = [
        ("compressed size", header.compressed_page_size),
        ("uncompressed size", header.uncompressed_page_size),
    ];
    let mut counts: Vec<(&'static str, i32)> = sizes.to_vec();
    let mut declared = 0;
    if let Some(v1) = &header.data_page_header {
        counts.push(("value count", v1.num_values));
        declared = v1.num_values;
    }
    if let Some(v2) = &header.data_page_header_v2 {
        counts.extend([
            ("value count", v2.num_values),
            ("null count", v2.num_nulls),
            ("row count", v2.num_rows),
            (
                "definition levels' length",
                v2.definition_levels_byte_length,
            ),
            (
                "repetition levels' length",
                v2.repetition_levels_byte_length,
            ),
        ]);
        declared = v2.num_values;
    }
    if let Some(dictionary) = &header.dictionary_page_header {
        counts.push(("dictionary size", dictionary.num_values));
    }
    match counts.into_iter().find(|(_, n)| *n < 0) {
        Some(impossible) => Err(impossible),
        None => Ok(i64::from(declared)),
    }
}

/// A reader that counts the bytes read through it (the length of a page header).
struct Counted<'a, R> {
    inner: &'a mut R,
    bytes: u64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use polars::prelude::*;

    fn written(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("t.parquet");
        let mut df = df!("a" => [true, false, true], "b" => [Some("x"), None, Some("z")]).unwrap();
        let file = File::create(&path).unwrap();
        ParquetWriter::new(file).finish(&mut df).unwrap();
        path
    }

    #[test]
    fn a_file_polars_wrote_passes() {
        let dir = tempfile::tempdir().unwrap();
        assert!(check(&written(dir.path())).is_ok());
    }

    #[test]
    fn a_negative_value_count_in_a_page_header_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = written(dir.path());
        let mut bytes = std::fs::read(&path).unwrap();
        // column `a` (booleans: no dictionary page) starts with its data page header, whose
        // num_values is an i32 field (header byte 0x15) holding 3 as the zigzag varint 0x06; -1
        // is 0x01
        let file = File::open(&path).unwrap();
        let metadata = read_metadata(&mut BufReader::new(file)).unwrap();
        let start = metadata.row_groups[0].parquet_columns()[0]
            .byte_range()
            .start as usize;
        let header = &mut bytes[start..start + 64];
        let at = header
            .windows(2)
            .position(|w| w == [0x15, 0x06])
            .expect("the value count of the first page");
        header[at + 1] = 0x01;
        std::fs::write(&path, &bytes).unwrap();
        let error = check(&path).unwrap_err().to_string();
        assert!(error.contains("row group 1, column `a`"), "{error}");
        assert!(error.contains("value count of -1"), "{error}");
    }

    /// Dates 2026-01-05 and 2026-03-01 in one row group, `third` in a second, as written with
    /// `statistics` (or none); days since 1970: 2026-01-05 is 20458.
    fn dated(dir: &Path, third: Option<i32>, statistics: bool) -> std::path::PathBuf {
        let path = dir.join("d.parquet");
        let days = Series::new("ngay".into(), [Some(20458i32), Some(20513), third])
            .cast(&DataType::Date)
            .unwrap();
        let df = DataFrame::new_infer_height(vec![days.into_column()]).unwrap();
        let options = match statistics {
            true => StatisticsOptions::full(),
            false => StatisticsOptions::empty(),
        };
        let file = File::create(&path).unwrap();
        let mut writer = ParquetWriter::new(file)
            .with_statistics(options)
            .batched(df.schema())
            .unwrap();
        // a row group per batch
        writer.write_batch(&df.slice(0, 2)).unwrap();
        writer.write_batch(&df.slice(2, 1)).unwrap();
        writer.finish().unwrap();
        path
    }

    #[test]
    fn the_first_and_last_dates_come_from_every_row_group_s_statistics() {
        let dir = tempfile::tempdir().unwrap();
        // the earliest date in the second row group
        let path = dated(dir.path(), Some(20000), true);
        assert_eq!(
            read_metadata(&mut File::open(&path).unwrap())
                .unwrap()
                .row_groups
                .len(),
            2
        );
        assert_eq!(
            date_statistics(&path, "ngay").unwrap(),
            Some((20000, 20513))
        );
        // no statistics, a record without a date, a column that is not there or not a date:
        // the caller reads the column
        let path = dated(dir.path(), Some(20000), false);
        assert_eq!(date_statistics(&path, "ngay").unwrap(), None);
        let path = dated(dir.path(), None, true);
        assert_eq!(date_statistics(&path, "ngay").unwrap(), None);
        assert_eq!(date_statistics(&path, "ngay_khac").unwrap(), None);
        let path = written(dir.path());
        assert_eq!(date_statistics(&path, "a").unwrap(), None);
    }
}
