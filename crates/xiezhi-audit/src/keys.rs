//! ed25519 checkpoint keys, key files and signed checkpoints.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use ed25519_dalek::Signer;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::chain::Millis;

/// A key-file or public-key problem. Messages name the file but never print key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key file could not be read or written.
    #[error("audit signing key file {path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The key file exists but does not hold a key.
    #[error(
        "audit signing key file {path} is malformed: {reason}; it must hold exactly 64 hex \
         characters (a 32-byte ed25519 seed) and an optional newline — restore it from your \
         backup, or generate a new key (old checkpoints stay verifiable with the old public key)"
    )]
    Malformed {
        /// The key file.
        path: PathBuf,
        /// What is wrong, without the file's content.
        reason: String,
    },
    /// Refused to overwrite an existing key file.
    #[error(
        "audit signing key file {path} already exists; refusing to overwrite a signing key \
         (move it away first if you really want a new key)"
    )]
    Exists {
        /// The key file.
        path: PathBuf,
    },
    /// A public key given as hex is not a valid ed25519 public key.
    #[error("invalid ed25519 public key: {reason} (expected 64 hex characters)")]
    BadPublicKey {
        /// What is wrong.
        reason: String,
    },
    /// The operating system's random source failed.
    #[error("cannot generate an audit signing key: the OS random source failed: {0}")]
    Random(getrandom::Error),
}

/// The ed25519 key that signs audit checkpoints. `Debug` shows only the key id.
pub struct SigningKey {
    inner: ed25519_dalek::SigningKey,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("key_id", &self.key_id())
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// A fresh key from the operating system's random source.
    ///
    /// # Errors
    /// [`KeyError::Random`] when the random source fails.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(KeyError::Random)?;
        let key = Self::from_seed(&seed);
        seed.fill(0);
        Ok(key)
    }

    /// The key for a 32-byte seed (the ed25519 secret key).
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            inner: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// Reads a key file: 64 hex characters (the seed), surrounding whitespace ignored.
    ///
    /// # Errors
    /// [`KeyError::Io`] when the file cannot be read, [`KeyError::Malformed`] when it does not
    /// hold a seed.
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let bytes = std::fs::read(path).map_err(|source| KeyError::Io {
            path: path.to_owned(),
            source,
        })?;
        let malformed = |reason: String| KeyError::Malformed {
            path: path.to_owned(),
            reason,
        };
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| malformed("the file is not text".to_owned()))?
            .trim();
        if text.len() != 64 {
            return Err(malformed(format!(
                "found {} characters instead of 64",
                text.chars().count()
            )));
        }
        let mut seed = [0u8; 32];
        hex::decode_to_slice(text, &mut seed)
            .map_err(|_| malformed("it contains characters that are not hex digits".to_owned()))?;
        let key = Self::from_seed(&seed);
        seed.fill(0);
        Ok(key)
    }

    /// Writes a new key file holding the hex seed and a newline, readable only by its owner
    /// (mode 0600 on Unix). Never overwrites an existing file.
    ///
    /// # Errors
    /// [`KeyError::Exists`] if the file exists, [`KeyError::Io`] on other write failures.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        let io = |source: std::io::Error| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|source| {
            if source.kind() == std::io::ErrorKind::AlreadyExists {
                KeyError::Exists {
                    path: path.to_owned(),
                }
            } else {
                io(source)
            }
        })?;
        let mut text = hex::encode(self.inner.to_bytes());
        text.push('\n');
        let written = file
            .write_all(text.as_bytes())
            .and_then(|()| file.sync_all());
        // SAFETY-free best effort: drop the hex copy of the secret.
        text.clear();
        written.map_err(io)
    }

    /// Loads the key file if it exists, otherwise generates a key and saves it there.
    ///
    /// # Errors
    /// As [`SigningKey::load`], [`SigningKey::generate`] and [`SigningKey::save`].
    pub fn load_or_generate(path: &Path) -> Result<Self, KeyError> {
        if path.exists() {
            return Self::load(path);
        }
        let key = Self::generate()?;
        key.save(path)?;
        Ok(key)
    }

    /// The public half.
    pub fn verifying_key(&self) -> VerifyingKey {
        VerifyingKey {
            inner: self.inner.verifying_key(),
        }
    }

    /// The key id: first 16 hex characters of SHA-256 of the 32-byte public key.
    pub fn key_id(&self) -> String {
        self.verifying_key().key_id()
    }

    /// The public key as 64 lower-case hex characters.
    pub fn public_key_hex(&self) -> String {
        self.verifying_key().to_hex()
    }

    /// A detached signature (hex) over `context ‖ 0x00 ‖ message`: documents this platform
    /// sends to others (e.g. a rights-request transfer export). The context keeps such a
    /// signature from ever passing as a checkpoint signature.
    pub fn sign_detached(&self, context: &str, message: &[u8]) -> String {
        hex::encode(
            self.inner
                .sign(&detached_message(context, message))
                .to_bytes(),
        )
    }

    /// Signs "the event at `seq` has hash `hash`" at time `at` (see [`checkpoint_message`]).
    pub fn sign_checkpoint(&self, seq: i64, hash: &str, at: Millis) -> Checkpoint {
        let signature = self.inner.sign(&checkpoint_message(seq, hash, at));
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            at,
            key_id: self.key_id(),
            signature: hex::encode(signature.to_bytes()),
        }
    }
}

