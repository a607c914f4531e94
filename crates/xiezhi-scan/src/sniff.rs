//! Which reader a file needs: plain text, CSV/TSV (and its delimiter), JSON, NDJSON or XLSX.

use std::path::Path;

use crate::decode::{Decoded, StreamDecoder, sniff_encoding};
use crate::json::{is_json_prefix, ndjson_values};

/// The format a file is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileFormat {
    /// Lines of text (logs, documents, source code, SQL dumps, anything unknown).
    Text,
    /// Delimiter-separated values.
    Csv {
        /// The field delimiter (`,`, `;`, `|` or `\t`).
        delimiter: u8,
    },
    /// One JSON document.
    Json,
    /// One JSON value per line.
    Ndjson,
    /// An Office Open XML workbook.
    Xlsx,
}

/// Extensions always read as text, even when their content looks like JSON.
const TEXT_EXTENSIONS: &[&str] = &[
    "txt",
    "log",
    "md",
    "markdown",
    "rst",
    "sql",
    "xml",
    "html",
    "htm",
    "yaml",
    "yml",
    "toml",
    "ini",
    "cfg",
    "conf",
    "properties",
    "env",
    "rs",
    "py",
    "java",
    "kt",
    "go",
    "c",
    "h",
    "cc",
    "cpp",
    "hpp",
    "cs",
    "js",
    "mjs",
    "cjs",
    "ts",
    "tsx",
    "jsx",
    "php",
    "rb",
    "swift",
    "scala",
    "sh",
    "bash",
    "ps1",
    "bat",
    "vue",
    "css",
    "scss",
    "lua",
    "pl",
    "r",
    "m",
    "out",
    "err",
];

/// Candidate CSV delimiters, in order of preference on ties.
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Chooses the format of a file from its name and first bytes (`head`, a few KiB).
///
/// By extension first: `.csv` (delimiter sniffed among `,` `\t` `;` `|` from the first lines,
/// `,` by default), `.tsv`/`.tab` (tab), `.json` (NDJSON when the head holds several
/// one-line values), `.ndjson`/`.jsonl`/`.ldjson`, `.xlsx`/`.xlsm`; logs, documents and source
/// code are text. Other files whose decoded head starts with `{` or `[` and parses as JSON are
/// NDJSON (several one-line values) or JSON; the rest is text.
pub fn detect_format(path: &Path, head: &[u8]) -> FileFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("csv") => FileFormat::Csv {
            delimiter: sniff_delimiter(&decode_head(head)),
        },
        Some("tsv" | "tab") => FileFormat::Csv { delimiter: b'\t' },
        Some("json") => {
            if ndjson_values(&decode_head(head)).is_some_and(|n| n >= 2) {
                FileFormat::Ndjson
            } else {
                FileFormat::Json
            }
        }
        Some("ndjson" | "jsonl" | "ldjson") => FileFormat::Ndjson,
        Some("xlsx" | "xlsm") => FileFormat::Xlsx,
        Some(e) if TEXT_EXTENSIONS.contains(&e) => FileFormat::Text,
        _ => {
            let text = decode_head(head);
            let first = text.iter().find(|b| !b.is_ascii_whitespace());
            if !matches!(first, Some(b'{' | b'[')) {
                FileFormat::Text
            } else if ndjson_values(&text).is_some_and(|n| n >= 2) {
                FileFormat::Ndjson
            } else if is_json_prefix(&text) {
                FileFormat::Json
            } else {
                FileFormat::Text
            }
        }
    }
}

/// The head decoded to UTF-8 (without its BOM; a character cut at the end is dropped).
fn decode_head(head: &[u8]) -> Vec<u8> {
    let sniffed = sniff_encoding(head);
    let mut decoder = StreamDecoder::new(sniffed);
    let mut out = Decoded::new();
    decoder.decode(head, 0, false, &mut out);
    out.text().to_vec()
}

