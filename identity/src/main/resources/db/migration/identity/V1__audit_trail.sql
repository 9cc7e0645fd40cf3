-- The audit trail (AuditTrail): one row per BALP AuditEvent, chained by hash, and the anchor holding the newest seq
-- and hash. IF NOT EXISTS: a store from before migrations already has these (see TestbedSchema).
CREATE TABLE IF NOT EXISTS audit_trail (
    seq BIGINT PRIMARY KEY,
    occurred TIMESTAMP WITH TIME ZONE NOT NULL,
    patient_ref VARCHAR(128),
    patient_nhs_number VARCHAR(16),
    username VARCHAR(128),
    organisation VARCHAR(32),
    purpose VARCHAR(32),
    outcome INTEGER NOT NULL,
    event_json TEXT NOT NULL,
    prev_hash VARCHAR(64) NOT NULL,
    hash VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_trail_patient ON audit_trail (patient_ref);

CREATE TABLE IF NOT EXISTS audit_anchor (
    id INTEGER PRIMARY KEY,
    last_seq BIGINT NOT NULL,
    last_hash VARCHAR(64) NOT NULL
);
