package org.ldrtestbed.fhirserver.validation;

/** What the server does with a source's write that base FHIR R4 validation finds errors in. */
public enum ValidationMode {
    /** Not validated. */
    OFF,
    /** Written, the errors answered in a response header and logged. */
    WARN,
    /** Refused (422, the errors as an OperationOutcome), nothing written. */
    REJECT
}
