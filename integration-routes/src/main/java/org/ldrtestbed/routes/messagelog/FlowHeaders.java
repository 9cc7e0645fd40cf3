package org.ldrtestbed.routes.messagelog;

/**
 * Headers every flow message carries on its queue (JMS property names, so Java identifiers). They identify the
 * message through retries, dead-lettering and replay, and feed the message log.
 */
public final class FlowHeaders {

    public static final String MESSAGE_ID = "LdrMessageId";
    public static final String FLOW = "LdrFlowCode";
    public static final String NHS_NUMBER = "LdrNhsNumber";
    public static final String JOURNEY = "LdrJourneyId";
    public static final String SOURCE_ORGANISATION = "LdrSourceOrganisation";
    /** When the event the flow's timeliness rule counts from happened, as the record says (ISO-8601). */
    public static final String TIMELINESS_FROM = "LdrTimelinessFrom";

    public static final String REPLAY_OF = "LdrReplayOf";
    public static final String DEAD_LETTER_REASON = "LdrDeadLetterReason";
    /** JMS message group: one patient's messages go to one consumer at a time, so they stay in order. */
    public static final String GROUP = "JMSXGroupID";
    /** When the source's write committed (epoch milliseconds): the start of a flow's latency. */
    public static final String COMMITTED_AT = "LdrCommittedAt";
    /**
     * When the source's write committed on its journey run's clock (epoch milliseconds; the wall clock for a write no
     * run's trusted client made): with {@link #COMMITTED_AT}, what puts the message's later stages on that clock.
     */
    public static final String RUN_CLOCK_AT = "LdrRunClockAt";

    private FlowHeaders() {}
}
