//! Which files a scan reads: a recursive walk of the paths given on the command line.
//!
//! Rules, in order:
//! 1. A path given explicitly that is a file is always scanned: ignore files and
//!    `--include`/`--exclude` globs do not apply to it (only the size limit does).
//! 2. Directories are walked with the `ignore` crate (ripgrep's walker). `.gitignore`,
//!    `.git/info/exclude` and `.ignore` files are honoured, also outside git repositories and in
//!    parent directories of the given path; the user's global gitignore is not (a scanner should
//!    not depend on who runs it). [`WalkOptions::no_ignore`] turns all of these off.
//!    `.xiezhiignore` files (same syntax) are always honoured.
//! 3. Hidden files and directories are scanned: personal information hides in dotfiles (`.env`,
//!    `.bash_history`, `.npmrc`). Only version-control internals (`.git`, `.hg`, `.svn`) are
//!    skipped; their objects are compressed anyway.
//! 4. `--exclude` globs skip files and whole directories; `--include` globs, when given, keep
//!    only the files that match one of them (directories are always descended). Excludes win. A
//!    glob without `/` matches the file or directory name at any depth (`*.log`); a glob with `/`
//!    matches the path relative to the walked directory (`logs/**/*.gz`, `/build` anchored at
//!    the top). `*` does not cross `/`, `**` does.
//! 5. Symbolic links are not followed unless [`WalkOptions::follow_links`] is set (a link to a
//!    file given explicitly is read, though).
//! 6. Files larger than [`WalkOptions::max_file_size`] are reported as [`WalkItem::TooLarge`].
//!
//! Within each directory entries come in file-name order, so the walk order is deterministic.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use thiserror::Error;

/// How to walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WalkOptions {
    /// Only files matching one of these globs are scanned (when not empty).
    pub include: Vec<String>,
    /// Files and directories matching one of these globs are skipped.
    pub exclude: Vec<String>,
    /// Do not honour `.gitignore`, `.ignore` and git exclude files (`.xiezhiignore` still is).
    pub no_ignore: bool,
    /// Follow symbolic links.
    pub follow_links: bool,
    /// Larger files are not read (reported as too large).
    pub max_file_size: Option<u64>,
    /// Files never to read, such as the scan's own output file.
    pub skip_paths: Vec<PathBuf>,
}

/// Something the walk found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalkItem {
    /// A file to scan.
    File {
        /// The path, as given joined with the walked relative path.
        path: PathBuf,
        /// Size in bytes when walked.
        size: u64,
        /// Given explicitly on the command line.
        explicit: bool,
    },
    /// A file over the size limit.
    TooLarge {
        /// The path.
        path: PathBuf,
        /// Its size.
        size: u64,
    },
    /// A directory or file that could not be read (permission denied, vanished, broken link,
    /// invalid ignore file).
    Error {
        /// The path concerned.
        path: PathBuf,
        /// What happened (never file content).
        message: String,
    },
}

/// Errors that stop a walk before it starts.
#[derive(Debug, Error)]
pub enum WalkError {
    /// A path given on the command line does not exist.
    #[error("`{}` does not exist; check the path (relative paths are resolved from the current directory)", path.display())]
    NotFound {
        /// The path.
        path: PathBuf,
    },
    /// A path given on the command line could not be inspected.
    #[error("cannot access `{}`: {source}; check its permissions", path.display())]
    Access {
        /// The path.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// An `--include` or `--exclude` glob is invalid.
    #[error(
        "invalid glob `{glob}`: {source}; use `*` within a name, `**` across directories, `?`, `[abc]` and `{{a,b}}`"
    )]
    InvalidGlob {
        /// The glob as given.
        glob: String,
        /// The parser's error.
        source: globset::Error,
    },
}

/// Compiled `--include` or `--exclude` globs.
#[derive(Debug, Clone)]
struct Globs {
    /// Globs without `/`: matched against the name.
    names: GlobSet,
    /// Globs with `/`: matched against the relative path.
    paths: GlobSet,
    count: usize,
}

