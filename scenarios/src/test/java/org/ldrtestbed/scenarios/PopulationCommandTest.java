package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code testbed population} generates, prints counts, boots nothing, and says replay is not there yet. */
class PopulationCommandTest {

    @Test
    void printsTheCountsOfAGeneratedPopulationAndSaysItIsGenerationOnly() {
        CommandOutcome outcome =
                CommandOutcome.execute("population", "--residents", "20000", "--days", "365", "--seed", "1");

        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(outcome.out())
                .contains("population oxfordshire: 20000 residents, 365 days, seed 1 (generation only; replay not yet)")
                .contains("residents: 20000")
                .contains("locality Oxford City")
                .contains("events copd-exacerbation:");
        for (String template : new String[] {
            "copd-exacerbation", "frailty-fall", "end-of-life", "diabetes-emergency", "child-ed-attendance"
        }) {
            String block = block(outcome.out(), template);
            int events = count(block, "events " + template + ": (\\d+)");
            int admitted = count(block, "\\badmitted\\s+(\\d+)");
            int pathways = 0;
            for (int p = 0; p <= 3; p++) {
                // The summary lists every pathway a template has, 0 included; the child's template has pathway 0 only.
                if (block.contains("discharge-pathway-" + p)) {
                    pathways += count(block, "discharge-pathway-" + p + "\\s+(\\d+)");
                }
            }
            assertThat(events).as(template).isPositive();
            assertThat(admitted).as(template).isPositive().isLessThanOrEqualTo(events);
            assertThat(pathways)
                    .as(template + ": every admission reaches exactly one pathway")
                    .isEqualTo(admitted);
            assertThat(count(block, "medically-optimised-for-discharge\\s+(\\d+)"))
                    .isEqualTo(admitted);
        }
        // Every COPD exacerbation in the template is admitted.
        String copd = block(outcome.out(), "copd-exacerbation");
        assertThat(count(copd, "\\badmitted\\s+(\\d+)")).isEqualTo(count(copd, "events copd-exacerbation: (\\d+)"));
    }

    @Test
    void theSameSeedPrintsTheSameAndAnotherSeedOtherwise() {
        String once = CommandOutcome.execute("population", "--residents", "5000", "--days", "365", "--seed", "3")
                .out();
        String twice = CommandOutcome.execute("population", "--residents", "5000", "--days", "365", "--seed", "3")
                .out();
        String other = CommandOutcome.execute("population", "--residents", "5000", "--days", "365", "--seed", "4")
                .out();
        assertThat(twice).isEqualTo(once);
        assertThat(other.substring(other.indexOf('\n'))).isNotEqualTo(once.substring(once.indexOf('\n')));
    }

    @Test
    void tooManyResidentsIsBadInputBeforeAnythingIsDrawn() {
        CommandOutcome outcome = CommandOutcome.execute("population", "--residents", "900000");
        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains("--residents must be between 1 and 800000");
        assertThat(outcome.out()).isEmpty();
    }

    @Test
    void theHelpSaysGenerationOnly() {
        CommandOutcome outcome = CommandOutcome.execute("population", "--help");
        assertThat(outcome.out()).contains("Generation only; replay not yet");
    }

    /** The lines of one template: its events line and the indented counts under it. */
    private static String block(String out, String template) {
        Matcher m =
                Pattern.compile("(?m)^events " + template + ": .*\\n(  .*\\n)*").matcher(out);
        assertThat(m.find()).as(template + " in\n" + out).isTrue();
        return m.group();
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
