//! PDF printing of a self-contained HTML report with headless Chromium (Debian `chromium`),
//! so that Chinese text is typeset with the system's CJK fonts (Debian `fonts-noto-cjk`).
//!
//! [`html_to_pdf`] writes the HTML to a private temporary directory, runs
//!
//! ```text
//! chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
//!     --user-data-dir=TMP/profile --print-to-pdf=TMP/out.pdf file://TMP/report.html
//! ```
//!
//! with networking cut off (every host name resolves to nothing and a dead proxy is set: the
//! HTML must be self-contained), a timeout after which the whole Chromium process group is
//! killed, and `HOME`/`XDG_*` pointed at the temporary directory so nothing is written to the
//! user's profile. The result is checked to be a PDF (`%PDF-` header, `%%EOF` trailer) before
//! it is moved to `out`.
//!
//! The browser is found through `PdfOptions::chromium`, else the `XIEZHI_CHROMIUM` environment
//! variable, else `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on
//! `PATH`. When none is found, or the HTML holds Chinese text and `fc-list` knows no Chinese
//! font, the error says what to install: `apt-get install chromium fonts-noto-cjk`.
//!
//! ```no_run
//! use xiezhi_report::pdf::{html_to_pdf, PdfOptions};
//! let html = "<!DOCTYPE html><html lang=\"zh-CN\"><meta charset=\"utf-8\"><p>个人信息处理规则</p></html>";
//! html_to_pdf(html, std::path::Path::new("rules.pdf"), &PdfOptions::default())?;
//! # Ok::<(), xiezhi_report::pdf::PdfError>(())
//! ```

use std::io::Read;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Environment variable naming the Chromium binary.
pub const CHROMIUM_ENV: &str = "XIEZHI_CHROMIUM";
/// Programs looked for on `PATH`, in order.
pub const CHROMIUM_NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];
/// What to install on Debian.
pub const INSTALL_HINT: &str = "apt-get install chromium fonts-noto-cjk";

/// Options of [`html_to_pdf`].
#[derive(Debug, Clone)]
pub struct PdfOptions {
    /// The Chromium binary; `None` looks at `XIEZHI_CHROMIUM`, then `PATH`.
    pub chromium: Option<PathBuf>,
    /// How long Chromium may take before it is killed (default 60 s).
    pub timeout: Duration,
    /// Refuse to print HTML with Chinese text when `fc-list` knows no Chinese font (default
    /// `true`): the PDF would show empty boxes (tofu).
    pub require_cjk_font: bool,
}

impl Default for PdfOptions {
    fn default() -> Self {
        PdfOptions {
            chromium: None,
            timeout: Duration::from_secs(60),
            require_cjk_font: true,
        }
    }
}

