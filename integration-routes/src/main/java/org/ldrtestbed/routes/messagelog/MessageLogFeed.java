package org.ldrtestbed.routes.messagelog;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The message log, telling those who wait on a journey run's messages when an entry of that run is appended, so they
 * are answered at once instead of asking again and again. An entry logged inside a transaction (a source write's
 * RECEIVED stage) is told once that transaction has ended, when a reader can see it.
 */
public final class MessageLogFeed implements MessageLog {

    private final MessageLog log;
    private final RunSignals signals = new RunSignals();

    public MessageLogFeed(MessageLog log) {
        this.log = log;
    }

    @Override
    public void record(Stage stage, Map<String, Object> headers, String detail) {
        log.record(stage, headers, detail);
        Object journey = headers.get(FlowHeaders.JOURNEY);
        if (journey != null) {
            signals.appended(journey.toString());
        }
    }

    @Override
    public List<MessageLogEntry> search(MessageQuery query) {
        return log.search(query);
    }

    /**
     * The run's entries logged after {@code afterSequence}: at once when there are some, else as soon as one is
     * appended, else none once {@code wait} has passed.
     */
    public List<MessageLogEntry> awaitEntries(String run, long afterSequence, Duration wait)
            throws InterruptedException {
        return signals.await(run, wait, () -> log.search(MessageQuery.ofRunAfter(run, afterSequence)));
    }
}
