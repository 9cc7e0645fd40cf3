package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.fhirserver.contract.Prompt;

/** A run's prompts: listed per run, served to their system while open, forgotten with the run. */
class PromptsTest {

    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private final Prompts prompts = new Prompts(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aSystemIsServedOnlyItsOwnOpenPromptsEarliestFirst() {
        prompts.put(prompt("run-1", "discharge", "acute-pas", "2026-03-02T12:00:00Z", NOW.plusSeconds(60)));
        prompts.put(prompt("run-1", "admit", "acute-pas", "2026-03-02T09:00:00Z", NOW.plusSeconds(60)));
        prompts.put(prompt("run-2", "admit", "acute-pas", "2026-03-02T09:30:00Z", NOW));
        prompts.put(prompt("run-2", "letter", "gp-system", "2026-03-02T09:30:00Z", null));

        // run-2's admission expires now: no longer open.
        assertThat(prompts.openFor("acute-pas")).extracting(Prompt::step).containsExactly("admit", "discharge");
        assertThat(prompts.openFor("acute-pas")).extracting(Prompt::run).containsExactly("run-1", "run-1");
        assertThat(prompts.openFor("gp-system")).extracting(Prompt::step).containsExactly("letter");
        assertThat(prompts.ofRun("run-2")).extracting(Prompt::step).containsExactly("admit", "letter");
    }

    @Test
    void aPromptIsReplacedRemovedAndForgottenWithItsRun() {
        prompts.put(prompt("run-1", "admit", "acute-pas", "2026-03-02T09:00:00Z", null));
        prompts.put(prompt("run-1", "admit", "acute-pas", "2026-03-02T09:05:00Z", null));
        prompts.put(prompt("run-1", "discharge", "acute-pas", "2026-03-02T12:00:00Z", null));

        assertThat(prompts.ofRun("run-1"))
                .extracting(Prompt::at)
                .first()
                .isEqualTo(Instant.parse("2026-03-02T09:05:00Z"));
        assertThat(prompts.remove("run-1", "admit")).isTrue();
        assertThat(prompts.remove("run-1", "admit")).isFalse();
        prompts.endRun("run-1");
        assertThat(prompts.ofRun("run-1")).isEmpty();
        assertThat(prompts.openFor("acute-pas")).isEmpty();
    }

    private static Prompt prompt(String run, String step, String system, String at, Instant expires) {
        return new Prompt(
                run,
                step,
                system,
                "SYNAC",
                "adt-notification",
                "Send it now",
                Map.of("nhs-number", "9990000077"),
                null,
                Instant.parse(at),
                expires);
    }
}
