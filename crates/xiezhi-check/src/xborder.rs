//! Cross-border transfer decision (catalog 4.1, CAC Order 16).
