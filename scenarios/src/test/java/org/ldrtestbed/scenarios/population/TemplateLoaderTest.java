package org.ldrtestbed.scenarios.population;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;

class TemplateLoaderTest {

    private final TemplateLoader loader = new TemplateLoader();

    /** A two-state template; tests break one line of it. */
    private static final String VALID = """
            template: sample
            format: 1
            title: Sample
            pathway: copd
            attributes:
              age: integer
              practice: string
            start: first
            states:
              first:
                title: First
                actor: {role: patient}
                next:
                  - when: [{attribute: age, at-least: 85}]
                    to: last
                    after: {distribution: fixed, value: PT1H}
                  - to: last
                    after: {distribution: lognormal, median: P2D, sigma: 0.5}
              last:
                title: Last
                actor: {role: gp, organisation: "{{practice}}"}
            """;

    /** VALID with one piece changed; refuses a change that does not apply, so no test passes by accident. */
    private static String valid(String from, String to) {
        assertThat(VALID).contains(from);
        return VALID.replace(from, to);
    }

    @Test
    void readsTheShippedCopdTemplate() {
        JourneyTemplate copd = loader.loadResource(TemplateLoader.COPD_EXACERBATION);

        assertThat(copd.id()).isEqualTo("copd-exacerbation");
        assertThat(copd.condition()).contains("copd");
        assertThat(copd.states())
                .containsKeys("medically-optimised", "pathway-0", "pathway-1", "pathway-2", "pathway-3");
        assertThat(copd.states().get("medically-optimised").marks())
                .containsExactly("medically-optimised-for-discharge");
        assertThat(copd.states()
                        .get("pathway-2")
                        .next()
                        .getFirst()
                        .choices()
                        .getFirst()
                        .after())
                .isEqualTo(new Distribution.LogNormal(Duration.ofDays(4), 0.6));
    }

    @Test
    void readsAValidTemplate() {
        JourneyTemplate t = loader.load("sample.template.yaml", VALID);
        assertThat(t.states().get("first").next()).hasSize(2);
        assertThat(t.states().get("first").next().getFirst().when())
                .containsExactly(new JourneyTemplate.Condition.AtLeast("age", 85));
    }

    @Test
    void anUnknownDistributionIsRefusedWithFileLineAndField() {
        String bad = valid("distribution: lognormal", "distribution: gamma");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .isInstanceOf(JourneyFormatException.class)
                .hasMessageContaining("bad.template.yaml:18: states.first.next[1].after.distribution:");
    }

    @Test
    void aDistributionMissingItsParameterIsRefused() {
        String bad = valid("median: P2D, ", "");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining("bad.template.yaml:18: states.first.next[1].after.median:");
    }

    @Test
    void aMisnamedFieldIsRefusedAtItsLine() {
        String bad = valid("    title: Last", "    titel: Last");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining("bad.template.yaml:20: states.last.titel:");
    }

    @Test
    void aTransitionToNoStateIsRefused() {
        String bad = valid(
                "      - to: last\n        after: {distribution: lognormal",
                "      - to: lost\n        after: {distribution: lognormal");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining("bad.template.yaml:17: states.first.next[1].to: no state named lost");
    }

    @Test
    void aBranchToNoStateIsRefusedAtItsLine() {
        String bad = valid(
                "      - to: last\n        after: {distribution: lognormal, median: P2D, sigma: 0.5}\n",
                "      - choose:\n"
                        + "          - {probability: 0.5, to: last, after: {distribution: fixed, value: PT1H}}\n"
                        + "          - {probability: 0.5, to: lost, after: {distribution: fixed, value: PT2H}}\n");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining("bad.template.yaml:19: states.first.next[1].choose[1].to: no state named lost");
    }

    @Test
    void probabilitiesThatDoNotAddUpToOneAreRefused() {
        String bad = valid(
                "      - to: last\n        after: {distribution: lognormal, median: P2D, sigma: 0.5}\n",
                "      - choose:\n"
                        + "          - {probability: 0.5, to: last, after: {distribution: fixed, value: PT1H}}\n"
                        + "          - {probability: 0.4, to: last, after: {distribution: fixed, value: PT2H}}\n");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining(
                        "bad.template.yaml:17: states.first.next[1].choose: the probabilities add up to 0.9");
    }

    @Test
    void aLastTransitionWithAConditionIsRefusedSoNoPatientIsStuck() {
        String bad = valid(
                "      - to: last\n        after: {distribution: lognormal",
                "      - when: [{attribute: age, below: 85}]\n        to: last\n        after: {distribution: lognormal");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining(
                        "bad.template.yaml:17: states.first.next[1].when: the last transition must have no `when`");
    }

    @Test
    void aConditionOnAnUndeclaredAttributeIsRefused() {
        String bad = valid("attribute: age, at-least", "attribute: frailty, at-least");
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining(
                        "bad.template.yaml:14: states.first.next[0].when[0].attribute: the template declares no attribute frailty");
    }

    @Test
    void aLoopIsRefused() {
        String bad = VALID + """
                    next:
                      - to: first
                        after: {distribution: fixed, value: PT1H}
                """;
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining("states.last.next: goes back to first: templates may not loop");
    }

    @Test
    void aStateNoPathReachesIsRefused() {
        String bad = VALID + """
              orphan:
                title: Orphan
                actor: {role: gp}
            """;
        assertThatThrownBy(() -> loader.load("bad.template.yaml", bad))
                .hasMessageContaining("bad.template.yaml:22: states.orphan: no path from first reaches orphan");
    }
}
