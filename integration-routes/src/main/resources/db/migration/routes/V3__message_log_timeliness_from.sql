-- When the event the flow's timeliness rule counts from happened, as the record says (ISO-8601); added after the
-- message log was first made, so older entries keep null there. IF NOT EXISTS: see TestbedSchema.
ALTER TABLE ldr_message_log ADD COLUMN IF NOT EXISTS timeliness_from VARCHAR(40);