/// The delimiter that splits the first records of `text` most consistently; `,` when none does.
/// Quotes are honoured; a last record without a line end is ignored when others exist.
pub(crate) fn sniff_delimiter(text: &[u8]) -> u8 {
    const MAX_RECORDS: usize = 20;
    let mut records: Vec<[usize; 4]> = Vec::new();
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    let mut non_empty = false;
    for &b in text {
        if records.len() >= MAX_RECORDS {
            break;
        }
        match b {
            b'"' => {
                in_quotes = !in_quotes;
                non_empty = true;
            }
            b'\n' if !in_quotes => {
                if non_empty {
                    records.push(counts);
                }
                counts = [0; 4];
                non_empty = false;
            }
            b'\r' => {}
            _ => {
                non_empty = true;
                if !in_quotes
                    && let Some(i) = DELIMITERS.iter().position(|d| *d == b)
                    && let Some(c) = counts.get_mut(i)
                {
                    *c += 1;
                }
            }
        }
    }
    if non_empty && records.is_empty() {
        records.push(counts);
    }
    let mut best: Option<((usize, usize), u8)> = None;
    for (i, delimiter) in DELIMITERS.iter().enumerate() {
        let per_record: Vec<usize> = records.iter().filter_map(|r| r.get(i).copied()).collect();
        // The most frequent non-zero count, and how many records have it.
        let mut mode = (0usize, 0usize);
        for &c in per_record.iter().filter(|c| **c > 0) {
            let agree = per_record.iter().filter(|x| **x == c).count();
            if (agree, c) > mode {
                mode = (agree, c);
            }
        }
        if mode.0 == 0 {
            continue;
        }
        if best.is_none_or(|(score, _)| mode > score) {
            best = Some((mode, *delimiter));
        }
    }
    best.map_or(b',', |(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(name: &str, head: &[u8]) -> FileFormat {
        detect_format(Path::new(name), head)
    }

    #[test]
    fn by_extension() {
        assert_eq!(
            fmt("a.CSV", b"a,b\n1,2\n"),
            FileFormat::Csv { delimiter: b',' }
        );
        assert_eq!(
            fmt("a.csv", b"a;b;c\n1;2,5;3\n4;5;6\n"),
            FileFormat::Csv { delimiter: b';' }
        );
        assert_eq!(
            fmt("a.csv", b"a|b\n1|2\n"),
            FileFormat::Csv { delimiter: b'|' }
        );
        assert_eq!(
            fmt("a.csv", b"a\tb\tc\n1\t2\t3\n"),
            FileFormat::Csv { delimiter: b'\t' }
        );
        assert_eq!(
            fmt("a.csv", b"\"x;y\",b\n\"1;2\",3\n"),
            FileFormat::Csv { delimiter: b',' }
        );
        assert_eq!(
            fmt("a.csv", b"single column\n"),
            FileFormat::Csv { delimiter: b',' }
        );
        assert_eq!(fmt("a.csv", b""), FileFormat::Csv { delimiter: b',' });
        assert_eq!(fmt("a.tsv", b"a,b"), FileFormat::Csv { delimiter: b'\t' });
        assert_eq!(fmt("a.json", b"{\"a\": 1}\n"), FileFormat::Json);
        assert_eq!(
            fmt("a.json", b"{\"a\": 1}\n{\"a\": 2}\n"),
            FileFormat::Ndjson
        );
        assert_eq!(fmt("a.json", b"{\n  \"a\": 1\n}\n"), FileFormat::Json);
        assert_eq!(fmt("a.jsonl", b""), FileFormat::Ndjson);
        assert_eq!(fmt("a.xlsx", b"PK\x03\x04"), FileFormat::Xlsx);
        assert_eq!(fmt("a.log", b"{\"a\": 1}\n{\"a\": 2}\n"), FileFormat::Text);
        assert_eq!(
            fmt("dump.sql", b"INSERT INTO t VALUES (1);"),
            FileFormat::Text
        );
    }

    #[test]
    fn by_content() {
        assert_eq!(
            fmt("data", b"  {\"a\": 1}\n{\"a\": 2}\n{\"a\""),
            FileFormat::Ndjson
        );
        assert_eq!(
            fmt("data.out2", b"[{\"a\": 1},\n {\"a\": 2}]"),
            FileFormat::Json
        );
        assert_eq!(
            fmt("data", b"[2024-01-01 10:00:00] INFO ok\n"),
            FileFormat::Text
        );
        assert_eq!(fmt("data", b"hello"), FileFormat::Text);
        assert_eq!(fmt("data", b""), FileFormat::Text);
        // UTF-16LE with BOM.
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "{\"k\": \"v\"}".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(fmt("export", &utf16), FileFormat::Json);
    }
}
