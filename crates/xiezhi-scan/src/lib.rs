//! Xiezhi discovery: walks files, reads them by format and encoding, runs the detection engine
//! in parallel and writes findings.
#![deny(missing_docs)]

pub mod cells;
pub mod csv;
pub mod decode;
pub mod eval;
pub mod json;
pub mod pipeline;
pub mod report;
pub mod sniff;
pub mod sql;
mod structured;
pub mod summary;
pub mod textscan;
mod value_buf;
pub mod walk;
pub mod xlsx;

pub use pipeline::{CollectingSink, FindingSink, Progress, ScanError, ScanOptions, scan};
pub use walk::WalkOptions;
