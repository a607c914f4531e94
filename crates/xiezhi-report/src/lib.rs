//! Xiezhi reports and notices rendered from the data map. It reads a loaded
//! [`xiezhi_map::Project`] only: it never queries databases.
//!
//! - [`rules`]: the personal-information processing rules (个人信息处理规则, Reg. art. 21; PIPL
//!   17, 30) with the collected-PI list, the third-party sharing list and the children's rules,
//!   in Markdown, HTML and JSON, Simplified Chinese or English.
//! - [`assess`]: the assessments and annual reports (Reg. arts. 31, 33, 44, 50; PIPL 54–56) and
//!   the cross-border ledger, built from the data map, `xiezhi check` findings and runtime
//!   evidence, with an answers file for what cannot be derived.
#![deny(missing_docs)]

pub mod assess;
pub mod escape;
pub mod rules;
