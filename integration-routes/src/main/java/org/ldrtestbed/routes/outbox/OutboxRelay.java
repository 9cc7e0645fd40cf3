package org.ldrtestbed.routes.outbox;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the outbox's committed messages on their durable queues and marks them sent, on one thread of its own: woken
 * after each commit that added messages (the fast path), at start-up and every {@code interval} (recovery after a
 * crash, or after the broker refused a send). A crash between the send and the mark sends the message again; the
 * flows deliver idempotently, so at-least-once is enough.
 */
public final class OutboxRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final int BATCH = 100;

    private final FlowOutbox outbox;
    private final QueueSender sender;
    private final Duration interval;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("flow-outbox-relay").unstarted(r));
    private final AtomicBoolean woken = new AtomicBoolean();
    private final AtomicBoolean started = new AtomicBoolean();

    public OutboxRelay(FlowOutbox outbox, QueueSender sender, Duration interval) {
        this.outbox = outbox;
        this.sender = sender;
        this.interval = interval;
    }

    /** Puts a message on a queue, durably, before returning. */
    @FunctionalInterface
    public interface QueueSender {
        void send(String queue, String body, Map<String, Object> headers);
    }

    /** Starts relaying: what a previous life left in the outbox first, then every interval. */
    public void start() {
        if (started.compareAndSet(false, true)) {
            thread.scheduleWithFixedDelay(this::relayQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Asks for a relay soon: called after a transaction that added messages has committed. */
    public void wake() {
        if (started.get() && woken.compareAndSet(false, true)) {
            thread.execute(() -> {
                woken.set(false);
                relayQuietly();
            });
        }
    }

    /**
     * Sends every pending message, oldest first, until none is left.
     *
     * @return how many were sent
     */
    public int relay() {
        int sent = 0;
        while (true) {
            List<FlowOutbox.Pending> batch = outbox.pending(BATCH);
            for (FlowOutbox.Pending message : batch) {
                sender.send(message.queue(), message.body(), message.headers());
                outbox.markSent(message.sequence());
                sent++;
            }
            if (batch.size() < BATCH) {
                return sent;
            }
        }
    }

    private void relayQuietly() {
        try {
            relay();
        } catch (RuntimeException e) {
            // The messages stay pending; the next wake or interval tries again.
            log.warn("Could not relay flow messages from the outbox (will retry): {}", e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }
}
