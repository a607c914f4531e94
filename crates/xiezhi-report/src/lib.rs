//! Xiezhi reports and notices rendered from the data map. It reads a loaded
//! [`xiezhi_map::Project`] only: it never queries databases.
//!
//! - [`rules`]: the personal-information processing rules (个人信息处理规则, Reg. art. 21; PIPL
//!   17, 30) with the collected-PI list, the third-party sharing list and the children's rules,
//!   in Markdown, HTML and JSON, Simplified Chinese or English.
#![deny(missing_docs)]

pub mod escape;
pub mod pdf;
pub mod rules;
