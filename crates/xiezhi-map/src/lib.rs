//! The Xiezhi data map: the organisation profile (`xiezhi.yaml`) and the data map
//! (`datamap/*.yaml`) as reviewed code — model, loader with file:line:column errors, an example
//! project (`init_project`) and the JSON Schema for editors.
//!
//! ```no_run
//! let project = xiezhi_map::load_project(std::path::Path::new("."));
//! match project {
//!     Ok(p) => println!("{} datasets", p.each(|m| &m.datasets).count()),
//!     Err(errors) => errors.0.iter().for_each(|e| eprintln!("{e}")),
//! }
//! ```
#![deny(missing_docs)]

mod date;
mod error;
mod load;
mod located;
pub mod model;
pub mod suggest;

use std::path::{Path, PathBuf};

pub use date::{Date, DateError};
pub use error::{ErrorKind, InitError, LoadError, LoadErrors, Text};
pub use load::{
    DATAMAP_DIR, EntityLocation, KeyPosition, PROFILE_FILE, Project, SourceFile, is_sql_identifier,
    load_project, load_texts,
};
pub use located::{At, CATEGORY_IDS, CategoryId, PiTypeId};
pub use model::{DataMapFile, Profile};

/// The files of the example project: path relative to the project directory, and content.
pub const TEMPLATE: &[(&str, &str)] = &[
    ("xiezhi.yaml", include_str!("../templates/xiezhi.yaml")),
    (
        "datamap/systems.yaml",
        include_str!("../templates/datamap/systems.yaml"),
    ),
    (
        "datamap/activities.yaml",
        include_str!("../templates/datamap/activities.yaml"),
    ),
    (
        "datamap/recipients.yaml",
        include_str!("../templates/datamap/recipients.yaml"),
    ),
    (
        "datamap/transfers.yaml",
        include_str!("../templates/datamap/transfers.yaml"),
    ),
    (
        "datamap/ai.yaml",
        include_str!("../templates/datamap/ai.yaml"),
    ),
    (
        "datamap/assessments.yaml",
        include_str!("../templates/datamap/assessments.yaml"),
    ),
];

/// Writes the commented example project into `dir` (created if missing) and returns the
/// paths written. Refuses, writing nothing, if any of its files already exists.
pub fn init_project(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    for (rel, _) in TEMPLATE {
        let path = dir.join(rel);
        if path.exists() {
            return Err(InitError::Exists(path));
        }
    }
    let mut written = Vec::new();
    for (rel, text) in TEMPLATE {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| InitError::Io {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        let res = opts
            .open(&path)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        res.map_err(|source| InitError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// The JSON Schema of both file kinds: `anyOf` the profile (`xiezhi.yaml`) and a data-map
/// file, with shared `$defs`. Point yaml-language-server at it for completion.
pub fn json_schema() -> serde_json::Value {
    let mut generator = schemars::SchemaGenerator::default();
    let profile = generator.subschema_for::<Profile>();
    let datamap = generator.subschema_for::<DataMapFile>();
    let defs = generator.take_definitions(true);
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Xiezhi data map (xiezhi.yaml or datamap/*.yaml)",
        "anyOf": [profile, datamap],
        "$defs": defs,
    })
}
