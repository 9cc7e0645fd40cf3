package org.ldrtestbed.routes.messagelog;

import java.time.Instant;

/**
 * One stage of one message.
 *
 * @param messageId the message's id, kept through retries; a replay gets a new id
 * @param replayOf for a replayed message, the id of the dead-lettered original
 * @param detail what happened (the resources created, the failure, the reason)
 * @param timelinessFrom when the event the flow's timeliness rule counts from happened, as the record says
 */
public record MessageLogEntry(
        long sequence,
        String messageId,
        String flowCode,
        Stage stage,
        String nhsNumber,
        String journeyId,
        String sourceOrganisation,
        String replayOf,
        String detail,
        Instant at,
        String timelinessFrom) {}
