-- Rights requests recorded from the privacy center (Reg. art. 23); the workflow comes later.
CREATE TABLE rights_requests (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    details TEXT,
    state TEXT NOT NULL,
    channel TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    seq BIGINT NOT NULL
);
CREATE INDEX rights_requests_received ON rights_requests (received_at);
