-- xiezhi-store schema v1 (PostgreSQL). Timestamps are BIGINT milliseconds since the epoch, UTC.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Per-subject switches (PI: subject id, guardian id).
CREATE TABLE subjects (
    subject                  TEXT PRIMARY KEY,
    version                  BIGINT NOT NULL,
    recommendation_off_since BIGINT,
    restricted_since         BIGINT,
    under_14                 BOOLEAN NOT NULL DEFAULT FALSE,
    guardian                 TEXT,
    guardian_linked_at       BIGINT
);

CREATE TABLE push_refusals (
    subject  TEXT NOT NULL,
    channel  TEXT NOT NULL,
    category TEXT NOT NULL,
    since    BIGINT NOT NULL,
    PRIMARY KEY (subject, channel, category)
);

CREATE TABLE tags (
    subject       TEXT NOT NULL,
    tag_id        TEXT NOT NULL,
    label         TEXT NOT NULL,
    source        TEXT NOT NULL,
    personal      BOOLEAN NOT NULL,
    added         BIGINT NOT NULL,
    deleted_since BIGINT,
    PRIMARY KEY (subject, tag_id)
);

-- Consent history: one row per act, never updated except `stale`.
CREATE TABLE consents (
    id              BIGSERIAL PRIMARY KEY,
    subject         TEXT NOT NULL,
    purpose         TEXT NOT NULL,
    status          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    scope_digest    TEXT NOT NULL,
    rules_version   TEXT,
    channel         TEXT NOT NULL,
    guardian        TEXT,
    at              BIGINT NOT NULL,
    ask_again_after BIGINT,
    stale           BOOLEAN NOT NULL DEFAULT FALSE,
    seq             BIGINT NOT NULL,
    payload_digest  TEXT
);
CREATE INDEX consents_subject_purpose ON consents (subject, purpose, id);
CREATE INDEX consents_purpose ON consents (purpose, id);

CREATE TABLE purposes (
    purpose      TEXT PRIMARY KEY,
    scope_digest TEXT NOT NULL,
    updated_at   BIGINT NOT NULL
);

-- The audit chain. No raw subject id here: subject_ref is an HMAC.
CREATE TABLE audit_head (
    id   BIGINT PRIMARY KEY CHECK (id = 1),
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE audit_events (
    seq            BIGINT PRIMARY KEY,
    at             BIGINT NOT NULL,
    kind           TEXT NOT NULL,
    actor          TEXT NOT NULL,
    subject_ref    TEXT,
    payload_digest TEXT,
    prev_hash      TEXT NOT NULL,
    hash           TEXT NOT NULL
);
CREATE INDEX audit_events_subject_ref ON audit_events (subject_ref);

-- PI-bearing payloads, committed by digest from the chain; erasable.
CREATE TABLE audit_payloads (
    seq         BIGINT PRIMARY KEY,
    digest      TEXT NOT NULL,
    subject_ref TEXT,
    body        BYTEA,
    erased_at   BIGINT
);
CREATE INDEX audit_payloads_subject_ref ON audit_payloads (subject_ref);

CREATE TABLE audit_checkpoints (
    seq        BIGINT NOT NULL,
    hash       TEXT NOT NULL,
    at         BIGINT NOT NULL,
    key_id     TEXT NOT NULL,
    public_key TEXT NOT NULL,
    signature  TEXT NOT NULL,
    PRIMARY KEY (seq, key_id)
);

-- Public change events for webhooks and SSE (PI: subject id).
CREATE TABLE outbox (
    seq     BIGINT PRIMARY KEY,
    at      BIGINT NOT NULL,
    subject TEXT,
    kind    TEXT NOT NULL,
    data    TEXT NOT NULL
);
CREATE INDEX outbox_subject ON outbox (subject, seq);

CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);

CREATE TABLE webhooks (
    id         TEXT PRIMARY KEY,
    url        TEXT NOT NULL,
    secret     TEXT NOT NULL,
    kinds      TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    cursor     BIGINT NOT NULL,
    active     BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE webhook_deliveries (
    webhook_id      TEXT NOT NULL,
    seq             BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    delivered_at    BIGINT,
    last_error      TEXT,
    PRIMARY KEY (webhook_id, seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (delivered_at, next_attempt_at);