/// An ed25519 public key that verifies checkpoints.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifyingKey {
    inner: ed25519_dalek::VerifyingKey,
}

impl fmt::Debug for VerifyingKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifyingKey")
            .field("key_id", &self.key_id())
            .finish()
    }
}

impl VerifyingKey {
    /// Parses 64 hex characters (the 32-byte compressed point).
    ///
    /// # Errors
    /// [`KeyError::BadPublicKey`] when the text is not hex of the right length or not a valid
    /// curve point.
    pub fn from_hex(text: &str) -> Result<Self, KeyError> {
        let text = text.trim();
        let mut bytes = [0u8; 32];
        hex::decode_to_slice(text, &mut bytes).map_err(|e| KeyError::BadPublicKey {
            reason: e.to_string(),
        })?;
        let inner = ed25519_dalek::VerifyingKey::from_bytes(&bytes).map_err(|e| {
            KeyError::BadPublicKey {
                reason: e.to_string(),
            }
        })?;
        Ok(Self { inner })
    }

    /// The public key as 64 lower-case hex characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.inner.as_bytes())
    }

    /// First 16 hex characters of SHA-256 of the 32-byte public key.
    pub fn key_id(&self) -> String {
        let mut id = hex::encode(Sha256::digest(self.inner.as_bytes()));
        id.truncate(16);
        id
    }

    /// Whether `signature` (hex) is this key's [`SigningKey::sign_detached`] signature of
    /// `message` under `context`.
    pub fn verifies_detached(&self, context: &str, message: &[u8], signature: &str) -> bool {
        let mut bytes = [0u8; 64];
        if hex::decode_to_slice(signature.trim(), &mut bytes).is_err() {
            return false;
        }
        let signature = ed25519_dalek::Signature::from_bytes(&bytes);
        self.inner
            .verify_strict(&detached_message(context, message), &signature)
            .is_ok()
    }

    /// Whether `checkpoint.signature` is a valid (strict) ed25519 signature by this key over
    /// [`checkpoint_message`]. Does not look at `checkpoint.key_id`.
    pub fn verifies(&self, checkpoint: &Checkpoint) -> bool {
        let mut bytes = [0u8; 64];
        if hex::decode_to_slice(checkpoint.signature.trim(), &mut bytes).is_err() {
            return false;
        }
        let signature = ed25519_dalek::Signature::from_bytes(&bytes);
        self.inner
            .verify_strict(
                &checkpoint_message(checkpoint.seq, &checkpoint.hash, checkpoint.at),
                &signature,
            )
            .is_ok()
    }
}

/// A signed statement "the chain's event at `seq` has hash `hash`".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// The event's seq.
    pub seq: i64,
    /// The event's hash (64 hex characters).
    pub hash: String,
    /// When the checkpoint was signed (ms since the epoch, UTC).
    pub at: Millis,
    /// [`VerifyingKey::key_id`] of the signing key.
    pub key_id: String,
    /// The 64-byte ed25519 signature as 128 lower-case hex characters.
    pub signature: String,
}

/// The message a detached signature covers: the context, a zero byte, the message.
fn detached_message(context: &str, message: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(context.len() + 1 + message.len());
    m.extend_from_slice(context.as_bytes());
    m.push(0);
    m.extend_from_slice(message);
    m
}

