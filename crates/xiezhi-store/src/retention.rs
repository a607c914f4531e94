//! Retention settings with the legal minimums.

use serde::{Deserialize, Serialize};

/// Audit events (consent and processing records) are kept at least 3 years (PIPL art. 56
/// impact-assessment records, Reg. art. 12): 3 × 365 days.
pub const MIN_AUDIT_EVENTS_DAYS: u32 = 3 * 365;

/// Network logs are kept at least 6 months (CSL art. 21(3)): 183 days.
pub const MIN_NETWORK_LOGS_DAYS: u32 = 183;

/// A retention period shorter than the law allows.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RetentionError {
    /// Audit events kept too briefly.
    #[error(
        "audit events must be kept at least {min} days (3 years: PIPL art. 56, Reg. art. 12); {days} days is too short"
    )]
    AuditTooShort {
        /// Requested days.
        days: u32,
        /// Minimum days.
        min: u32,
    },
    /// Network logs kept too briefly.
    #[error(
        "network logs must be kept at least {min} days (6 months: CSL art. 21); {days} days is too short"
    )]
    NetworkLogsTooShort {
        /// Requested days.
        days: u32,
        /// Minimum days.
        min: u32,
    },
}

/// How long the store keeps what it keeps. Construct with [`Retention::new`] (checked) or
/// [`Retention::default`] (the minimums).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Retention {
    audit_events_days: u32,
    network_logs_days: u32,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            audit_events_days: MIN_AUDIT_EVENTS_DAYS,
            network_logs_days: MIN_NETWORK_LOGS_DAYS,
        }
    }
}

impl Retention {
    /// Retention periods in days; rejects values below the legal minimums.
    pub fn new(audit_events_days: u32, network_logs_days: u32) -> Result<Self, RetentionError> {
        if audit_events_days < MIN_AUDIT_EVENTS_DAYS {
            return Err(RetentionError::AuditTooShort {
                days: audit_events_days,
                min: MIN_AUDIT_EVENTS_DAYS,
            });
        }
        if network_logs_days < MIN_NETWORK_LOGS_DAYS {
            return Err(RetentionError::NetworkLogsTooShort {
                days: network_logs_days,
                min: MIN_NETWORK_LOGS_DAYS,
            });
        }
        Ok(Self {
            audit_events_days,
            network_logs_days,
        })
    }

    /// Days audit events are kept.
    pub fn audit_events_days(&self) -> u32 {
        self.audit_events_days
    }

    /// Days network (access) logs are kept.
    pub fn network_logs_days(&self) -> u32 {
        self.network_logs_days
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimums_enforced() {
        assert_eq!(
            Retention::default(),
            Retention::new(1095, 183).unwrap_or_default()
        );
        assert!(matches!(
            Retention::new(1094, 183),
            Err(RetentionError::AuditTooShort { days: 1094, .. })
        ));
        let e = Retention::new(2000, 90).err();
        assert!(matches!(
            e,
            Some(RetentionError::NetworkLogsTooShort { .. })
        ));
        assert!(
            e.map(|e| e.to_string())
                .unwrap_or_default()
                .contains("CSL art. 21")
        );
    }
}
