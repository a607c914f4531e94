//! Input size limits. Requests beyond them get 413 or 422 with the limit named.

/// Longest subject (user) id, in bytes.
pub const MAX_SUBJECT_LEN: usize = 256;
/// Longest tag id, purpose id or other identifier, in bytes.
pub const MAX_ID_LEN: usize = 200;
/// Longest free text (tag label, source, channel, evidence as JSON), in bytes.
pub const MAX_TEXT_LEN: usize = 4096;
/// Most checks in one decision request.
pub const MAX_CHECKS: usize = 1000;
/// Largest request body, in bytes.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// Checks an identifier: non-empty, at most `max` bytes, no control characters.
pub fn check_id(what: &'static str, value: &str, max: usize) -> Result<(), crate::error::ApiError> {
    if value.is_empty() {
        return Err(crate::error::ApiError::invalid(format!("{what} is empty")));
    }
    if value.len() > max {
        return Err(crate::error::ApiError::invalid(format!(
            "{what} is longer than {max} bytes"
        )));
    }
    if value.chars().any(char::is_control) {
        return Err(crate::error::ApiError::invalid(format!(
            "{what} contains control characters"
        )));
    }
    Ok(())
}
