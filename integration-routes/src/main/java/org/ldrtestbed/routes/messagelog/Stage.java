package org.ldrtestbed.routes.messagelog;

/** Where a flow message is in its life. */
public enum Stage {
    /** Accepted from the source and put on the flow's durable queue. */
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
