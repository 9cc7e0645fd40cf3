package org.ldrtestbed.routes.sut;

import java.util.List;
import org.ldrtestbed.routes.contract.SutExchange;

/** Where exchanges with systems under test are kept, in the order they happened. */
public interface SutExchanges {

    /** Keeps an exchange (its sequence is ignored); returns it with the sequence it was given. */
    SutExchange record(SutExchange exchange);

    /** A run's exchanges after {@code afterSequence}, oldest first. */
    List<SutExchange> ofRun(String run, long afterSequence);

    /**
     * Notes, before an attempt goes out, that a run's system under test was given the message: a crash in mid-attempt
     * records no exchange, yet after a restart the message must not be filed in the shared record instead.
     */
    default void sending(String run, String messageId) {}

    /** Whether {@link #sending} was noted for the message. */
    default boolean wasSent(String run, String messageId) {
        return false;
    }

    /** Keeps nothing: for a host that has no store of exchanges. */
    static SutExchanges none() {
        return new SutExchanges() {
            @Override
            public SutExchange record(SutExchange exchange) {
                return exchange;
            }

            @Override
            public List<SutExchange> ofRun(String run, long afterSequence) {
                return List.of();
            }
        };
    }
}