impl Globs {
    fn new(globs: &[String]) -> Result<Globs, WalkError> {
        let mut names = GlobSetBuilder::new();
        let mut paths = GlobSetBuilder::new();
        for raw in globs {
            let mut pattern = raw.trim();
            pattern = pattern.strip_prefix("./").unwrap_or(pattern);
            pattern = pattern.trim_end_matches('/');
            let anchored = pattern.starts_with('/');
            let pattern = pattern.trim_start_matches('/');
            let glob = build_glob(pattern).map_err(|source| WalkError::InvalidGlob {
                glob: raw.clone(),
                source,
            })?;
            if anchored || pattern.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        let build = |b: GlobSetBuilder, all: &[String]| {
            b.build().map_err(|source| WalkError::InvalidGlob {
                glob: all.join(" "),
                source,
            })
        };
        Ok(Globs {
            names: build(names, globs)?,
            paths: build(paths, globs)?,
            count: globs.len(),
        })
    }

    fn is_empty(&self) -> bool {
        self.count == 0
    }

    fn is_match(&self, relative: &Path, name: &OsStr) -> bool {
        self.names.is_match(name) || self.paths.is_match(relative)
    }
}

fn build_glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
}

/// Version-control internals that are never walked.
fn is_vcs_dir(name: &OsStr) -> bool {
    name == ".git" || name == ".hg" || name == ".svn"
}

/// Checks the paths and globs, then returns the walk as an iterator.
pub fn walk(paths: &[PathBuf], options: &WalkOptions) -> Result<Walker, WalkError> {
    let include = Globs::new(&options.include)?;
    let exclude = Globs::new(&options.exclude)?;
    let mut roots = Vec::with_capacity(paths.len());
    for path in paths {
        match std::fs::metadata(path) {
            Ok(meta) => roots.push((path.clone(), meta.is_dir())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                // A dangling symlink exists but has no target.
                if std::fs::symlink_metadata(path).is_ok() {
                    roots.push((path.clone(), false));
                } else {
                    return Err(WalkError::NotFound { path: path.clone() });
                }
            }
            Err(source) => {
                return Err(WalkError::Access {
                    path: path.clone(),
                    source,
                });
            }
        }
    }
    let skip = options
        .skip_paths
        .iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_owned();
            let canonical = std::fs::canonicalize(p).ok()?;
            Some((name, canonical))
        })
        .collect();
    Ok(Walker {
        roots: roots.into_iter(),
        current: None,
        current_root: None,
        include,
        exclude,
        options: options.clone(),
        skip,
    })
}

/// The walk: yields [`WalkItem`]s root after root.
pub struct Walker {
    roots: std::vec::IntoIter<(PathBuf, bool)>,
    current: Option<ignore::Walk>,
    /// The directory being walked.
    current_root: Option<PathBuf>,
    include: Globs,
    exclude: Globs,
    options: WalkOptions,
    /// Files never read: name and canonical path.
    skip: Vec<(std::ffi::OsString, PathBuf)>,
}