/// Why a PDF could not be printed.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// No Chromium binary was found.
    #[error(
        "no Chromium to print the PDF with (looked at {tried}); install it with `{INSTALL_HINT}` or set {CHROMIUM_ENV} to the browser's path"
    )]
    ChromiumNotFound {
        /// What was looked at.
        tried: String,
    },
    /// The HTML has Chinese text but no Chinese font is installed.
    #[error(
        "the report has Chinese text but fc-list finds no Chinese font, so the PDF would show empty boxes; install one with `{INSTALL_HINT}`"
    )]
    NoCjkFont,
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Chromium could not be started.
    #[error("cannot start {program}: {source}; install Chromium with `{INSTALL_HINT}`")]
    Spawn {
        /// The program.
        program: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Chromium did not finish in time and was killed.
    #[error("{program} did not print the PDF within {secs} s and was stopped")]
    Timeout {
        /// The program.
        program: PathBuf,
        /// The timeout.
        secs: u64,
    },
    /// Chromium exited with an error.
    #[error("{program} failed ({status}): {stderr}")]
    Failed {
        /// The program.
        program: PathBuf,
        /// Exit status.
        status: String,
        /// The end of its error output.
        stderr: String,
    },
    /// Chromium finished but the output is missing or not a PDF.
    #[error("{program} produced no valid PDF: {reason}")]
    NotPdf {
        /// The program.
        program: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PdfError + '_ {
    move |source| PdfError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn is_executable(p: &Path) -> bool {
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Finds the Chromium binary: `explicit`, else `XIEZHI_CHROMIUM`, else the first of
/// [`CHROMIUM_NAMES`] on `PATH`.
pub fn find_chromium(explicit: Option<&Path>) -> Result<PathBuf, PdfError> {
    if let Some(p) = explicit {
        return if is_executable(p) {
            Ok(p.to_path_buf())
        } else {
            Err(PdfError::ChromiumNotFound {
                tried: format!("{} (not an executable file)", p.display()),
            })
        };
    }
    if let Some(v) = std::env::var_os(CHROMIUM_ENV).filter(|v| !v.is_empty()) {
        let p = PathBuf::from(&v);
        // A bare name is looked up on PATH.
        let found = if p.components().count() == 1 {
            on_path(&p.to_string_lossy())
        } else {
            Some(p.clone()).filter(|p| is_executable(p))
        };
        return found.ok_or_else(|| PdfError::ChromiumNotFound {
            tried: format!("{CHROMIUM_ENV}={} (not an executable file)", p.display()),
        });
    }
    for name in CHROMIUM_NAMES {
        if let Some(p) = on_path(name) {
            return Ok(p);
        }
    }
    Err(PdfError::ChromiumNotFound {
        tried: format!(
            "{CHROMIUM_ENV} (unset), {} on PATH",
            CHROMIUM_NAMES.join(", ")
        ),
    })
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| is_executable(p))
}

/// Whether `s` holds CJK unified ideographs (or CJK punctuation / full-width forms).
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| {
        matches!(c as u32,
            0x3000..=0x303F | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
    })
}

/// `Some(true)` when `fc-list` lists a Chinese font, `Some(false)` when it lists none, `None`
/// when `fc-list` is not available (no opinion).
pub fn chinese_font_installed() -> Option<bool> {
    let out = Command::new("fc-list")
        .arg(":lang=zh-cn")
        .arg("family")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(!out.stdout.iter().all(u8::is_ascii_whitespace))
}

/// A private temporary directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, PdfError> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let base = std::env::temp_dir();
        for _ in 0..16 {
            let dir = base.join(format!(
                "xiezhi-pdf-{}-{nanos}-{}",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            ));
            match std::fs::create_dir(&dir) {
                Ok(()) => {
                    let _ = std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700));
                    return Ok(TempDir(dir));
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(io(&base)(e)),
            }
        }
        Err(PdfError::Io {
            path: base,
            source: std::io::Error::other("cannot create a unique temporary directory"),
        })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The end of a text, at most `max` bytes, cut at a character boundary.
fn tail(s: &str, max: usize) -> String {
    let mut start = s.len().saturating_sub(max);
    while !s.is_char_boundary(start) {
        start += 1;
    }
    s[start..].trim().to_string()
}

/// Checks that `bytes` look like a complete PDF file.
pub fn check_pdf(bytes: &[u8]) -> Result<(), String> {
    if bytes.is_empty() {
        return Err("the file is empty".into());
    }
    if !bytes.starts_with(b"%PDF-") {
        return Err("the file does not start with %PDF-".into());
    }
    let end = &bytes[bytes.len().saturating_sub(1024)..];
    if !end.windows(5).any(|w| w == b"%%EOF") {
        return Err("the file has no %%EOF trailer (truncated)".into());
    }
    Ok(())
}

