package org.ldrtestbed.routes.messagelog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** Waiting on a run's message log entries: answered on an append of that run, or empty at the timeout. */
class MessageLogFeedTest {

    /** Long enough never to pass while the test runs: a waiter that returns was woken, not timed out. */
    private static final Duration LONG = Duration.ofMinutes(2);

    private final InMemoryLog log = new InMemoryLog();
    private final MessageLogFeed feed = new MessageLogFeed(log);
    private final ExecutorService waiter = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        waiter.shutdownNow();
    }

    @Test
    void entriesAlreadyLoggedAfterTheGivenOneAreAnsweredAtOnce() throws Exception {
        feed.record(Stage.RECEIVED, headers("run-a", "m1"), null);
        feed.record(Stage.DELIVERED, headers("run-a", "m1"), null);

        List<MessageLogEntry> all = feed.awaitEntries("run-a", 0, LONG);
        List<MessageLogEntry> later = feed.awaitEntries("run-a", all.getFirst().sequence(), LONG);

        assertThat(all).extracting(MessageLogEntry::stage).containsExactly(Stage.RECEIVED, Stage.DELIVERED);
        assertThat(later).extracting(MessageLogEntry::stage).containsExactly(Stage.DELIVERED);
    }

    @Test
    void aWaiterIsAnsweredAsSoonAsItsRunLogsAnEntry() throws Exception {
        feed.record(Stage.RECEIVED, headers("run-a", "m1"), null);
        long seen = log.last();
        Future<List<MessageLogEntry>> waiting = waiter.submit(() -> feed.awaitEntries("run-a", seen, LONG));
        log.searchedOnce.await(30, TimeUnit.SECONDS);

        feed.record(Stage.DELIVERED, headers("run-a", "m1"), "filed");

        assertThat(waiting.get(60, TimeUnit.SECONDS))
                .extracting(MessageLogEntry::stage, MessageLogEntry::detail)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Stage.DELIVERED, "filed"));
    }

    @Test
    void nothingLoggedMeansAnEmptyAnswerOnceTheWaitHasPassed() throws Exception {
        feed.record(Stage.RECEIVED, headers("run-a", "m1"), null);

        assertThat(feed.awaitEntries("run-a", log.last(), Duration.ofMillis(100)))
                .isEmpty();
        assertThat(feed.awaitEntries("run-b", 0, Duration.ZERO)).isEmpty();
    }

    @Test
    void anotherRunsEntriesAreNeitherAnsweredNorEndTheWait() throws Exception {
        Future<List<MessageLogEntry>> waiting = waiter.submit(() -> feed.awaitEntries("run-a", 0, LONG));
        log.searchedOnce.await(30, TimeUnit.SECONDS);

        feed.record(Stage.RECEIVED, headers("run-b", "m2"), null);
        feed.record(Stage.RECEIVED, headers(null, "m3"), null);
        feed.record(Stage.RECEIVED, headers("run-a", "m4"), null);

        assertThat(waiting.get(60, TimeUnit.SECONDS))
                .extracting(MessageLogEntry::messageId)
                .containsExactly("m4");
    }

    @Test
    void anEntryLoggedInATransactionIsToldOnceTheTransactionHasCommitted() throws Exception {
        Future<List<MessageLogEntry>> waiting = waiter.submit(() -> feed.awaitEntries("run-a", 0, LONG));
        log.searchedOnce.await(30, TimeUnit.SECONDS);
        List<TransactionSynchronization> registered;
        TransactionSynchronizationManager.initSynchronization();
        try {
            // Like a source write's RECEIVED stage: invisible to readers until the write commits.
            feed.record(Stage.RECEIVED, headers("run-a", "m1"), null);
            registered = TransactionSynchronizationManager.getSynchronizations();
        } finally {
            TransactionSynchronizationManager.clearSynchronization();
        }

        registered.forEach(s -> s.afterCompletion(TransactionSynchronization.STATUS_COMMITTED));

        // Told before the commit, the waiter would have read nothing and waited on, never told again.
        assertThat(waiting.get(60, TimeUnit.SECONDS))
                .extracting(MessageLogEntry::messageId)
                .containsExactly("m1");
    }

    private static Map<String, Object> headers(String run, String messageId) {
        Map<String, Object> headers = new java.util.HashMap<>();
        headers.put(FlowHeaders.MESSAGE_ID, messageId);
        headers.put(FlowHeaders.FLOW, "discharge-summary");
        if (run != null) {
            headers.put(FlowHeaders.JOURNEY, run);
        }
        return headers;
    }

    /** The log's contract without a database: entries in order, searched by run and sequence. */
    private static final class InMemoryLog implements MessageLog {
        private final List<MessageLogEntry> entries = new ArrayList<>();
        final CountDownLatch searchedOnce = new CountDownLatch(1);

        @Override
        public void record(Stage stage, Map<String, Object> headers, String detail) {
            MessageLogEntry entry = entry(stage, headers, detail);
            if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                    @Override
                    public void afterCompletion(int status) {
                        if (status == STATUS_COMMITTED) {
                            add(entry);
                        }
                    }
                });
            } else {
                add(entry);
            }
        }

        private synchronized void add(MessageLogEntry entry) {
            entries.add(entry);
        }

        private static long next = 1;

        private static synchronized MessageLogEntry entry(Stage stage, Map<String, Object> headers, String detail) {
            return new MessageLogEntry(
                    next++,
                    (String) headers.get(FlowHeaders.MESSAGE_ID),
                    (String) headers.get(FlowHeaders.FLOW),
                    stage,
                    null,
                    (String) headers.get(FlowHeaders.JOURNEY),
                    null,
                    null,
                    detail,
                    Instant.now(),
                    null);
        }

        @Override
        public List<MessageLogEntry> search(MessageQuery query) {
            List<MessageLogEntry> found;
            synchronized (this) {
                found = entries.stream()
                        .filter(e ->
                                query.journeyId() == null || query.journeyId().equals(e.journeyId()))
                        .filter(e -> e.sequence() > query.afterSequence())
                        .toList();
            }
            searchedOnce.countDown();
            return found;
        }

        synchronized long last() {
            return entries.getLast().sequence();
        }
    }
}
