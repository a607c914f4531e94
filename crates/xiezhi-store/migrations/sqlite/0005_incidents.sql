-- Incident register (Incident Reporting Measures 2025; Reg. arts. 10-11; PIPL 57): the
-- xiezhi-incident record, its timeline and data-map estimate as JSON documents (counts and PI
-- types only, never PI values; notice recipients' addresses are never stored), indexed columns
-- for listing, and the event log of every step (each also an audit-chain event).
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    level TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    detected_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    closed_at BIGINT,
    close_reason TEXT,
    record TEXT NOT NULL,
    timeline TEXT NOT NULL,
    estimate TEXT,
    seq BIGINT NOT NULL
);
CREATE INDEX incidents_state_opened ON incidents (state, opened_at);
CREATE INDEX incidents_level ON incidents (level);

CREATE TABLE incident_events (
    incident_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
);
