package org.ldrtestbed.scenarios.population;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One patient's journey drawn from a template: the states visited in order, when (from the journey's start), and
 * who acts.
 */
public record ExpandedJourney(String template, List<Visit> visits) {

    public ExpandedJourney {
        visits = List.copyOf(visits);
    }

    /**
     * @param organisation the acting organisation's directory code, when the template names one
     */
    public record Visit(
            String state, String title, Duration at, String role, Optional<String> organisation, List<String> marks) {
        public Visit {
            marks = List.copyOf(marks);
        }
    }

    /** The first visit that records {@code mark}, if any. */
    public Optional<Visit> marked(String mark) {
        return visits.stream().filter(v -> v.marks().contains(mark)).findFirst();
    }

    /** One line per visit ({@code at state role@organisation [marks]}): a stable text form to compare runs by. */
    public String render() {
        StringBuilder text = new StringBuilder();
        for (Visit v : visits) {
            text.append(v.at())
                    .append(' ')
                    .append(v.state())
                    .append(' ')
                    .append(v.role())
                    .append(v.organisation().map(o -> "@" + o).orElse(""))
                    .append(v.marks().isEmpty() ? "" : " " + v.marks())
                    .append('\n');
        }
        return text.toString();
    }
}
