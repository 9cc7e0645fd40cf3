-- The MESH-like mailboxes the testbed hosts for receiving systems under test (JdbcMeshMailbox): one row per message
-- put in a mailbox's inbox, kept after it is acknowledged so that a run's exchanges can be judged later.
CREATE TABLE ldr_mesh_message (
    id VARCHAR(64) PRIMARY KEY,
    mailbox VARCHAR(64) NOT NULL,
    sender_mailbox VARCHAR(64),
    run_id VARCHAR(128),
    system_name VARCHAR(128),
    flow_code VARCHAR(64),
    message_id VARCHAR(64),
    nhs_number VARCHAR(16),
    workflow_id VARCHAR(64) NOT NULL,
    content_type VARCHAR(128) NOT NULL,
    body TEXT NOT NULL,
    sent_at TIMESTAMP WITH TIME ZONE NOT NULL,
    downloaded_at TIMESTAMP WITH TIME ZONE,
    acknowledged_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX ldr_mesh_message_inbox ON ldr_mesh_message (mailbox, acknowledged_at, sent_at);
