//! Dictionaries: surnames, ethnic groups, place names and other word lists, generated from
//! public sources by scripts under `scripts/gen-data/` (the source and version are recorded in
//! each data file's header).

pub mod ethnic;
pub mod places;
pub mod surnames;
