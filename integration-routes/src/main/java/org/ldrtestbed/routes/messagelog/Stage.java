package org.ldrtestbed.routes.messagelog;

/** Where a flow message is in its life. */
public enum Stage {
    /**
     * Accepted from the source: for a write to the shared record, recorded in the flow outbox in the write's own
     * transaction (the relay then puts it on the flow's durable queue); for HL7v2, put on the queue before the ACK.
     */
    RECEIVED,
    /** Translated into what the recipient's record is given. */
    TRANSFORMED,
    /** Applied to the recipient's record (or recognised there as already applied). */
    DELIVERED,
    /** One delivery attempt failed; the message will be tried again. */
    FAILED,
    /** Given up on: moved to the dead-letter queue with its reason. */
    DEAD_LETTERED,
    /** A dead-lettered message sent again, as a new message linked to it. */
    REPLAYED
}
