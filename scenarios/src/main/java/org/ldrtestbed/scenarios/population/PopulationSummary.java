package org.ldrtestbed.scenarios.population;

import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts over a generated population: residents per locality, with each condition, events per template, and the
 * moments (discharge pathways…) each template's journeys reach. What {@code testbed population} prints while replay does not exist yet.
 */
public record PopulationSummary(
        int residents,
        Map<String, Integer> residentsByLocality,
        Map<String, Integer> residentsWithCondition,
        Map<String, Integer> eventsByTemplate,
        Map<String, Map<String, Integer>> marksByTemplate) {

    /** Expands every event with its template, as {@code templates} gives it by id. */
    public static PopulationSummary of(Population population, Map<String, JourneyTemplate> templates) {
        Map<String, Integer> byLocality = new TreeMap<>();
        Map<String, Integer> byCondition = new TreeMap<>();
        for (Resident r : population.residents()) {
            byLocality.merge(r.locality(), 1, Integer::sum);
            r.conditions().forEach(c -> byCondition.merge(c, 1, Integer::sum));
        }
        Map<String, Integer> byTemplate = new TreeMap<>();
        // Every moment a template can reach is listed, a pathway no one took with 0.
        Map<String, Map<String, Integer>> byMark = new TreeMap<>();
        for (JourneyTemplate t : templates.values()) {
            Map<String, Integer> marks = byMark.computeIfAbsent(t.id(), id -> new TreeMap<>());
            t.states().values().forEach(s -> s.marks().forEach(m -> marks.put(m, 0)));
        }
        for (TemplateEvent event : population.events()) {
            byTemplate.merge(event.template(), 1, Integer::sum);
            JourneyTemplate template = templates.get(event.template());
            if (template == null) {
                throw new IllegalArgumentException("No template " + event.template() + " for the county's events");
            }
            population.journey(event, template).visits().stream()
                    .flatMap(v -> v.marks().stream())
                    .forEach(m -> byMark.get(template.id()).merge(m, 1, Integer::sum));
        }
        return new PopulationSummary(population.residents().size(), byLocality, byCondition, byTemplate, byMark);
    }

    public void print(PrintStream out) {
        out.printf("residents: %d%n", residents);
        residentsByLocality.forEach((l, n) -> out.printf("  locality %-12s %d%n", l, n));
        residentsWithCondition.forEach((c, n) -> out.printf("  with %-16s %d%n", c, n));
        eventsByTemplate.forEach((t, n) -> {
            out.printf("events %s: %d%n", t, n);
            marksByTemplate.getOrDefault(t, Map.of()).forEach((m, k) -> out.printf("  %-34s %d%n", m, k));
        });
    }
}
