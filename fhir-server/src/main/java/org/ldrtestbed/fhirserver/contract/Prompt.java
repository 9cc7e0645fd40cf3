package org.ldrtestbed.fhirserver.contract;

import java.time.Instant;
import java.util.Map;

/**
 * What a journey run is waiting for a system under test to do, as the engine asks it: "send the admission of this
 * patient now". Shown in the console and the report, and served to the supplier's own automation at {@code GET
 * /testbed/prompts?system=NAME} (the engine puts and removes it at {@code /testbed/runs/{run}/prompts/{step}}).
 *
 * @param run the journey run; a sender puts it in the message (MSH-10 starts with it) so the message is matched to
 *     the run
 * @param step the journey step waiting
 * @param system the system under test's name, from the systems file
 * @param organisation ODS code of the organisation whose place it takes
 * @param flow the flow code its message belongs to
 * @param text the prompt for a person
 * @param facts what the message must say, by name (for an ADT event: {@code event}, {@code nhs-number}, {@code
 *     ward} …), for a system that acts on prompts by itself
 * @param example the message the testbed would have sent itself, for reference
 * @param at the step's instant on the run's clock (the event's time)
 * @param expires when the engine stops waiting (wall clock)
 */
public record Prompt(
        String run,
        String step,
        String system,
        String organisation,
        String flow,
        String text,
        Map<String, String> facts,
        String example,
        Instant at,
        Instant expires) {
    public Prompt {
        facts = facts == null ? Map.of() : Map.copyOf(facts);
    }
}
