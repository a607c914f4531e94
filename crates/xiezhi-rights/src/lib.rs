//! Rights requests end to end (Reg. arts. 23–25; PIPL 44–50): the request workflow and its
//! deadlines in PRC working days, and the execution of access, copy, deletion, correction,
//! restriction, transfer and account cancellation against the platform's own databases,
//! planned from the data map.
#![deny(missing_docs)]

pub mod deadline;
mod deliver;
pub mod effects;
pub mod exec;
pub mod execute;
pub mod workflow;

pub use deadline::{Due, SlaConfig, Urgency};
pub use workflow::{DueLists, Intake, RightsError, Workflow};
