package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The transport faults a receiver shows before doing any work ({@code 5xx}, {@code silence}) and the pause of a late
 * one. A held request is let go when the system closes, so that closing never waits on a request held for ever.
 */
final class Hold {

    /** Longer than any client waits: a silent system "never" answers. */
    private static final Duration FOR_EVER = Duration.ofHours(1);

    private final CountDownLatch closed = new CountDownLatch(1);

    /** Fails ({@code 5xx}) or stalls ({@code silence}) the request; returns for any other fault. */
    void failOrStall(Fault fault) {
        switch (fault) {
            case SERVER_ERROR ->
                throw new UnclassifiedServerFailureException(
                        503, "Service unavailable: this reference system is faulty on purpose (--faulty 5xx)");
            case SILENCE -> {
                pause(FOR_EVER);
                throw new UnclassifiedServerFailureException(503, "Closing: a silent request let go");
            }
            default -> {}
        }
    }

    /** Waits {@code delay}, or until the system closes. */
    void pause(Duration delay) {
        try {
            closed.await(delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void release() {
        closed.countDown();
    }
}
