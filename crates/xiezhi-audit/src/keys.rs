//! ed25519 keys that sign checkpoints, and signed checkpoints.

use std::path::{Path, PathBuf};

use ed25519_dalek::{Signer, Verifier};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::chain::Millis;

/// Problems with keys and key files. Messages name the file; they never print key material.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// Cause.
        source: std::io::Error,
    },
    /// The file does not hold 64 hex characters (a 32-byte seed).
    #[error(
        "{path}: not an audit signing key (expected 64 hex characters, the ed25519 seed); restore the original file or move it away to create a new key"
    )]
    Malformed {
        /// The key file.
        path: PathBuf,
    },
    /// A public key is not 64 hex characters of a valid ed25519 point.
    #[error("not an ed25519 public key (expected 64 hex characters)")]
    BadPublicKey,
    /// No randomness from the operating system.
    #[error("the operating system gave no randomness for a new key: {0}")]
    Random(String),
}

/// The key that signs checkpoints.
#[derive(Clone)]
pub struct SigningKey {
    inner: ed25519_dalek::SigningKey,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SigningKey({})", self.verifying_key().key_id())
    }
}

impl SigningKey {
    /// A new random key.
    pub fn generate() -> Result<Self, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Self::from_seed(&seed))
    }

    /// The key of a 32-byte seed.
    pub fn from_seed(seed: &[u8; 32]) -> Self {
        Self {
            inner: ed25519_dalek::SigningKey::from_bytes(seed),
        }
    }

    /// Reads a key file (64 hex characters, surrounding whitespace allowed).
    pub fn load(path: &Path) -> Result<Self, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|source| KeyError::Io {
            path: path.to_owned(),
            source,
        })?;
        let bytes = hex::decode(text.trim()).map_err(|_| KeyError::Malformed {
            path: path.to_owned(),
        })?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Malformed {
            path: path.to_owned(),
        })?;
        Ok(Self::from_seed(&seed))
    }

    /// Writes the key to a new file readable only by its owner (mode 0600 on Unix); refuses to
    /// overwrite an existing file.
    pub fn save(&self, path: &Path) -> Result<(), KeyError> {
        use std::io::Write;
        let io = |source| KeyError::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(path).map_err(io)?;
        f.write_all(format!("{}\n", hex::encode(self.inner.to_bytes())).as_bytes())
            .map_err(io)?;
        f.sync_all().map_err(io)
    }

    /// Loads the key at `path`, or creates and saves a new one when the file does not exist.
    pub fn load_or_create(path: &Path) -> Result<Self, KeyError> {
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

    /// Signs a checkpoint of the chain at `seq` whose hash is `hash`.
    pub fn sign_checkpoint(&self, seq: i64, hash: &str, at: Millis) -> Checkpoint {
        let sig = self.inner.sign(&checkpoint_message(seq, hash, at));
        Checkpoint {
            seq,
            hash: hash.to_owned(),
            at,
            key_id: self.verifying_key().key_id(),
            signature: hex::encode(sig.to_bytes()),
        }
    }
}

/// A public key that verifies checkpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyingKey {
    inner: ed25519_dalek::VerifyingKey,
}

impl VerifyingKey {
    /// Parses 64 hex characters.
    pub fn from_hex(s: &str) -> Result<Self, KeyError> {
        let bytes = hex::decode(s.trim()).map_err(|_| KeyError::BadPublicKey)?;
        let arr: [u8; 32] = bytes.try_into().map_err(|_| KeyError::BadPublicKey)?;
        let inner =
            ed25519_dalek::VerifyingKey::from_bytes(&arr).map_err(|_| KeyError::BadPublicKey)?;
        Ok(Self { inner })
    }

    /// 64 hex characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.inner.to_bytes())
    }

    /// First 16 hex characters of SHA-256 of the public key bytes.
    pub fn key_id(&self) -> String {
        let d = Sha256::digest(self.inner.to_bytes());
        hex::encode(d).chars().take(16).collect()
    }

    /// Whether `cp` carries a valid signature by this key.
    pub fn verifies(&self, cp: &Checkpoint) -> bool {
        let Ok(bytes) = hex::decode(&cp.signature) else {
            return false;
        };
        let Ok(sig) = ed25519_dalek::Signature::from_slice(&bytes) else {
            return false;
        };
        self.inner
            .verify(&checkpoint_message(cp.seq, &cp.hash, cp.at), &sig)
            .is_ok()
    }
}

/// The signed statement "the chain's event `seq` has hash `hash`", made at `at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Sequence number covered.
    pub seq: i64,
    /// The chain hash at that event.
    pub hash: String,
    /// When it was signed.
    pub at: Millis,
    /// Id of the signing key ([`VerifyingKey::key_id`]).
    pub key_id: String,
    /// Hex ed25519 signature of [`checkpoint_message`].
    pub signature: String,
}

/// The bytes a checkpoint signs: `xiezhi-checkpoint-v1\n{seq}\n{hash}\n{at}`.
pub fn checkpoint_message(seq: i64, hash: &str, at: Millis) -> Vec<u8> {
    format!("xiezhi-checkpoint-v1\n{seq}\n{hash}\n{at}").into_bytes()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trip_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("k/audit.key");
        let k = SigningKey::load_or_create(&p).unwrap();
        let again = SigningKey::load_or_create(&p).unwrap();
        assert_eq!(k.verifying_key(), again.verifying_key());
        assert!(k.save(&p).is_err(), "never overwrites");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let bad = dir.path().join("bad.key");
        std::fs::write(&bad, "not hex").unwrap();
        let err = SigningKey::load(&bad).unwrap_err().to_string();
        assert!(err.contains("bad.key") && err.contains("64 hex"), "{err}");
        std::fs::write(&bad, "abcd").unwrap();
        assert!(matches!(
            SigningKey::load(&bad),
            Err(KeyError::Malformed { .. })
        ));
    }

    #[test]
    fn checkpoints_verify_only_with_their_key() {
        let k = SigningKey::from_seed(&[1; 32]);
        let other = SigningKey::from_seed(&[2; 32]);
        let cp = k.sign_checkpoint(10, "ab", 99);
        assert!(k.verifying_key().verifies(&cp));
        assert!(!other.verifying_key().verifies(&cp));
        let mut forged = cp.clone();
        forged.seq = 11;
        assert!(!k.verifying_key().verifies(&forged));
        let pk = VerifyingKey::from_hex(&k.verifying_key().to_hex()).unwrap();
        assert_eq!(pk.key_id(), cp.key_id);
        assert!(VerifyingKey::from_hex("zz").is_err());
    }
}
