//! Runtime decisions for Xiezhi (DESIGN.md 3.4).
//!
//! A platform's recommender, push gateway or backend asks: may I personalise for this user,
//! push on this channel, use this tag, process for this purpose, ask for consent again? The
//! answer comes from the user's own choices ([`SubjectState`]: the art. 42 switches, the tag
//! registry with tombstones, consents with refusal memory and guardians, art. 22) and the
//! [`Policy`] built from the data map. [`decide`] is pure; [`DecisionCache`] keeps states in
//! memory so the answer costs a hash lookup. `xiezhi-store` persists states; `xiezhi-server`
//! serves `POST /v1/decisions` over both.

mod cache;
mod check;
mod engine;
mod policy;
mod state;
pub mod time;

pub use cache::{CacheStats, DecisionCache, LoadTicket};
pub use check::{Check, Decision, Reason};
pub use engine::decide;
pub use policy::{Basis, DEFAULT_REFUSAL_COOL_DOWN_MS, Policy, PurposePolicy, Scope};
pub use state::{
    ConsentKind, ConsentState, ConsentStatus, Millis, MinorStatus, PushCategory, PushChannel,
    PushRefusal, SubjectState, TagState,
};
