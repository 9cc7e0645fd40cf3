package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;
import org.ldrtestbed.scenarios.journey.Journey;
import org.ldrtestbed.scenarios.journey.JourneyCatalogue;
import org.ldrtestbed.scenarios.journey.Step;
import org.ldrtestbed.scenarios.report.JourneyResult;
import org.ldrtestbed.scenarios.report.JourneyResult.AssertionResult;
import org.ldrtestbed.scenarios.report.JourneyResult.Verdict;

/**
 * The governance assertions are honest: with the access policy (and its audit trail) switched off, every denial
 * ({@code expect: withheld}) and every look at the audit trail fails, nothing outside governance fails, and the
 * governance capability reports FAIL. Dot's and Mabel's journeys hold all of them.
 */
class AccessPolicyAblationIT {

    @Test
    void denialsAndAuditAssertionsFailWithTheAccessPolicyOff() throws Exception {
        Map<String, Object> properties = new HashMap<>(EmbeddedTestbed.accessControl(false));
        try (TestDatabase database = TestDatabase.create()) {
            properties.putAll(database.springProperties());
            try (EmbeddedTestbed testbed =
                    EmbeddedTestbed.start(Files.createTempDirectory("ldr-testbed-policy-off-"), Set.of(), properties)) {
                for (String id : new String[] {"dot", "mabel-end-of-life"}) {
                    Journey journey = new JourneyCatalogue().find(id).orElseThrow();
                    JourneyResult result = JourneyITSupport.replay(testbed, journey);

                    Set<String> failed = result.assertions()
                            .filter(a -> a.verdict() != Verdict.PASS)
                            .map(AssertionResult::id)
                            .collect(Collectors.toSet());
                    Set<String> governed = journey.steps().stream()
                            .flatMap(s -> s.sees().stream())
                            .filter(AccessPolicyAblationIT::dependsOnThePolicy)
                            .map(Step.Sees::id)
                            .collect(Collectors.toSet());
                    Set<String> governance = result.assertions()
                            .filter(a -> a.capabilities().contains("governance"))
                            .map(AssertionResult::id)
                            .collect(Collectors.toSet());

                    assertThat(governed)
                            .as(id + " has denials or audit assertions")
                            .isNotEmpty();
                    assertThat(failed)
                            .as(id + ": every denial and audit assertion fails")
                            .containsAll(governed);
                    assertThat(governance)
                            .as(id + ": only governance assertions fail")
                            .containsAll(failed);
                    assertThat(result.capabilityVerdicts().get("governance").verdict())
                            .isEqualTo(Verdict.FAIL);
                }
            }
        }
    }

    /** A denial, or a look at the audit trail: what only the access policy and its audit can make true. */
    private static boolean dependsOnThePolicy(Step.Sees sees) {
        return sees.expect().withheld() != null || sees.query().startsWith("AuditEvent");
    }
}
