package org.ldrtestbed.scenarios.conformance;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The reference systems the testbed ships, and the faults each can be made to show. */
public final class ReferenceRoles {

    public static final String GP_PRACTICE = "gp-practice";
    public static final String ACUTE_PAS = "acute-pas";
    public static final String AMBULANCE_SERVICE = "ambulance-service";

    public static final List<String> FAULTS = List.of("none", "wrong-patient", "invalid", "silence", "5xx", "late");

    /** Per role, the faults that apply to it: a sender cannot answer 5xx. */
    public static final Map<String, Set<String>> FAULTS_OF = Map.of(
            GP_PRACTICE, Set.copyOf(FAULTS),
            AMBULANCE_SERVICE, Set.copyOf(FAULTS),
            ACUTE_PAS, Set.of("none", "wrong-patient", "invalid", "silence", "late"));

    private ReferenceRoles() {}
}
