package org.ldrtestbed.routes.messagelog;

/** Search terms for the message log; null terms match everything. */
public record MessageQuery(
        String nhsNumber, String flowCode, String journeyId, String messageId, Stage stage, int limit) {

    public MessageQuery {
        limit = limit <= 0 ? 200 : Math.min(limit, 5000);
    }
}
