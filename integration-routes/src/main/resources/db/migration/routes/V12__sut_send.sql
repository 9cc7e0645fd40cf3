-- The messages a flow gave to a run's system under test, noted before the first attempt went out (JdbcSutExchanges):
-- a crash in mid-attempt leaves no exchange, yet the message must not be filed in the shared record after a restart.
CREATE TABLE ldr_sut_send (
    run_id VARCHAR(128) NOT NULL,
    message_id VARCHAR(64) NOT NULL,
    PRIMARY KEY (run_id, message_id)
);
