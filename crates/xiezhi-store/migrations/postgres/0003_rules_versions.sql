-- Published versions of the processing rules (Reg. art. 21): immutable, identified by digest.
CREATE TABLE rules_versions (
    version BIGINT PRIMARY KEY,
    digest TEXT NOT NULL UNIQUE,
    published_at BIGINT NOT NULL,
    document TEXT NOT NULL,
    html_zh TEXT NOT NULL,
    html_en TEXT NOT NULL,
    seq BIGINT NOT NULL
);
