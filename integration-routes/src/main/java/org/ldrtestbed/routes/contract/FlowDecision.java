package org.ldrtestbed.routes.contract;

/**
 * Whether a message is carried, and if not which switch held it back ({@code server}, the run's disabled flows:
 * {@code run}, or its deployment {@code profile}) and why.
 */
public record FlowDecision(boolean carried, String cause, String reason) {
    public static final String SERVER = "server";
    public static final String RUN = "run";
    public static final String PROFILE = "profile";
    public static final FlowDecision CARRIED = new FlowDecision(true, null, null);
}
