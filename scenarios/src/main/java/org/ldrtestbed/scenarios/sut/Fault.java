package org.ldrtestbed.scenarios.sut;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a reference system misbehaves on purpose, so that a conformance report can be shown to catch it. The names are
 * the command line's ({@code --faulty wrong-patient}); each system documents what a fault means for its role.
 */
public enum Fault {
    /** Behaves correctly. */
    NONE("none"),
    /** Acts on another patient than the one it was given (NHS number {@value #WRONG_NHS_NUMBER}). */
    WRONG_PATIENT("wrong-patient"),
    /** Produces a message the standard refuses. */
    INVALID("invalid"),
    /** Does nothing visible: never answers, or never sends. */
    SILENCE("silence"),
    /** A receiver that is down: 503 every time. Does not apply to a sender. */
    SERVER_ERROR("5xx"),
    /** Does the right thing, too late. */
    LATE("late");

    /** The synthetic patient a {@link #WRONG_PATIENT} system names (999 range, Modulus 11 valid; no journey's). */
    public static final String WRONG_NHS_NUMBER = "9990000131";

    private final String cliName;

    Fault(String cliName) {
        this.cliName = cliName;
    }

    /** The name on the command line. */
    public String cliName() {
        return cliName;
    }

    /** The fault a command-line name names; refused with the allowed names. */
    public static Fault named(String name) {
        return Arrays.stream(values())
                .filter(f -> f.cliName.equals(name))
                .findFirst()
                .orElseThrow(
                        () -> new IllegalArgumentException("Unknown fault '" + name + "'; allowed: " + allowedNames()));
    }

    /** The names on the command line, comma separated. */
    public static String allowedNames() {
        return Arrays.stream(values()).map(Fault::cliName).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
