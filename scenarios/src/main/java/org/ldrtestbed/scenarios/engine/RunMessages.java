package org.ldrtestbed.scenarios.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A journey run's flow messages as the testbed's message log tells them, followed as they move: the engine waits on
 * the log (the server answers when the run's next entry is appended) instead of asking the record again and again.
 * A message the run has sent is settled once it is delivered or dead-lettered; a write a flow refused never becomes
 * one.
 */
final class RunMessages {

    private static final Set<String> TERMINAL = Set.of("DELIVERED", "DEAD_LETTERED");
    /** How long one request waits on the server (it holds a server thread meanwhile; the server allows 30 s). */
    private static final Duration ONE_WAIT = Duration.ofSeconds(20);

    private final MessageLogClient log;
    private final String runId;
    private long lastSequence;
    private boolean readable = true;
    /** Per message id: whether it is settled. */
    private final Map<String, Boolean> settled = new HashMap<>();
    /** The log's entries already taken, by sequence number. */
    private final Set<Long> seen = new java.util.HashSet<>();
    /** How far back a read looks for entries whose transaction committed after a later one's. */
    private static final long LATE_WINDOW = 200;

    RunMessages(MessageLogClient log, String runId) {
        this.log = log;
        this.runId = runId;
    }

    /** A settled message of one flow, as the log said it. */
    record Settled(String flowCode, String stage) {}

    /** False once the server has not answered: it offers no message log to wait on. */
    boolean readable() {
        return readable;
    }

    /**
     * Whether every message the run has sent so far is settled, as far as the log has been read. Every message a
     * write of the run starts is in the log before that write is answered, and a flow's own writes put the messages
     * they start in the log before the flow logs its delivery: read up to date, nothing in flight is missed.
     */
    boolean allSettled() {
        return readable && !settled.containsValue(false);
    }

    /** Reads what the log has said of the run since the last read, without waiting; the messages that settled. */
    List<Settled> catchUp() throws InterruptedException {
        return next(Duration.ZERO).orElse(List.of());
    }

    /**
     * Waits until the log says more of the run, or the deadline ({@link System#nanoTime()}) passes; returns the
     * messages that settled meanwhile (empty when none did, at the deadline, or when the log cannot be read).
     */
    List<Settled> awaitMore(long deadline) throws InterruptedException {
        while (readable) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return List.of();
            }
            Duration wait = Duration.ofNanos(Math.min(left, ONE_WAIT.toNanos()));
            Optional<List<Settled>> more = next(Duration.ofMillis(Math.max(1, wait.toMillis())));
            if (more.isPresent()) {
                return more.get();
            }
        }
        return List.of();
    }

    /** The settled messages among what is new, after waiting up to {@code wait}; empty when nothing was new. */
    private Optional<List<Settled>> next(Duration wait) throws InterruptedException {
        if (!readable) {
            return Optional.empty();
        }
        long before = lastSequence;
        Optional<JsonNode> entries = log.awaitEntries(runId, lastSequence, wait);
        if (entries.isEmpty()) {
            readable = false;
            return Optional.empty();
        }
        if (entries.get().isEmpty()) {
            return Optional.empty();
        }
        List<Settled> now = new ArrayList<>();
        take(entries.get(), now);
        // A sequence number is taken when an entry is written but seen when its transaction commits, so an entry
        // can become visible after one with a higher number: read back over the last ones once more.
        if (before > 0) {
            log.awaitEntries(runId, Math.max(0, before - LATE_WINDOW), Duration.ZERO)
                    .ifPresent(late -> take(late, now));
        }
        return Optional.of(now);
    }

    private void take(JsonNode entries, List<Settled> now) {
        for (JsonNode entry : entries) {
            long sequence = entry.path("sequence").asLong();
            if (!seen.add(sequence)) {
                continue;
            }
            lastSequence = Math.max(lastSequence, sequence);
            String stage = entry.path("stage").asText();
            boolean terminal = TERMINAL.contains(stage);
            settled.merge(entry.path("messageId").asText(), terminal, Boolean::logicalOr);
            if (terminal) {
                now.add(new Settled(entry.path("flowCode").asText(), stage));
            }
        }
    }
}
