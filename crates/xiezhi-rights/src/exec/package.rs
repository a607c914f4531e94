//! The access package: a tar archive (JSON + one CSV per dataset) encrypted with AES-256-GCM.
//!
//! File format (all of it is documented in `docs/rights-execution.md`):
//!
//! ```text
//! offset 0   8 bytes  magic "XZACCES1"
//! offset 8  12 bytes  nonce (random)
//! offset 20  …        AES-256-GCM ciphertext of the tar archive, 16-byte tag appended
//! ```
//!
//! The associated data is the 8-byte magic. The key is 32 random bytes, fresh per package.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};

use super::run::{AccessData, DatasetRows};

/// The first 8 bytes of an encrypted package (also its associated data).
pub const MAGIC: &[u8; 8] = b"XZACCES1";
/// Nonce length in bytes.
pub const NONCE_LEN: usize = 12;
/// Key length in bytes (AES-256).
pub const KEY_LEN: usize = 32;

/// Why a package could not be built or opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PackageError {
    /// The system random source failed.
    #[error("no randomness for the package key: {0}")]
    Random(String),
    /// Encryption failed.
    #[error("encryption failed")]
    Encrypt,
    /// Not a package, wrong key, or altered data.
    #[error("cannot decrypt: not an access package, wrong key, or the file was altered (无法解密)")]
    Decrypt,
    /// The archive is malformed.
    #[error("malformed archive: {0}")]
    Archive(String),
}

/// One file of the package, as listed in the manifest (no personal information).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ManifestEntry {
    /// Path inside the archive.
    pub path: String,
    /// Dataset id, for CSV files.
    pub dataset: Option<String>,
    /// Rows, for CSV files.
    pub rows: Option<u64>,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256 (hex) of the file.
    pub sha256: String,
}

/// What the package holds, without values: safe to store and log.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Manifest {
    /// `xiezhi-access/1`.
    pub format: String,
    /// Files in the archive (the manifest itself excluded).
    pub files: Vec<ManifestEntry>,
    /// Datasets operators must collect by hand (not SQL storage).
    pub manual_datasets: Vec<String>,
    /// SHA-256 (hex) of the ciphertext.
    pub ciphertext_sha256: String,
}

/// An encrypted access/copy package.
#[derive(Clone)]
pub struct AccessPackage {
    /// The encrypted file (format in the module docs).
    pub ciphertext: Vec<u8>,
    /// The fresh 32-byte key. Give it to the individual; never store it with the file.
    pub key: [u8; KEY_LEN],
    /// What the package holds, without values.
    pub manifest: Manifest,
}

impl std::fmt::Debug for AccessPackage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AccessPackage")
            .field("ciphertext_len", &self.ciphertext.len())
            .field("key", &"<redacted>")
            .field("manifest", &self.manifest)
            .finish()
    }
}

fn csv_field(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// RFC 4180 CSV with a header row; NULL is an empty field.
pub(crate) fn to_csv(d: &DatasetRows) -> String {
    let mut out = String::new();
    for (i, c) in d.columns.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(&mut out, c);
    }
    out.push_str("\r\n");
    for r in &d.rows {
        for (i, v) in r.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_field(&mut out, v.as_deref().unwrap_or(""));
        }
        out.push_str("\r\n");
    }
    out
}

/// Rows as JSON objects `{column: value-or-null}`.
pub(crate) fn rows_json(d: &DatasetRows, skip: &[&str]) -> serde_json::Value {
    let rows: Vec<serde_json::Value> = d
        .rows
        .iter()
        .map(|r| {
            let m: serde_json::Map<String, serde_json::Value> = d
                .columns
                .iter()
                .zip(r)
                .filter(|(c, _)| !skip.contains(&c.as_str()))
                .map(|(c, v)| {
                    (
                        c.clone(),
                        v.clone()
                            .map_or(serde_json::Value::Null, serde_json::Value::String),
                    )
                })
                .collect();
            serde_json::Value::Object(m)
        })
        .collect();
    serde_json::Value::Array(rows)
}

fn tar_header(path: &str, size: usize) -> Result<[u8; 512], PackageError> {
    let mut h = [0u8; 512];
    let name = path.as_bytes();
    if name.len() > 100 {
        return Err(PackageError::Archive(format!("path too long: {path}")));
    }
    h[..name.len()].copy_from_slice(name);
    let put = |h: &mut [u8; 512], off: usize, len: usize, s: &str| {
        let b = s.as_bytes();
        let n = b.len().min(len);
        h[off..off + n].copy_from_slice(&b[..n]);
    };
    put(&mut h, 100, 8, "0000644\0");
    put(&mut h, 108, 8, "0000000\0");
    put(&mut h, 116, 8, "0000000\0");
    put(&mut h, 124, 12, &format!("{size:011o}\0"));
    put(&mut h, 136, 12, "00000000000\0");
    h[148..156].copy_from_slice(b"        ");
    h[156] = b'0';
    put(&mut h, 257, 6, "ustar\0");
    put(&mut h, 263, 2, "00");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    put(&mut h, 148, 8, &format!("{sum:06o}\0 "));
    Ok(h)
}

