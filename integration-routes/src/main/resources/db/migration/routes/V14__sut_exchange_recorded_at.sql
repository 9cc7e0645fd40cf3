-- When the testbed kept each exchange, on the server's own clock: the run's clock (exchanged_at) jumps with the
-- journey's steps, so how long a system took to answer (a MESH acknowledgement, say) is measured on this one.
ALTER TABLE ldr_sut_exchange ADD COLUMN recorded_at TIMESTAMP WITH TIME ZONE;
