package org.ldrtestbed.identity.access;

import java.util.List;

/**
 * The answer for one entry: allowed or not, and why. {@code overridden} names the rules emergency access set aside
 * (audited, and alerted to the privacy officer).
 */
public record AccessDecision(boolean allowed, Reason reason, String detail, List<Reason> overridden) {

    /** Why an entry was withheld, or which rule break-glass overrode. Codes appear in responses and reports. */
    public enum Reason {
        OTHER_PATIENT("other-patient"),
        NOT_GRANTED("not-granted"),
        SENSITIVE("sensitive"),
        ROLE("role"),
        NO_RELATIONSHIP("no-relationship"),
        DISSENT("dissent"),
        HELD("held"),
        /**
         * A publishing flow that shares only the records of patients their source has flagged (capability b: likely
         * to present to urgent care), and this patient is not flagged: a fact of the patient, never of an entry.
         */
        NOT_FLAGGED("not-flagged"),
        /** A change to an entry another organisation wrote: only the recording organisation changes its entries. */
        NOT_WRITER("not-writer"),
        /** A write that would move an entry into another patient's record. */
        MOVES_RECORD("moves-record"),
        /** A delete: clinical entries are corrected by marking them entered-in-error; only the admin deletes. */
        DELETE_REFUSED("delete-refused"),
        /** An operation the policy does not offer to this actor. */
        OPERATION("operation");

        private final String code;

        Reason(String code) {
            this.code = code;
        }

        public String code() {
            return code;
        }
    }

    public static AccessDecision allow() {
        return new AccessDecision(true, null, null, List.of());
    }

    public static AccessDecision allowOverriding(List<Reason> overridden) {
        return new AccessDecision(true, null, null, List.copyOf(overridden));
    }

    public static AccessDecision deny(Reason reason, String detail) {
        return new AccessDecision(false, reason, detail, List.of());
    }
}