/// Prints `html` (a self-contained page: no network is available while printing) to the PDF
/// file `out` with headless Chromium; see the module documentation.
pub fn html_to_pdf(html: &str, out: &Path, opts: &PdfOptions) -> Result<(), PdfError> {
    let program = find_chromium(opts.chromium.as_deref())?;
    if opts.require_cjk_font && has_cjk(html) && chinese_font_installed() == Some(false) {
        return Err(PdfError::NoCjkFont);
    }
    let tmp = TempDir::new()?;
    let input = tmp.0.join("report.html");
    std::fs::write(&input, html).map_err(io(&input))?;
    let profile = tmp.0.join("profile");
    let pdf = tmp.0.join("out.pdf");
    let log = tmp.0.join("chromium.log");
    let log_file = std::fs::File::create(&log).map_err(io(&log))?;
    let log_err = log_file.try_clone().map_err(io(&log))?;
    let mut cmd = Command::new(&program);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-pdf-header-footer",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-sync",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-default-apps",
        "--disable-breakpad",
        "--mute-audio",
        "--hide-scrollbars",
        // No network: nothing resolves and every request goes to a dead proxy.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--proxy-server=127.0.0.1:9",
        "--proxy-bypass-list=<-loopback>",
    ])
    .arg(format!("--user-data-dir={}", profile.display()))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(format!("file://{}", input.display()))
    .env("HOME", &tmp.0)
    .env("XDG_CONFIG_HOME", tmp.0.join("config"))
    .env("XDG_CACHE_HOME", tmp.0.join("cache"))
    .env("XDG_DATA_HOME", tmp.0.join("data"))
    .stdin(Stdio::null())
    .stdout(Stdio::from(log_file))
    .stderr(Stdio::from(log_err))
    // Its own process group, so that a timeout can stop every Chromium process.
    .process_group(0);
    let mut child = cmd.spawn().map_err(|source| PdfError::Spawn {
        program: program.clone(),
        source,
    })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait().map_err(io(&program))? {
            Some(status) => break status,
            None if started.elapsed() >= opts.timeout => {
                let _ = Command::new("kill")
                    .args(["-KILL", "--", &format!("-{}", child.id())])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                return Err(PdfError::Timeout {
                    program,
                    secs: opts.timeout.as_secs(),
                });
            }
            None => std::thread::sleep(Duration::from_millis(50)),
        }
    };
    let mut log_text = String::new();
    if let Ok(mut f) = std::fs::File::open(&log) {
        let mut bytes = Vec::new();
        let _ = f.read_to_end(&mut bytes);
        log_text = String::from_utf8_lossy(&bytes).into_owned();
    }
    if !status.success() {
        return Err(PdfError::Failed {
            program,
            status: status.to_string(),
            stderr: tail(&log_text, 2000),
        });
    }
    let bytes = match std::fs::read(&pdf) {
        Ok(b) => b,
        Err(e) => {
            return Err(PdfError::NotPdf {
                program,
                reason: format!(
                    "no output file ({e}); Chromium said: {}",
                    tail(&log_text, 2000)
                ),
            });
        }
    };
    check_pdf(&bytes).map_err(|reason| PdfError::NotPdf {
        program: program.clone(),
        reason,
    })?;
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(io(parent))?;
    }
    std::fs::write(out, &bytes).map_err(io(out))?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn pdf_shape_is_checked() {
        assert!(check_pdf(b"%PDF-1.4\n...\n%%EOF\n").is_ok());
        assert!(check_pdf(b"").unwrap_err().contains("empty"));
        assert!(check_pdf(b"<html>").unwrap_err().contains("%PDF-"));
        assert!(
            check_pdf(b"%PDF-1.4\n1 0 obj")
                .unwrap_err()
                .contains("%%EOF")
        );
    }

    #[test]
    fn cjk_is_detected() {
        assert!(has_cjk("个人信息"));
        assert!(has_cjk("a，b"));
        assert!(!has_cjk("Processing rules, 2026"));
    }

    #[test]
    fn tail_cuts_at_a_character_boundary() {
        assert_eq!(tail("前后", 4), "后");
        assert_eq!(tail("abc", 10), "abc");
    }

    #[test]
    fn a_missing_binary_says_what_to_install() {
        let e = find_chromium(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("apt-get install chromium fonts-noto-cjk"), "{m}");
        assert!(m.contains("/nonexistent/chromium"), "{m}");
        let e = html_to_pdf(
            "<p>x</p>",
            Path::new("/nonexistent/out.pdf"),
            &PdfOptions {
                chromium: Some(PathBuf::from("/nonexistent/chromium")),
                ..PdfOptions::default()
            },
        )
        .unwrap_err();
        assert!(matches!(e, PdfError::ChromiumNotFound { .. }));
    }
}
