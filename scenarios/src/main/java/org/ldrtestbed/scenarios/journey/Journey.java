package org.ldrtestbed.scenarios.journey;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.identity.contract.JourneyPeople;

/**
 * A patient's journey as test data: the steps in order, each an actor who sees (assertions) and does (writes).
 *
 * @param id stable kebab-case id
 * @param title what the journey shows
 * @param description longer narrative, optional
 * @param pathway care pathway, e.g. {@code copd}
 * @param start the simulated clock's origin
 * @param subject the patient followed
 * @param steps the steps, in the order they run
 * @param source where the journey was read from, with the line of every field, for error messages
 * @param notCovered capability code → why the journey does not cover it (the file's {@code not-covered}), in file
 *     order; empty when it says nothing
 * @param people the journey's own patient login, proxies and professionals (its {@code people}), registered with
 *     the server for each run; {@link JourneyPeople#NONE} when it declares none
 */
public record Journey(
        String id,
        String title,
        String description,
        String pathway,
        Instant start,
        Subject subject,
        List<Step> steps,
        JourneySource source,
        Map<String, String> notCovered,
        JourneyPeople people) {

    public Journey {
        people = people == null ? JourneyPeople.NONE : people;
        steps = List.copyOf(steps);
        notCovered = notCovered == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(notCovered));
    }

    /**
     * @param label the label of the write that creates the Patient
     * @param nhsNumber synthetic NHS number (999 range)
     */
    public record Subject(String label, String nhsNumber) {}
}
