package org.ldrtestbed.identity.audit;

import java.util.List;

/**
 * What {@link AuditTrail#verify()} found.
 *
 * @param checked how many stored events were checked
 * @param problems every change or removal found, in seq order
 */
public record AuditVerification(long checked, List<Problem> problems) {

    public AuditVerification {
        problems = List.copyOf(problems);
    }

    /** True when every event still matches its hash and none is missing. */
    public boolean intact() {
        return problems.isEmpty();
    }

    /**
     * One thing wrong with the trail.
     *
     * @param seq the changed event, or the first missing one
     * @param kind what went wrong
     * @param detail a sentence for the person reading the report
     */
    public record Problem(long seq, Kind kind, String detail) {}

    public enum Kind {
        /** The event's content no longer matches its hash. */
        CHANGED,
        /** Events are missing: a gap in seq, a broken link in the chain, or fewer events than the anchor records. */
        REMOVED
    }
}
