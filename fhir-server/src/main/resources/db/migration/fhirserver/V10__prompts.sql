-- What each journey run waits for its systems under test to do (Prompts): put when a step starts waiting, removed when
-- it has its answer or gives up, forgotten with the run; kept here so a server restarted during a run still shows
-- them. facts is the prompt's named facts as a JSON object; TEXT is a large text in H2 (CLOB) and PostgreSQL alike.
CREATE TABLE ldr_prompt (
    run_id VARCHAR(256) NOT NULL,
    step VARCHAR(256) NOT NULL,
    system_name VARCHAR(256) NOT NULL,
    organisation VARCHAR(64),
    flow VARCHAR(128),
    prompt_text TEXT,
    facts TEXT NOT NULL,
    example TEXT,
    step_at TIMESTAMP WITH TIME ZONE,
    expires TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_id, step)
);

CREATE INDEX ldr_prompt_system ON ldr_prompt (system_name);
