//! Load errors: where, what, and a hint, in Chinese and English. Messages never quote the
//! values written in the data map (they may be personal information); they quote only keys,
//! ids and the allowed vocabulary.

use std::fmt;
use std::path::PathBuf;

use xiezhi_model::Lang;

/// A message in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// Simplified Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Text {
    /// Builds a message from its two translations.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The message in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// What kind of problem a [`LoadError`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A file or directory could not be read (or `xiezhi.yaml` is missing).
    Io,
    /// The file is not valid YAML.
    Syntax,
    /// A key the model does not know.
    UnknownKey,
    /// A required key is missing.
    MissingKey,
    /// A value of the wrong type (a list where a string belongs, text where a number belongs).
    WrongType,
    /// A value outside the allowed vocabulary or range.
    InvalidValue,
    /// The same key twice in one mapping.
    DuplicateKey,
    /// The same id on two entities (ids are unique across all files).
    DuplicateId,
    /// A reference to an id that no entity of the right kind has.
    DanglingReference,
    /// A PI type id that `xiezhi types` does not list.
    UnknownPiType,
    /// A GB/T 35273 category id that does not exist.
    UnknownCategory,
    /// A date that is not a valid `YYYY-MM-DD` calendar day.
    InvalidDate,
}

impl ErrorKind {
    /// Stable kebab-case id, printed in brackets.
    pub const fn id(self) -> &'static str {
        match self {
            ErrorKind::Io => "io",
            ErrorKind::Syntax => "syntax",
            ErrorKind::UnknownKey => "unknown-key",
            ErrorKind::MissingKey => "missing-key",
            ErrorKind::WrongType => "wrong-type",
            ErrorKind::InvalidValue => "invalid-value",
            ErrorKind::DuplicateKey => "duplicate-key",
            ErrorKind::DuplicateId => "duplicate-id",
            ErrorKind::DanglingReference => "dangling-reference",
            ErrorKind::UnknownPiType => "unknown-pi-type",
            ErrorKind::UnknownCategory => "unknown-category",
            ErrorKind::InvalidDate => "invalid-date",
        }
    }
}

/// One problem in the data map.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadError {
    /// File, relative to the project directory.
    pub file: PathBuf,
    /// 1-based line (0 when unknown).
    pub line: u64,
    /// 1-based column (0 when unknown).
    pub column: u64,
    /// Kind of problem.
    pub kind: ErrorKind,
    /// What is wrong.
    pub message: Text,
    /// How to fix it.
    pub hint: Option<Text>,
}

impl LoadError {
    /// `file:line:column: error[kind]: message` and, on the next line, the hint.
    pub fn render(&self, lang: Lang) -> String {
        let label = match lang {
            Lang::ZhCn => "错误",
            Lang::En => "error",
        };
        let mut s = format!(
            "{}:{}:{}: {label}[{}]: {}",
            self.file.display(),
            self.line,
            self.column,
            self.kind.id(),
            self.message.get(lang)
        );
        if let Some(h) = &self.hint {
            let hl = match lang {
                Lang::ZhCn => "提示",
                Lang::En => "hint",
            };
            s.push_str(&format!("\n  {hl}: {}", h.get(lang)));
        }
        s
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// Every problem found while loading a project, in file order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} error(s) in the data map", .0.len())]
pub struct LoadErrors(pub Vec<LoadError>);

/// Why `init_project` failed.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// A file of the example already exists; nothing was written.
    #[error("{0} already exists; nothing was written")]
    Exists(PathBuf),
    /// A file or directory could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
}
