package org.ldrtestbed.routes.messagelog;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Wakes those who wait on a journey run's appends (message log entries, exchanges with a system under test), so a
 * long poll is answered at once instead of asking again and again. An append made inside a transaction is told once
 * that transaction has ended, when a reader can see it.
 */
public final class RunSignals {

    /** Runs someone is waiting on, each with its waiters and the appends told so far; gone when no one waits. */
    private final Map<String, Signal> waiting = new ConcurrentHashMap<>();

    /** Tells the run's waiters of an append, now or when the current transaction ends. */
    public void appended(String run) {
        if (run == null || run.isEmpty()) {
            return;
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    // Rolled back too: a waiter woken for nothing asks once and waits again.
                    tell(run);
                }
            });
        } else {
            tell(run);
        }
    }

    /**
     * What {@code read} finds for the run: at once when it finds something, else as soon as the run has an append and
     * a read finds it, else nothing once {@code wait} has passed.
     */
    public <T> List<T> await(String run, Duration wait, Supplier<List<T>> read) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Signal signal = waiting.compute(run, (r, s) -> (s == null ? new Signal() : s).join());
        try {
            while (true) {
                long seen = signal.appends();
                // Read after noting the count: an append committed before it is in the read, one after wakes us.
                List<T> found = read.get();
                if (!found.isEmpty() || !signal.awaitAppendAfter(seen, deadline)) {
                    return found;
                }
            }
        } finally {
            waiting.computeIfPresent(run, (r, s) -> s.leave() ? null : s);
        }
    }

    private void tell(String run) {
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
