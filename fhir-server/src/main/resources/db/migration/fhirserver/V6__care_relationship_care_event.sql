-- Which care event made each relationship (its kind, where the event names the organisation, the event itself);
-- added after the table was first made, so relationships recorded before keep nulls there. IF NOT EXISTS: see
-- TestbedSchema.
ALTER TABLE care_relationship ADD COLUMN IF NOT EXISTS kind VARCHAR(16);
ALTER TABLE care_relationship ADD COLUMN IF NOT EXISTS via VARCHAR(128);
ALTER TABLE care_relationship ADD COLUMN IF NOT EXISTS event VARCHAR(128);
