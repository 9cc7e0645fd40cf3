package org.ldrtestbed.scenarios.conformance;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ldrtestbed.scenarios.sut.Fault;

/** The reference systems the testbed ships, and the faults each can be made to show. */
public final class ReferenceRoles {

    public static final String GP_PRACTICE = "gp-practice";
    public static final String ACUTE_PAS = "acute-pas";
    public static final String AMBULANCE_SERVICE = "ambulance-service";
    public static final String ACUTE_EPR = "acute-epr";

    /** Every role, as {@code reference:} and {@code reference-sut} name them. */
    public static final List<String> ROLES = List.of(GP_PRACTICE, AMBULANCE_SERVICE, ACUTE_PAS, ACUTE_EPR);

    /** The faults' names, as {@link Fault} has them. */
    public static final List<String> FAULTS =
            java.util.Arrays.stream(Fault.values()).map(Fault::cliName).toList();

    /** Per role, the faults that apply to it: a sender cannot answer 5xx (nor the EPR be late). */
    public static final Map<String, Set<String>> FAULTS_OF = Map.of(
            GP_PRACTICE,
            Set.copyOf(FAULTS),
            AMBULANCE_SERVICE,
            Set.copyOf(FAULTS),
            ACUTE_PAS,
            FAULTS.stream()
                    .filter(f -> !f.equals(Fault.SERVER_ERROR.cliName()))
                    .collect(java.util.stream.Collectors.toUnmodifiableSet()),
            ACUTE_EPR,
            org.ldrtestbed.scenarios.sut.ReferenceAcuteEpr.FAULTS.stream()
                    .map(Fault::cliName)
                    .collect(java.util.stream.Collectors.toUnmodifiableSet()));

    private ReferenceRoles() {}
}
