-- Care relationships (CareRelationships): which organisations are involved in each patient's care. IF NOT EXISTS:
-- a store from before migrations already has it (see TestbedSchema).
CREATE TABLE IF NOT EXISTS care_relationship (
    patient_id VARCHAR(64) NOT NULL,
    organisation VARCHAR(64) NOT NULL
);
CREATE INDEX IF NOT EXISTS care_relationship_patient ON care_relationship (patient_id);
