//! The Xiezhi detection engine: finds personal information in bytes.
//!
//! Pure: no IO, no clock, no global state. Built once ([`Engine::new`]) and shared by all threads;
//! each thread keeps its own [`Scratch`].
#![deny(missing_docs)]

pub mod column;
mod context;
pub mod dict;
pub mod engine;
pub mod field;
mod keywords;
pub mod mask;
mod pass;
pub mod text;
pub mod typeset;
pub mod validate;

pub use column::{ColumnClassifier, ColumnVerdict};
pub use engine::{Engine, EngineConfig, Match, Scratch};
pub use field::{FieldHint, field_hint};
pub use mask::mask;
pub use typeset::TypeSet;
