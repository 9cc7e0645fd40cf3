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
        int events = count(outcome.out(), "events copd-exacerbation: (\\d+)");
        int pathways = 0;
        for (int p = 0; p <= 3; p++) {
            pathways += count(outcome.out(), "discharge-pathway-" + p + "\\s+(\\d+)");
        }
        assertThat(events).isPositive();
        assertThat(pathways)
                .as("every exacerbation reaches exactly one pathway")
                .isEqualTo(events);
        assertThat(count(outcome.out(), "medically-optimised-for-discharge\\s+(\\d+)"))
                .isEqualTo(events);
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

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex + " in\n" + text).isTrue();
        return Integer.parseInt(m.group(1));
    }
}
