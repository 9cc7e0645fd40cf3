package org.ldrtestbed.routes.sut;

import java.util.List;
import org.ldrtestbed.routes.contract.SutExchange;

/** Where exchanges with systems under test are kept, in the order they happened. */
public interface SutExchanges {

    /** Keeps an exchange (its sequence is ignored); returns it with the sequence it was given. */
    SutExchange record(SutExchange exchange);

    /** A run's exchanges after {@code afterSequence}, oldest first. */
    List<SutExchange> ofRun(String run, long afterSequence);

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
