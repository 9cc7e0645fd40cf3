package org.ldrtestbed.routes.messagelog;

/**
 * Search terms for the message log; null terms match everything.
 *
 * @param afterSequence only entries logged after the one with this sequence number (0: from the start)
 */
public record MessageQuery(
        String nhsNumber,
        String flowCode,
        String journeyId,
        String messageId,
        Stage stage,
        int limit,
        long afterSequence) {

    public MessageQuery {
        limit = limit <= 0 ? 200 : Math.min(limit, 5000);
    }

    public MessageQuery(String nhsNumber, String flowCode, String journeyId, String messageId, Stage stage, int limit) {
        this(nhsNumber, flowCode, journeyId, messageId, stage, limit, 0);
    }

    /** A journey run's entries after the given one, as many as a query may return. */
    public static MessageQuery ofRunAfter(String journeyId, long afterSequence) {
        return new MessageQuery(null, null, journeyId, null, null, 5000, afterSequence);
    }
}
