package org.ldrtestbed.routes;

/**
 * A flow's delivery: what the simulated receiver does with the flow's wire message (files it in its record, posts it
 * to a national service...). It must be idempotent, as a message may be delivered again after a failure.
 *
 * @param <M> the wire message the flow's translator produces
 */
@FunctionalInterface
public interface FlowDelivery<M> {

    /**
     * Delivers the message; returns what was applied, for the message log.
     *
     * @throws org.ldrtestbed.routes.delivery.InvalidMessageException when the receiver can never accept it
     */
    String deliver(M message);
}
