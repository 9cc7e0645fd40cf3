package org.ldrtestbed.scenarios.conformance;

import java.util.List;

/**
 * One check of one system under test: what it showed for one capability in one exchange of a journey.
 *
 * @param check {@code transport}, {@code acknowledgement}, {@code content}, {@code filed}, {@code timeliness} or
 *     {@code downstream} (what a professional could then see)
 * @param step the journey step it was made in
 * @param verdict PASS, FAIL, BLOCKED (could not be made: what it needed never came) or NOT_TESTED
 * @param issues validation findings behind the verdict, each located
 */
public record ConformanceCheck(
        String system,
        String journey,
        String capability,
        String flow,
        String check,
        String step,
        String verdict,
        String reason,
        List<FhirValidation.Issue> issues) {

    public static final String PASS = "PASS";
    public static final String FAIL = "FAIL";
    public static final String BLOCKED = "BLOCKED";
    public static final String NOT_TESTED = "NOT_TESTED";

    public ConformanceCheck {
        issues = issues == null ? List.of() : List.copyOf(issues);
    }

    /** The verdict of several: any FAIL fails, then any BLOCKED blocks, then any PASS passes; else not tested. */
    public static String worst(List<String> verdicts) {
        for (String v : List.of(FAIL, BLOCKED, PASS)) {
            if (verdicts.contains(v)) {
                return v;
            }
        }
        return NOT_TESTED;
    }
}
