package org.ldrtestbed.fhirserver.contract;

/** The HTTP headers a testbed client and the server agree on, beyond FHIR's own. */
public final class Headers {

    /** Names the journey run behind a request; the server carries it into the flows the request starts. */
    public static final String JOURNEY = "X-Ldr-Journey";

    /**
     * The journey's clock at this request (an ISO-8601 instant): what the request causes (audit events, flows, their
     * deliveries) is stamped on it. Believed only from the testbed's own client ({@code testbed-scenarios}).
     */
    public static final String SIMULATED_TIME = "X-Ldr-Simulated-Time";

    /** Asks for emergency access; its value is the reason, audited and alerted. */
    public static final String BREAK_GLASS_REASON = "X-Break-Glass-Reason";

    /**
     * Response header naming each care relationship the entries shown were allowed by, e.g. {@code
     * patient=Patient/12; organisation=SYNCM; kind=recorded; via=CareTeam.participant.member; event=CareTeam/13};
     * absent when none was needed or none was there.
     */
    public static final String CARE_RELATIONSHIP = "X-Care-Relationship";

    /**
     * Response header on a write the server's validation is set to warn for (per source, {@code
     * testbed.fhir-server.validation}): the validator's errors as an OperationOutcome in JSON, on one line.
     */
    public static final String VALIDATION = "X-Ldr-Validation";

    private Headers() {}
}
