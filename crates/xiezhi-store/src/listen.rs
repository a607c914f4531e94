//! PostgreSQL change feed: `LISTEN` on the store's channel; each notification carries a seq.

use sqlx::postgres::{PgListener, PgPool};

use crate::StoreError;
use crate::db::{Conn, vals};
use crate::store::{Pool, Store};

/// One change seen by a listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeNotice {
    /// Audit seq of the change (committed).
    pub seq: i64,
    /// Subject concerned, looked up in the outbox (`None` for policy changes).
    pub subject: Option<String>,
}

/// Listens for committed changes (PostgreSQL only). Several writers' notifications interleave
/// in commit order; after a reconnect, catch up with [`Store::events_after`].
#[derive(Debug)]
pub struct ChangeListener {
    listener: PgListener,
    pool: PgPool,
}

fn lerr(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| StoreError::Database {
        what,
        message: e.to_string(),
    }
}

impl ChangeListener {
    /// Waits for the next change.
    pub async fn recv(&mut self) -> Result<ChangeNotice, StoreError> {
        loop {
            let n = self
                .listener
                .recv()
                .await
                .map_err(lerr("waiting for a change notification"))?;
            let Ok(seq) = n.payload().parse::<i64>() else {
                continue;
            };
            let mut c = self
                .pool
                .acquire()
                .await
                .map_err(lerr("acquiring a connection"))?;
            let subject = Conn::Pg(&mut c)
                .opt(
                    "reading the outbox",
                    "SELECT subject FROM outbox WHERE seq = ?",
                    vals![seq],
                )
                .await?
                .map(|r| r.opt_text(0))
                .transpose()?
                .flatten();
            return Ok(ChangeNotice { seq, subject });
        }
    }
}

impl Store {
    /// Starts listening for changes committed from now on (PostgreSQL only; on SQLite, poll
    /// [`Store::events_after`]).
    pub async fn listen_changes(&self) -> Result<ChangeListener, StoreError> {
        let Pool::Pg(pool) = &self.inner.pool else {
            return Err(StoreError::Unsupported(
                "change notifications need PostgreSQL; on SQLite poll events_after(seq)",
            ));
        };
        let mut listener = PgListener::connect_with(pool)
            .await
            .map_err(lerr("connecting the change listener"))?;
        listener
            .listen(&self.inner.notify_channel)
            .await
            .map_err(lerr("listening for changes"))?;
        Ok(ChangeListener {
            listener,
            pool: pool.clone(),
        })
    }
}
