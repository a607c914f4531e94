-- The rights-request workflow (Reg. arts. 23-25; PIPL 44-50): who asks, identity verification,
-- the deadline, every step, refusal reasons, identity challenges, encrypted exports and the
-- follow-up tasks per recipient/SDK.
ALTER TABLE rights_requests ADD COLUMN requester TEXT NOT NULL DEFAULT 'self';
ALTER TABLE rights_requests ADD COLUMN due_date TEXT;
ALTER TABLE rights_requests ADD COLUMN due_rule TEXT;
ALTER TABLE rights_requests ADD COLUMN due_error TEXT;
ALTER TABLE rights_requests ADD COLUMN identity_method TEXT;
ALTER TABLE rights_requests ADD COLUMN identity_ref TEXT;
ALTER TABLE rights_requests ADD COLUMN verified_at BIGINT;
ALTER TABLE rights_requests ADD COLUMN updated_at BIGINT;
ALTER TABLE rights_requests ADD COLUMN closed_at BIGINT;
ALTER TABLE rights_requests ADD COLUMN reasons TEXT;
ALTER TABLE rights_requests ADD COLUMN result TEXT;
UPDATE rights_requests SET updated_at = received_at WHERE updated_at IS NULL;
CREATE INDEX rights_requests_state_due ON rights_requests (state, due_date);
CREATE INDEX rights_requests_subject ON rights_requests (subject);

CREATE TABLE rights_steps (
    request_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    actor TEXT NOT NULL,
    PRIMARY KEY (request_id, seq)
);

CREATE TABLE identity_challenges (
    id TEXT PRIMARY KEY,
    request_id TEXT NOT NULL,
    method TEXT NOT NULL,
    state TEXT NOT NULL,
    challenge TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX identity_challenges_request ON identity_challenges (request_id);

CREATE TABLE rights_exports (
    request_id TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    downloads BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE rights_tasks (
    request_id TEXT NOT NULL,
    target TEXT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT,
    created_at BIGINT NOT NULL,
    done_at BIGINT,
    PRIMARY KEY (request_id, target)
);
