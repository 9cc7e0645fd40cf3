package org.ldrtestbed.scenarios.population;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ldrtestbed.scenarios.journey.JourneySource;

/**
 * A care journey as data: states, who acts in each, and how the next state and the delay to it are drawn. Read by
 * {@link TemplateLoader}; expanded per patient by {@link TemplateExpansion}. Templates are acyclic (the loader
 * refuses a loop), so every expansion ends.
 *
 * @param id stable kebab-case id
 * @param pathway care pathway, as journeys name it (e.g. {@code copd})
 * @param condition the long-term condition a resident needs for this template's events, if any
 * @param attributes the patient attributes the template reads → their type
 * @param start the first state
 * @param states by id, in file order
 * @param source where it was read from, for error messages
 */
public record JourneyTemplate(
        String id,
        String title,
        String pathway,
        Optional<String> condition,
        Map<String, AttributeType> attributes,
        String start,
        Map<String, State> states,
        JourneySource source) {

    public JourneyTemplate {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        states = Collections.unmodifiableMap(new LinkedHashMap<>(states));
    }

    public enum AttributeType {
        INTEGER,
        BOOLEAN,
        STRING
    }

    /**
     * @param organisation a directory code, or {@code {{attribute}}} resolved from the patient
     */
    public record Actor(String role, Optional<String> organisation) {}

    /**
     * @param marks the moments this state records, which system measures read
     * @param next transitions tried in order; empty for a final state
     */
    public record State(String id, String title, Actor actor, List<String> marks, List<Transition> next) {
        public State {
            marks = List.copyOf(marks);
            next = List.copyOf(next);
        }
    }

    /** One way out of a state: taken when all of {@code when} hold, to one of {@code choices}. */
    public record Transition(List<Condition> when, List<Choice> choices) {
        public Transition {
            when = List.copyOf(when);
            choices = List.copyOf(choices);
        }
    }

    /** A branch: with {@code probability}, go to {@code to} after a delay drawn from {@code after}. */
    public record Choice(double probability, String to, Distribution after) {}

    /** A test on one patient attribute. */
    public sealed interface Condition {
        String attribute();

        boolean holds(Object value);

        record AtLeast(String attribute, long bound) implements Condition {
            @Override
            public boolean holds(Object value) {
                return ((Number) value).longValue() >= bound;
            }
        }

        record Below(String attribute, long bound) implements Condition {
            @Override
            public boolean holds(Object value) {
                return ((Number) value).longValue() < bound;
            }
        }

        record EqualTo(String attribute, Object expected) implements Condition {
            @Override
            public boolean holds(Object value) {
                return expected.equals(value instanceof Number n ? n.longValue() : value);
            }
        }
    }
}