/// A POSIX ustar archive of `files` (path, content).
pub(crate) fn write_tar(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, PackageError> {
    let mut out = Vec::new();
    for (path, data) in files {
        out.extend_from_slice(&tar_header(path, data.len())?);
        out.extend_from_slice(data);
        let pad = (512 - data.len() % 512) % 512;
        out.extend(std::iter::repeat_n(0u8, pad));
    }
    out.extend(std::iter::repeat_n(0u8, 1024));
    Ok(out)
}

/// Reads the files of an archive written by this module (or any plain ustar archive).
pub fn read_tar(data: &[u8]) -> Result<Vec<(String, Vec<u8>)>, PackageError> {
    let mut out = Vec::new();
    let mut off = 0;
    while off + 512 <= data.len() {
        let h = &data[off..off + 512];
        if h.iter().all(|&b| b == 0) {
            break;
        }
        let name_end = h[..100].iter().position(|&b| b == 0).unwrap_or(100);
        let name = String::from_utf8_lossy(&h[..name_end]).into_owned();
        let size_s = String::from_utf8_lossy(&h[124..136]);
        let size = usize::from_str_radix(size_s.trim_matches(|c: char| c == '\0' || c == ' '), 8)
            .map_err(|_| PackageError::Archive("bad size".to_owned()))?;
        let start = off + 512;
        let end = start
            .checked_add(size)
            .filter(|&e| e <= data.len())
            .ok_or_else(|| PackageError::Archive("truncated".to_owned()))?;
        out.push((name, data[start..end].to_vec()));
        off = start + size.div_ceil(512) * 512;
    }
    Ok(out)
}

fn sha(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

pub(crate) fn build_package(data: &AccessData) -> Result<AccessPackage, PackageError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut entries = Vec::new();
    let mut json_ds = serde_json::Map::new();
    for d in &data.datasets {
        json_ds.insert(
            d.dataset.clone(),
            serde_json::json!({ "table": d.table, "columns": d.columns, "rows": rows_json(d, &[]) }),
        );
        let csv = to_csv(d).into_bytes();
        let path = format!("csv/{}.csv", d.dataset);
        entries.push(ManifestEntry {
            path: path.clone(),
            dataset: Some(d.dataset.clone()),
            rows: Some(d.rows.len() as u64),
            bytes: csv.len() as u64,
            sha256: sha(&csv),
        });
        files.push((path, csv));
    }
    let manual: Vec<String> = data.manual.iter().map(|m| m.dataset.clone()).collect();
    let doc = serde_json::json!({
        "format": "xiezhi-access/1",
        "datasets": json_ds,
        "manual_datasets": manual,
    });
    let json = serde_json::to_vec_pretty(&doc).map_err(|e| PackageError::Archive(e.to_string()))?;
    entries.insert(
        0,
        ManifestEntry {
            path: "data.json".to_owned(),
            dataset: None,
            rows: None,
            bytes: json.len() as u64,
            sha256: sha(&json),
        },
    );
    files.insert(0, ("data.json".to_owned(), json));
    let mut manifest = Manifest {
        format: "xiezhi-access/1".to_owned(),
        files: entries,
        manual_datasets: manual,
        ciphertext_sha256: String::new(),
    };
    let mjson =
        serde_json::to_vec_pretty(&manifest).map_err(|e| PackageError::Archive(e.to_string()))?;
    files.insert(0, ("manifest.json".to_owned(), mjson));
    let tar = write_tar(&files)?;
    let (ciphertext, key) = encrypt(&tar)?;
    manifest.ciphertext_sha256 = sha(&ciphertext);
    Ok(AccessPackage {
        ciphertext,
        key,
        manifest,
    })
}

fn encrypt(plain: &[u8]) -> Result<(Vec<u8>, [u8; KEY_LEN]), PackageError> {
    let mut key = [0u8; KEY_LEN];
    let mut nonce = [0u8; NONCE_LEN];
    getrandom::fill(&mut key).map_err(|e| PackageError::Random(e.to_string()))?;
    getrandom::fill(&mut nonce).map_err(|e| PackageError::Random(e.to_string()))?;
    let cipher = Aes256Gcm::new_from_slice(&key).map_err(|_| PackageError::Encrypt)?;
    let ct = cipher
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plain,
                aad: MAGIC,
            },
        )
        .map_err(|_| PackageError::Encrypt)?;
    let mut out = Vec::with_capacity(MAGIC.len() + NONCE_LEN + ct.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok((out, key))
}

/// Decrypts a package to its tar archive (use [`read_tar`] to list the files).
pub fn decrypt_package(file: &[u8], key: &[u8]) -> Result<Vec<u8>, PackageError> {
    if file.len() < MAGIC.len() + NONCE_LEN + 16 || &file[..MAGIC.len()] != MAGIC {
        return Err(PackageError::Decrypt);
    }
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| PackageError::Decrypt)?;
    let mut nonce = [0u8; NONCE_LEN];
    nonce.copy_from_slice(&file[MAGIC.len()..MAGIC.len() + NONCE_LEN]);
    cipher
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: &file[MAGIC.len() + NONCE_LEN..],
                aad: MAGIC,
            },
        )
        .map_err(|_| PackageError::Decrypt)
}