/// The message a checkpoint signs: `b"xiezhi-checkpoint-v1\n{seq}\n{hash}\n{at}"` (decimal
/// integers, no trailing newline).
pub fn checkpoint_message(seq: i64, hash: &str, at: Millis) -> Vec<u8> {
    format!("xiezhi-checkpoint-v1\n{seq}\n{hash}\n{at}").into_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn detached_signatures_verify_only_in_their_context() {
        let key = SigningKey::generate().unwrap();
        let sig = key.sign_detached("xiezhi-transfer-v1", b"{\"a\":1}");
        let vk = key.verifying_key();
        assert!(vk.verifies_detached("xiezhi-transfer-v1", b"{\"a\":1}", &sig));
        assert!(!vk.verifies_detached("xiezhi-transfer-v1", b"{\"a\":2}", &sig));
        assert!(!vk.verifies_detached("xiezhi-other", b"{\"a\":1}", &sig));
        assert!(!vk.verifies_detached("xiezhi-transfer-v1", b"{\"a\":1}", "zz"));
    }

    #[test]
    fn key_file_round_trip_and_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.key");
        let key = SigningKey::generate().unwrap();
        key.save(&path).unwrap();
        let loaded = SigningKey::load(&path).unwrap();
        assert_eq!(loaded.public_key_hex(), key.public_key_hex());
        assert_eq!(loaded.key_id(), key.key_id());
        assert_eq!(key.key_id().len(), 16);
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.len(), 65);
        assert!(text.ends_with('\n'));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        // Never overwrites.
        let again = SigningKey::generate().unwrap().save(&path).unwrap_err();
        assert!(matches!(again, KeyError::Exists { .. }), "{again}");
        // load_or_generate loads the existing one.
        let same = SigningKey::load_or_generate(&path).unwrap();
        assert_eq!(same.public_key_hex(), key.public_key_hex());
        let fresh_path = dir.path().join("new.key");
        let fresh = SigningKey::load_or_generate(&fresh_path).unwrap();
        assert_eq!(
            SigningKey::load(&fresh_path).unwrap().key_id(),
            fresh.key_id()
        );
        // Debug never shows the seed.
        let debug = format!("{key:?}");
        assert!(debug.contains(&key.key_id()));
        assert!(!debug.contains(text.trim()));
    }

    #[test]
    fn malformed_key_files_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        for (name, content) in [
            ("short.key", "abcd\n".as_bytes()),
            ("nothex.key", "zz".repeat(32).as_bytes()),
            ("binary.key", &[0xff, 0xfe, 0x00][..]),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            let err = SigningKey::load(&path).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, KeyError::Malformed { .. }), "{msg}");
            assert!(msg.contains(name), "{msg}");
            assert!(msg.contains("64 hex"), "{msg}");
        }
        let missing = dir.path().join("missing.key");
        let err = SigningKey::load(&missing).unwrap_err();
        assert!(matches!(err, KeyError::Io { .. }));
        assert!(err.to_string().contains("missing.key"));
        // Whitespace around the seed is fine, and the seed decides the key.
        let path = dir.path().join("spaced.key");
        std::fs::write(&path, format!("  {}\r\n", "11".repeat(32))).unwrap();
        let key = SigningKey::load(&path).unwrap();
        assert_eq!(
            key.public_key_hex(),
            SigningKey::from_seed(&[0x11; 32]).public_key_hex()
        );
    }

    #[test]
    fn checkpoint_signatures() {
        let key = SigningKey::from_seed(&[7; 32]);
        let other = SigningKey::from_seed(&[8; 32]);
        let cp = key.sign_checkpoint(5, &"ab".repeat(32), 1_700_000_000_000);
        let vk = VerifyingKey::from_hex(&key.public_key_hex()).unwrap();
        assert_eq!(vk, key.verifying_key());
        assert!(vk.verifies(&cp));
        assert!(!other.verifying_key().verifies(&cp));
        let mut forged = cp.clone();
        forged.seq = 6;
        assert!(!vk.verifies(&forged));
        let mut garbled = cp;
        garbled.signature = "00".into();
        assert!(!vk.verifies(&garbled));
        assert!(VerifyingKey::from_hex("abc").is_err());
        assert_eq!(
            checkpoint_message(3, "h", -1),
            b"xiezhi-checkpoint-v1\n3\nh\n-1".to_vec()
        );
    }
}
