//! A CSV file kept as its bytes, so that rows can be appended or replaced while every other
//! byte stays as written (its quoting, line endings, BOM and column order). Knows nothing of
//! what the columns mean.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::text::fold;

/// A CSV text split into records, each with its place in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawCsv {
    text: String,
    /// `"\r\n"` when the header line ends so, else `"\n"`.
    newline: &'static str,
    pub header: Vec<String>,
    /// Data records in file order (blank lines are not records).
    pub records: Vec<Record>,
}

/// One data record: its fields unquoted, the byte range of the record (without its line end)
/// and its row number as a spreadsheet shows it (the header is row 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub fields: Vec<String>,
    pub span: Range<usize>,
    pub row: usize,
}

/// Why a text is not CSV: a quote opened in a row (1-based) and never closed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("row {row} has a quote `\"` that is never closed")]
pub struct UnclosedQuote {
    pub row: usize,
}

impl RawCsv {
    /// Splits `text` (RFC 4180: fields quoted with `"` may hold commas, quotes as `""` and line
    /// breaks). An unterminated quote is an error naming its row.
    pub fn parse(text: String) -> Result<RawCsv, UnclosedQuote> {
        let body_start = if text.starts_with('\u{feff}') { 3 } else { 0 };
        let mut records = Vec::new();
        let mut header = None;
        let mut newline = "\n";
        let bytes = text.as_bytes();
        let mut i = body_start;
        let mut row = 0;
        while i < bytes.len() {
            let start = i;
            let mut fields = Vec::new();
            let mut field = Vec::new();
            let mut quoted = false;
            let mut at_field_start = true;
            let end;
            loop {
                let Some(&b) = bytes.get(i) else {
                    if quoted {
                        return Err(UnclosedQuote { row: row + 1 });
                    }
                    end = i;
                    break;
                };
                if quoted {
                    if b == b'"' {
                        if bytes.get(i + 1) == Some(&b'"') {
                            field.push(b'"');
                            i += 1;
                        } else {
                            quoted = false;
                        }
                    } else {
                        field.push(b);
                    }
                    i += 1;
                    continue;
                }
                match b {
                    b'"' if at_field_start => {
                        quoted = true;
                        at_field_start = false;
                    }
                    b',' => {
                        fields.push(std::mem::take(&mut field));
                        at_field_start = true;
                    }
                    b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                        end = i;
                        break;
                    }
                    b'\n' => {
                        end = i;
                        break;
                    }
                    _ => {
                        field.push(b);
                        at_field_start = false;
                    }
                }
                i += 1;
            }
            if header.is_none() && end < bytes.len() && bytes.get(end) == Some(&b'\r') {
                newline = "\r\n";
            }
            // past the line end
            i = if end < bytes.len() && bytes[end] == b'\r' {
                end + 2
            } else {
                end + 1
            };
            fields.push(field);
            let fields: Vec<String> = fields
                .into_iter()
                .map(|f| String::from_utf8_lossy(&f).into_owned())
                .collect();
            row += 1;
            if header.is_none() {
                header = Some(fields.iter().map(|f| f.trim().to_string()).collect());
                continue;
            }
            if fields.iter().all(|f| f.trim().is_empty()) {
                continue;
            }
            records.push(Record {
                fields,
                span: start..end,
                row,
            });
        }
        Ok(RawCsv {
            text,
            newline,
            header: header.unwrap_or_default(),
            records,
        })
    }

    /// A new file with this header.
    pub fn new(header: &[&str]) -> RawCsv {
        let header: Vec<String> = header.iter().map(|h| h.to_string()).collect();
        let text = format!("{}\n", line(&header));
        RawCsv {
            text,
            newline: "\n",
            header,
            records: Vec::new(),
        }
    }

    /// The index of column `name` (folding case and diacritics, as the readers do).
    pub fn column(&self, name: &str) -> Option<usize> {
        let folded = fold(name);
        self.header.iter().position(|h| fold(h) == folded)
    }

    /// The field of `record` in column `col`, trimmed; `""` when absent.
    pub fn field<'a>(&self, record: &'a Record, col: Option<usize>) -> &'a str {
        col.and_then(|c| record.fields.get(c))
            .map_or("", |f| f.trim())
    }

    /// The text with the records of `replaced` (index into `records` → new fields) written
    /// anew and `appended` records added at the end, each in this file's line ending.
    pub fn render(
        &self,
        replaced: &BTreeMap<usize, Vec<String>>,
        appended: &[Vec<String>],
    ) -> String {
        let mut out = String::with_capacity(self.text.len() + appended.len() * 64);
        let mut at = 0;
        for (&k, fields) in replaced {
            let Some(record) = self.records.get(k) else {
                continue;
            };
            out.push_str(&self.text[at..record.span.start]);
            out.push_str(&line(fields));
            at = record.span.end;
        }
        out.push_str(&self.text[at..]);
        if !appended.is_empty() && !out.is_empty() && !out.ends_with('\n') {
            out.push_str(self.newline);
        }
        for fields in appended {
            out.push_str(&line(fields));
            out.push_str(self.newline);
        }
        out
    }
}

/// One CSV line: a field is quoted when it holds a comma, a quote or a line break, or starts or
/// ends with a space.
pub fn line(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| {
            let needs =
                f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ');
            if needs {
                format!("\"{}\"", f.replace('"', "\"\""))
            } else {
                f.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn records_keep_their_bytes_and_rows() {
        let text = "\u{feff}unit,value,note\r\nxa,\"12,44\",\"hai\r\ndòng\"\r\n\r\nso,7,\"a \"\"b\"\"\"\r\n";
        let csv = RawCsv::parse(text.to_string()).unwrap();
        assert_eq!(csv.header, ["unit", "value", "note"]);
        assert_eq!(csv.newline, "\r\n");
        assert_eq!(csv.records.len(), 2);
        assert_eq!(csv.records[0].fields, ["xa", "12,44", "hai\r\ndòng"]);
        assert_eq!(csv.records[0].row, 2);
        assert_eq!(csv.records[1].fields, ["so", "7", "a \"b\""]);
        assert_eq!(
            csv.records[1].row, 4,
            "the blank line is row 3, as a spreadsheet shows it"
        );
        // nothing changed: the same bytes
        assert_eq!(csv.render(&BTreeMap::new(), &[]), text);
        // one record replaced, one appended: every other byte kept
        let replaced = BTreeMap::from([(1, s(&["so", "8", "x,y"]))]);
        assert_eq!(
            csv.render(&replaced, &[s(&["tinh", "1", ""])]),
            "\u{feff}unit,value,note\r\nxa,\"12,44\",\"hai\r\ndòng\"\r\n\r\nso,8,\"x,y\"\r\ntinh,1,\r\n"
        );
    }

    #[test]
    fn a_file_without_final_newline_gets_one_before_new_rows() {
        let csv = RawCsv::parse("unit,value\nxa,1".to_string()).unwrap();
        assert_eq!(csv.records[0].span, 11..15);
        assert_eq!(
            csv.render(&BTreeMap::new(), &[s(&["so", "2"])]),
            "unit,value\nxa,1\nso,2\n"
        );
        let unclosed = RawCsv::parse("a,b\n\"x,1\n".to_string()).unwrap_err();
        assert_eq!(unclosed, UnclosedQuote { row: 2 });
        assert_eq!(
            unclosed.to_string(),
            "row 2 has a quote `\"` that is never closed"
        );
        assert_eq!(
            RawCsv::new(&["unit", "report"]).render(&BTreeMap::new(), &[]),
            "unit,report\n"
        );
    }
}
