package org.ldrtestbed.scenarios.population;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.ldrtestbed.scenarios.population.JourneyTemplate.AttributeType;
import org.ldrtestbed.scenarios.population.JourneyTemplate.Choice;
import org.ldrtestbed.scenarios.population.JourneyTemplate.State;
import org.ldrtestbed.scenarios.population.JourneyTemplate.Transition;

/** Walks a template for one patient: from its start state, drawing each branch and delay from the given stream. */
public final class TemplateExpansion {

    private TemplateExpansion() {}

    /**
     * @param attributes the patient's value for every attribute the template declares
     * @param random the patient's own stream (the same stream gives the same journey)
     * @throws IllegalArgumentException when an attribute is missing or of the wrong type
     */
    public static ExpandedJourney expand(
            JourneyTemplate template, Map<String, Object> attributes, RandomGenerator random) {
        checkAttributes(template, attributes);
        List<ExpandedJourney.Visit> visits = new ArrayList<>();
        State state = template.states().get(template.start());
        Duration at = Duration.ZERO;
        while (true) {
            visits.add(new ExpandedJourney.Visit(
                    state.id(),
                    state.title(),
                    at,
                    state.actor().role(),
                    state.actor().organisation().map(o -> resolve(o, attributes)),
                    state.marks()));
            Optional<Transition> taken = state.next().stream()
                    .filter(t -> t.when().stream().allMatch(c -> c.holds(attributes.get(c.attribute()))))
                    .findFirst();
            if (taken.isEmpty()) {
                return new ExpandedJourney(template.id(), visits);
            }
            Choice choice = choose(taken.get().choices(), random);
            at = at.plus(choice.after().sample(random));
            state = template.states().get(choice.to());
        }
    }

    private static Choice choose(List<Choice> choices, RandomGenerator random) {
        if (choices.size() == 1) {
            return choices.get(0);
        }
        double u = random.nextDouble();
        double cumulative = 0;
        for (Choice c : choices) {
            cumulative += c.probability();
            if (u < cumulative) {
                return c;
            }
        }
        // Probabilities add up to 1 within rounding; a draw in the rounding gap takes the last branch.
        return choices.get(choices.size() - 1);
    }

    private static String resolve(String organisation, Map<String, Object> attributes) {
        return organisation.startsWith("{{")
                ? (String) attributes.get(organisation.substring(2, organisation.length() - 2))
                : organisation;
    }

    private static void checkAttributes(JourneyTemplate template, Map<String, Object> attributes) {
        for (Map.Entry<String, AttributeType> declared : template.attributes().entrySet()) {
            Object value = attributes.get(declared.getKey());
            boolean fits = switch (declared.getValue()) {
                case INTEGER -> value instanceof Integer || value instanceof Long;
                case BOOLEAN -> value instanceof Boolean;
                case STRING -> value instanceof String;
            };
            if (!fits) {
                throw new IllegalArgumentException("Template " + template.id() + " needs attribute "
                        + declared.getKey() + " (" + declared.getValue().name().toLowerCase(Locale.ROOT)
                        + "), the patient has " + value);
            }
        }
    }
}
