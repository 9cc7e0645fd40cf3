package org.ldrtestbed.routes.sut;

import org.ldrtestbed.routes.contract.SystemUnderTest;

/**
 * Sends a flow's wire message to a receiving system under test over one transport, keeping a {@link
 * org.ldrtestbed.routes.contract.SutExchange} of every attempt. As a {@link org.ldrtestbed.routes.FlowDelivery} does,
 * it throws for a failure: a transient one (no answer, a 5xx) is left to the route's retries, one that can never
 * succeed is an {@link org.ldrtestbed.routes.delivery.InvalidMessageException}.
 */
public interface SutTransport {

    /** The transport's name, one of {@link SystemUnderTest#TRANSPORTS}. */
    String name();

    /** Whether the transport can carry the flow's messages at all (MESH needs the flow's workflow id). */
    default boolean carries(String flow) {
        return true;
    }

    /**
     * Refuses a binding this transport must not take, naming why (a MESH mailbox of another organisation's, say).
     *
     * @throws IllegalArgumentException naming the binding
     */
    default void check(SystemUnderTest system) {}

    /**
     * Sends the message; returns what happened, for the message log.
     *
     * @param system the run's binding of the receiving system
     * @param message the message, with what identifies it in the run
     */
    String send(SystemUnderTest system, Outgoing message);

    /**
     * A message on its way to a system under test.
     *
     * @param run the journey run
     * @param flow flow code
     * @param messageId the message log's id of the message
     * @param nhsNumber the patient's NHS number
     * @param wire the message as it goes over the wire
     * @param sender ODS code of the sending organisation, or null when the message does not say
     */
    record Outgoing(String run, String flow, String messageId, String nhsNumber, String wire, String sender) {
        /** A message that does not say who sent it. */
        public Outgoing(String run, String flow, String messageId, String nhsNumber, String wire) {
            this(run, flow, messageId, nhsNumber, wire, null);
        }
    }

    /** A transient failure to reach a system under test: the route retries, then dead-letters. */
    final class SutUnavailableException extends java.io.UncheckedIOException {
        public SutUnavailableException(String message) {
            super(message, new java.io.IOException(message));
        }
    }
}
