//! API keys: `xzk_<id>_<secret>`; only SHA-256 of the secret is stored.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use xiezhi_decide::Millis;

use crate::StoreError;
use crate::db::vals;
use crate::store::{Append, Store, random_bytes};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    /// The platform's backends: record choices, ask for decisions.
    Platform,
    /// Administration: keys, webhooks, audit.
    Admin,
}

impl KeyScope {
    /// Stable id.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::Platform => "platform",
            KeyScope::Admin => "admin",
        }
    }

    /// Parses [`KeyScope::as_str`].
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "platform" => Some(KeyScope::Platform),
            "admin" => Some(KeyScope::Admin),
            _ => None,
        }
    }
}

/// A stored API key (never the secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiKey {
    /// Public id (the `<id>` in `xzk_<id>_<secret>`).
    pub id: String,
    /// Name given at creation.
    pub name: String,
    /// Scopes.
    pub scopes: Vec<KeyScope>,
    /// Created at.
    pub created_at: Millis,
    /// Revoked at.
    pub revoked_at: Option<Millis>,
}

impl ApiKey {
    /// Whether the key has `scope`.
    pub fn has(&self, scope: KeyScope) -> bool {
        self.scopes.contains(&scope)
    }
}

/// A key just created: the plaintext is shown once and never stored. `Debug` hides it.
#[derive(Clone)]
pub struct CreatedKey {
    /// The stored key.
    pub key: ApiKey,
    /// `xzk_<id>_<secret>`.
    pub plaintext: String,
}

impl std::fmt::Debug for CreatedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CreatedKey")
            .field("key", &self.key)
            .finish_non_exhaustive()
    }
}

fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares in time independent of where the strings differ.
fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut d = 0u8;
    for (x, y) in a.iter().zip(b) {
        d |= x ^ y;
    }
    std::hint::black_box(d) == 0
}

fn parse_scopes(s: &str) -> Result<Vec<KeyScope>, StoreError> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(|x| KeyScope::parse(x).ok_or_else(|| StoreError::Corrupt("unknown key scope".into())))
        .collect()
}

fn api_key(r: &crate::db::Row) -> Result<ApiKey, StoreError> {
    Ok(ApiKey {
        id: r.text(0)?,
        name: r.text(1)?,
        scopes: parse_scopes(&r.text(2)?)?,
        created_at: r.i64(3)?,
        revoked_at: r.opt_i64(4)?,
    })
}

impl Store {
    /// Creates a key; returns the plaintext once.
    pub async fn create_api_key(
        &self,
        name: &str,
        scopes: &[KeyScope],
        actor: &str,
        at: Millis,
    ) -> Result<CreatedKey, StoreError> {
        if scopes.is_empty() {
            return Err(StoreError::InvalidInput(
                "an API key needs at least one scope (platform or admin)".into(),
            ));
        }
        let mut scopes = scopes.to_vec();
        scopes.sort();
        scopes.dedup();
        let id = hex::encode(random_bytes(8)?);
        let secret = hex::encode(random_bytes(32)?);
        let scopes_s = scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",");
        let mut w = self.begin_write().await?;
        w.conn()
            .exec(
                "creating an API key",
                "INSERT INTO api_keys (id, name, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?)",
                vals![&id, name, secret_hash(&secret), scopes_s.clone(), at],
            )
            .await?;
        w.append(Append {
            at,
            kind: "apikey.created",
            actor,
            subject: None,
            payload: Some(serde_json::json!({ "id": id, "name": name, "scopes": scopes_s })),
            outbox: None,
        })
        .await?;
        w.commit().await?;
        Ok(CreatedKey {
            plaintext: format!("xzk_{id}_{secret}"),
            key: ApiKey {
                id,
                name: name.to_owned(),
                scopes,
                created_at: at,
                revoked_at: None,
            },
        })
    }

    /// The key for a presented plaintext, if it is valid and not revoked.
    pub async fn authenticate_key(&self, plaintext: &str) -> Result<Option<ApiKey>, StoreError> {
        let Some(rest) = plaintext.strip_prefix("xzk_") else {
            return Ok(None);
        };
        let Some((id, secret)) = rest.split_once('_') else {
            return Ok(None);
        };
        if id.is_empty() || secret.is_empty() || id.len() > 64 {
            return Ok(None);
        }
        let mut c = self.conn().await?;
        let Some(r) = c
            .conn()
            .opt(
                "reading an API key",
                "SELECT id, name, scopes, created_at, revoked_at, secret_hash FROM api_keys WHERE id = ?",
                vals![id],
            )
            .await?
        else {
            return Ok(None);
        };
        let stored = r.text(5)?;
        let key = api_key(&r)?;
        let good = ct_eq(secret_hash(secret).as_bytes(), stored.as_bytes());
        Ok((good && key.revoked_at.is_none()).then_some(key))
    }

    /// Revokes a key. Returns whether a live key was revoked.
    pub async fn revoke_api_key(
        &self,
        id: &str,
        actor: &str,
        at: Millis,
    ) -> Result<bool, StoreError> {
        let mut w = self.begin_write().await?;
        let n = w
            .conn()
            .exec(
                "revoking an API key",
                "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                vals![at, id],
            )
            .await?;
        if n == 0 {
            return Ok(false);
        }
        w.append(Append {
            at,
            kind: "apikey.revoked",
            actor,
            subject: None,
            payload: Some(serde_json::json!({ "id": id })),
            outbox: None,
        })
        .await?;
        w.commit().await?;
        Ok(true)
    }

    /// Every key (revoked ones too), oldest first.
    pub async fn list_api_keys(&self) -> Result<Vec<ApiKey>, StoreError> {
        let mut c = self.conn().await?;
        c.conn()
            .all(
                "listing API keys",
                "SELECT id, name, scopes, created_at, revoked_at FROM api_keys ORDER BY created_at, id",
                vec![],
            )
            .await?
            .iter()
            .map(api_key)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::ct_eq;

    #[test]
    fn constant_time_eq() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"ab"));
    }
}
