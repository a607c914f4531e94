//! Identity verification for rights requests with no more data than registration needed.
#![deny(missing_docs)]
