package org.ldrtestbed.routes.contract;

import java.time.Instant;

/**
 * One exchange with a system under test, kept as it went over the wire so that a conformance check can judge it
 * later: what the testbed sent a receiving system and what it answered, or what a sending system sent the testbed
 * and the acknowledgement it got. Listed per run at {@code /testbed/runs/{run}/exchanges}.
 *
 * @param sequence order of logging, for following a run ({@code after})
 * @param run the journey run it belongs to; null when it could not be matched to one
 * @param system the system's name from the run's bindings; null for a sender the run did not bind
 * @param flow flow code (null for a message no flow carries)
 * @param messageId the flow message's id (the message log's), or null
 * @param direction {@code to-sut} or {@code from-sut}
 * @param transport one of {@link SystemUnderTest#TRANSPORTS}
 * @param endpoint where it went: the URL posted to, the MLLP peer, or the MESH mailbox
 * @param nhsNumber the patient's NHS number, as the message says
 * @param request the message as sent (FHIR JSON, HL7v2 ER7)
 * @param status the answer's HTTP status; null for MLLP or when nothing answered
 * @param response the answer as received (an OperationOutcome or resource, an HL7v2 ACK), or null
 * @param location for a FHIR create, the Location the system answered; for MESH, the mailbox message id; or null
 * @param error why nothing usable came back (connection refused, timeout), or null
 * @param at when it happened, on the run's clock
 * @param recordedAt when the testbed kept it, on the server's own clock: how long a system took to answer is measured
 *     on it, since the run's clock jumps with the journey's steps; null before it is kept (and for rows kept before
 *     it was)
 */
public record SutExchange(
        long sequence,
        String run,
        String system,
        String flow,
        String messageId,
        String direction,
        String transport,
        String endpoint,
        String nhsNumber,
        String request,
        Integer status,
        String response,
        String location,
        String error,
        Instant at,
        Instant recordedAt) {

    /** An exchange not yet kept. */
    public SutExchange(
            long sequence,
            String run,
            String system,
            String flow,
            String messageId,
            String direction,
            String transport,
            String endpoint,
            String nhsNumber,
            String request,
            Integer status,
            String response,
            String location,
            String error,
            Instant at) {
        this(
                sequence, run, system, flow, messageId, direction, transport, endpoint, nhsNumber, request, status,
                response, location, error, at, null);
    }

    public static final String TO_SUT = "to-sut";
    public static final String FROM_SUT = "from-sut";
}
