-- Register of generated reports and assessments (`xiezhi report`): what was made, when, and the
-- digests of every input it was made from. The same facts are committed in the audit chain
-- (event `report.generated`, payload digest); the documents themselves stay with the operator.
CREATE TABLE generated_reports (
    seq BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT,
    period_year BIGINT,
    lang TEXT NOT NULL,
    format TEXT NOT NULL,
    output_digest TEXT NOT NULL,
    inputs TEXT NOT NULL,
    missing BIGINT NOT NULL,
    generated_at BIGINT NOT NULL,
    actor TEXT NOT NULL
);
CREATE INDEX generated_reports_kind ON generated_reports (kind, generated_at);
