//! Execution of rights requests against the platform's databases, planned from the data map.
