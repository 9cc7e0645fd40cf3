package org.ldrtestbed.identity.audit;

import java.time.Instant;
import java.util.List;

/** Synthetic audit records for tests: NHS numbers from the 999 test range only. */
final class AuditRecords {

    static final String NHS_NUMBER = "9990000077";

    private AuditRecords() {}

    static AuditRecord read(String patientReference, String resourceReference) {
        return new AuditRecord(
                Instant.parse("2026-03-01T09:00:00Z"),
                "R",
                "read",
                resourceReference.substring(0, resourceReference.indexOf('/')),
                resourceReference,
                0,
                null,
                "gp.ashdown",
                List.of("gp"),
                "SYNG09",
                "900000000101",
                "R8000",
                "ldr-portal",
                "TREAT",
                null,
                patientReference,
                NHS_NUMBER,
                "req-1");
    }

    static AuditRecord search(String query) {
        return new AuditRecord(
                Instant.parse("2026-03-01T09:05:00Z"),
                "E",
                "search-type",
                "Observation",
                query,
                0,
                null,
                "paramedic.quinn",
                List.of("paramedic"),
                "SYNAM",
                null,
                "R8003",
                null,
                "ETREAT",
                null,
                null,
                null,
                null);
    }
}
