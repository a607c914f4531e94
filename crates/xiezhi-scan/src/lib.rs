//! Xiezhi discovery: walks files, reads them by format and encoding, runs the detection engine
//! in parallel and writes findings.
#![deny(missing_docs)]

pub mod cells;
pub mod csv;
pub mod decode;
pub mod eval;
pub mod json;
pub mod report;
pub mod sniff;
pub mod summary;
pub mod xlsx;
