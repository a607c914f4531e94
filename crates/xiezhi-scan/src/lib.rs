//! Xiezhi discovery: walks files, reads them by format and encoding, runs the detection engine
//! in parallel and writes findings.
#![deny(missing_docs)]
