-- Conformance sessions kept (ConformanceSessions): each `testbed conform` session's conformance.json as it was put,
-- with what a list shows of it. TEXT is a large text in H2 (CLOB) and PostgreSQL alike.
CREATE TABLE ldr_conformance_session (
    session_id VARCHAR(128) PRIMARY KEY,
    systems_file VARCHAR(256) NOT NULL,
    started TIMESTAMP WITH TIME ZONE NOT NULL,
    verdict VARCHAR(32) NOT NULL,
    report TEXT NOT NULL,
    kept_at TIMESTAMP WITH TIME ZONE NOT NULL
);
