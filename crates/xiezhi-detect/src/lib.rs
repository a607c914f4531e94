//! The Xiezhi detection engine: finds personal information in bytes.
//!
//! Pure: no IO, no clock, no global state. Built once ([`Engine::new`]) and shared by all threads;
//! each thread keeps its own [`Scratch`].
#![deny(missing_docs)]

pub mod dict;
pub mod text;
pub mod typeset;
pub mod validate;
