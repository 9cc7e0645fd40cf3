package org.ldrtestbed.fhirserver.contract;

/** Identifier and code systems of the testbed's own that a client reads or writes. */
public final class Systems {

    /**
     * A journey rerun against a server that already holds its patient follows a fresh synthetic NHS number; its
     * Patient carries the realm patient's NHS number under this system, so that patient's (and proxy's) token reaches
     * the rerun's record too. A testbed convention, not an NHS identifier.
     */
    public static final String STANDS_IN_FOR = "https://fhir.ldr-testbed.example/Id/stands-in-for-nhs-number";

    /** Code system of the reasons in the OperationOutcome a search result carries for what it left out. */
    public static final String DENIAL_REASONS = "https://fhir.ldr-testbed.example/CodeSystem/access-denial-reason";

    private Systems() {}
}