impl std::fmt::Debug for Walker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Walker")
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl Walker {
    fn is_skipped(&self, path: &Path) -> bool {
        let Some(name) = path.file_name() else {
            return false;
        };
        self.skip.iter().any(|(skip_name, canonical)| {
            skip_name == name && std::fs::canonicalize(path).is_ok_and(|c| &c == canonical)
        })
    }

    fn sized(&self, path: PathBuf, size: u64, explicit: bool) -> WalkItem {
        match self.options.max_file_size {
            Some(max) if size > max => WalkItem::TooLarge { path, size },
            _ => WalkItem::File {
                path,
                size,
                explicit,
            },
        }
    }

    fn start_dir(&self, root: &Path) -> ignore::Walk {
        let mut builder = ignore::WalkBuilder::new(root);
        let use_ignore = !self.options.no_ignore;
        builder
            .hidden(false)
            .git_global(false)
            .git_ignore(use_ignore)
            .git_exclude(use_ignore)
            .ignore(use_ignore)
            .parents(use_ignore)
            .require_git(false)
            .follow_links(self.options.follow_links)
            .add_custom_ignore_filename(".xiezhiignore")
            .sort_by_file_name(|a, b| a.cmp(b));
        let exclude = self.exclude.clone();
        let root = root.to_path_buf();
        builder.filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir && is_vcs_dir(entry.file_name()) {
                return false;
            }
            if exclude.is_empty() {
                return true;
            }
            let relative = entry.path().strip_prefix(&root).unwrap_or(entry.path());
            !exclude.is_match(relative, entry.file_name())
        });
        builder.build()
    }

    /// The next item of the directory walk in progress, if any.
    fn next_in_dir(&mut self) -> Option<WalkItem> {
        loop {
            let walk = self.current.as_mut()?;
            let entry = match walk.next() {
                None => {
                    self.current = None;
                    return None;
                }
                Some(Err(e)) => {
                    let path = error_path(&e).unwrap_or_default();
                    return Some(WalkItem::Error {
                        path,
                        message: error_message(&e),
                    });
                }
                Some(Ok(entry)) => entry,
            };
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            if !file_type.is_file() {
                // Directories are descended by the walker; unfollowed links and special files
                // (sockets, FIFOs, devices) are not read.
                continue;
            }
            if !self.include.is_empty() {
                let relative = self
                    .current_root
                    .as_deref()
                    .and_then(|root| entry.path().strip_prefix(root).ok())
                    .unwrap_or(entry.path());
                if !self.include.is_match(relative, entry.file_name()) {
                    continue;
                }
            }
            if !self.skip.is_empty() && self.is_skipped(entry.path()) {
                continue;
            }
            let size = match entry.metadata() {
                Ok(meta) => meta.len(),
                Err(e) => {
                    return Some(WalkItem::Error {
                        path: entry.path().to_path_buf(),
                        message: error_message(&e),
                    });
                }
            };
            return Some(self.sized(entry.into_path(), size, false));
        }
    }
}

impl Iterator for Walker {
    type Item = WalkItem;

    fn next(&mut self) -> Option<WalkItem> {
        loop {
            if let Some(item) = self.next_in_dir() {
                return Some(item);
            }
            let (root, is_dir) = self.roots.next()?;
            if is_dir {
                self.current = Some(self.start_dir(&root));
                self.current_root = Some(root);
                continue;
            }
            match std::fs::metadata(&root) {
                Ok(meta) if meta.is_file() => return Some(self.sized(root, meta.len(), true)),
                Ok(_) => {
                    return Some(WalkItem::Error {
                        path: root,
                        message: "not a regular file or directory (device, socket or pipe); it was not read".to_owned(),
                    });
                }
                Err(e) => {
                    return Some(WalkItem::Error {
                        path: root,
                        message: format!("cannot read it ({e})"),
                    });
                }
            }
        }
    }
}

fn error_path(e: &ignore::Error) -> Option<PathBuf> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        ignore::Error::Partial(errs) => errs.first().and_then(error_path),
        _ => None,
    }
}

/// The error without its path (the path is reported separately).
fn error_message(e: &ignore::Error) -> String {
    match e {
        ignore::Error::WithPath { err, .. } | ignore::Error::WithDepth { err, .. } => {
            error_message(err)
        }
        ignore::Error::Loop { .. } => {
            "symbolic link loop; the link was not followed again".to_owned()
        }
        ignore::Error::Io(io) => match io.kind() {
            std::io::ErrorKind::PermissionDenied => {
                "permission denied; run the scan as a user who may read it, or exclude it"
                    .to_owned()
            }
            std::io::ErrorKind::NotFound => {
                "vanished during the scan (or a broken symbolic link)".to_owned()
            }
            _ => format!("cannot read it ({io})"),
        },
        other => format!("{other}"),
    }
}
