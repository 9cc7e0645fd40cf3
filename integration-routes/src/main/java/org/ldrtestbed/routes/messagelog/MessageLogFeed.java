package org.ldrtestbed.routes.messagelog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The message log, telling those who wait on a journey run's messages when an entry of that run is appended, so they
 * are answered at once instead of asking again and again. An entry logged inside a transaction (a source write's
 * RECEIVED stage) is told once that transaction has ended, when a reader can see it.
 */
public final class MessageLogFeed implements MessageLog {

    private final MessageLog log;
    /** Runs someone is waiting on, each with its waiters and the appends told so far; gone when no one waits. */
    private final Map<String, Signal> waiting = new ConcurrentHashMap<>();

    public MessageLogFeed(MessageLog log) {
        this.log = log;
    }

    @Override
    public void record(Stage stage, Map<String, Object> headers, String detail) {
        log.record(stage, headers, detail);
        Object journey = headers.get(FlowHeaders.JOURNEY);
        if (journey == null || journey.toString().isEmpty()) {
            return;
        }
        String run = journey.toString();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    // Rolled back too: a waiter woken for nothing asks once and waits again.
                    appended(run);
                }
            });
        } else {
            appended(run);
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
        long deadline = System.nanoTime() + wait.toNanos();
        Signal signal = waiting.compute(run, (r, s) -> (s == null ? new Signal() : s).join());
        try {
            while (true) {
                long seen = signal.appends();
                // Read after noting the count: an append committed before it is in the read, one after wakes us.
                List<MessageLogEntry> entries = log.search(MessageQuery.ofRunAfter(run, afterSequence));
                if (!entries.isEmpty() || !signal.awaitAppendAfter(seen, deadline)) {
                    return entries;
                }
            }
        } finally {
            waiting.computeIfPresent(run, (r, s) -> s.leave() ? null : s);
        }
    }

    private void appended(String run) {
        Signal signal = waiting.get(run);
        if (signal != null) {
            signal.appended();
        }
    }

    /** One run's waiters and how many appends of it they have been told of. */
    private static final class Signal {
        private int waiters;
        private long appends;

        synchronized Signal join() {
            waiters++;
            return this;
        }

        /** True when the last waiter has left. */
        synchronized boolean leave() {
            return --waiters == 0;
        }

        synchronized long appends() {
            return appends;
        }

        synchronized void appended() {
            appends++;
            notifyAll();
        }

        /** Waits for an append beyond the {@code seen}-th until the deadline; false when none came. */
        synchronized boolean awaitAppendAfter(long seen, long deadline) throws InterruptedException {
            while (appends == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }
    }
}
