//! HTTP handlers, grouped by who calls them.

pub mod admin;
pub mod changes;
pub mod decisions;
pub mod duties;
pub mod events;
pub mod identity;
pub mod incidents;
pub mod me;
pub mod rights;
pub mod subjects;
pub mod views;
