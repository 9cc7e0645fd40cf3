package org.ldrtestbed.scenarios.population;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;
import org.ldrtestbed.scenarios.journey.JourneySource;
import org.ldrtestbed.scenarios.journey.SchemaCheckedYaml;
import org.ldrtestbed.scenarios.population.JourneyTemplate.Actor;
import org.ldrtestbed.scenarios.population.JourneyTemplate.AttributeType;
import org.ldrtestbed.scenarios.population.JourneyTemplate.Choice;
import org.ldrtestbed.scenarios.population.JourneyTemplate.Condition;
import org.ldrtestbed.scenarios.population.JourneyTemplate.State;
import org.ldrtestbed.scenarios.population.JourneyTemplate.Transition;

/**
 * Reads journey templates: YAML checked against {@code population/template.schema.json}, then for what a schema
 * cannot say (states that exist, probabilities that add up to 1, no loops, no patient left without a way out,
 * attributes the template declares). Every problem names file, line and field.
 */
public final class TemplateLoader {

    public static final String SCHEMA_LOCATION = "population/template.schema.json";

    /** The COPD exacerbation template shipped with the testbed. */
    public static final String COPD_EXACERBATION = location("copd-exacerbation");

    /** Where the shipped template with id {@code template} lives on the classpath (a county's events name it). */
    public static String location(String template) {
        return "population/templates/" + template + ".template.yaml";
    }

    private static final SchemaCheckedYaml FILES = new SchemaCheckedYaml(SCHEMA_LOCATION, "a journey template");

    /** Probabilities written to two or three decimals add up to 1 within this. */
    private static final double PROBABILITY_SLACK = 1e-9;

    /** Loads a template from the classpath. */
    public JourneyTemplate loadResource(String location) {
        try (InputStream in = TemplateLoader.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                throw new IllegalArgumentException("No journey template on the classpath at " + location);
            }
            return load(location, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads a template from its text; {@code file} names it in error messages. */
    public JourneyTemplate load(String file, String text) {
        SchemaCheckedYaml.Checked checked = FILES.read(file, text);
        ObjectNode root = checked.root();
        JourneySource source = checked.source();
        List<Problem> problems = new ArrayList<>();

        Map<String, AttributeType> attributes = new LinkedHashMap<>();
        root.path("attributes")
                .fields()
                .forEachRemaining(e -> attributes.put(
                        e.getKey(), AttributeType.valueOf(e.getValue().asText().toUpperCase(Locale.ROOT))));

        Map<String, State> states = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.path("states").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String at = "/states/" + e.getKey();
            states.put(e.getKey(), state(e.getKey(), e.getValue(), at, attributes, source, problems));
        }

        String start = root.path("start").asText();
        if (!states.containsKey(start)) {
            problems.add(problem(source, "/start", "no state named " + start));
        }
        for (State state : states.values()) {
            for (int t = 0; t < state.next().size(); t++) {
                List<Choice> choices = state.next().get(t).choices();
                for (int c = 0; c < choices.size(); c++) {
                    String to = choices.get(c).to();
                    if (!states.containsKey(to)) {
                        String transition = "/states/" + state.id() + "/next/" + t;
                        // A lone `to` sits on the transition; a branch's inside its `choose` item.
                        String pointer = transition
                                + (root.at(transition + "/choose").isMissingNode() ? "" : "/choose/" + c) + "/to";
                        problems.add(problem(source, pointer, "no state named " + to));
                    }
                }
            }
        }
        if (problems.isEmpty()) {
            checkAcyclicAndReachable(start, states, source, problems);
        }
        if (!problems.isEmpty()) {
            problems.sort((a, b) -> Integer.compare(a.line(), b.line()));
            throw new JourneyFormatException(problems);
        }
        return new JourneyTemplate(
                root.path("template").asText(),
                root.path("title").asText(),
                root.path("pathway").asText(),
                Optional.ofNullable(root.path("condition").textValue()),
                attributes,
                start,
                states,
                source);
    }

    private State state(
            String id,
            JsonNode node,
            String at,
            Map<String, AttributeType> attributes,
            JourneySource source,
            List<Problem> problems) {
        JsonNode actor = node.path("actor");
        Optional<String> organisation =
                Optional.ofNullable(actor.path("organisation").textValue());
        organisation
                .filter(o -> o.startsWith("{{"))
                .map(o -> o.substring(2, o.length() - 2))
                .filter(name -> attributes.get(name) != AttributeType.STRING)
                .ifPresent(name -> problems.add(problem(
                        source,
                        at + "/actor/organisation",
                        "the organisation comes from attribute " + name
                                + ", which the template does not declare as a string")));
        List<String> marks = new ArrayList<>();
        node.path("marks").forEach(m -> marks.add(m.asText()));
        List<Transition> next = new ArrayList<>();
        JsonNode transitions = node.path("next");
        for (int t = 0; t < transitions.size(); t++) {
            String tAt = at + "/next/" + t;
            JsonNode transition = transitions.get(t);
            List<Condition> when = new ArrayList<>();
            JsonNode conditions = transition.path("when");
            for (int c = 0; c < conditions.size(); c++) {
                condition(conditions.get(c), tAt + "/when/" + c, attributes, source, problems)
                        .ifPresent(when::add);
            }
            if (when.isEmpty() && t < transitions.size() - 1) {
                problems.add(problem(
                        source, tAt, "a transition without `when` always applies: the ones after it are never taken"));
            }
            if (!when.isEmpty() && t == transitions.size() - 1) {
                problems.add(problem(
                        source,
                        tAt + "/when",
                        "the last transition must have no `when`, so that every patient has a way out of " + id));
            }
            List<Choice> choices = new ArrayList<>();
            if (transition.has("choose")) {
                JsonNode choose = transition.path("choose");
                double sum = 0;
                for (int c = 0; c < choose.size(); c++) {
                    JsonNode choice = choose.get(c);
                    sum += choice.path("probability").asDouble();
                    choices.add(new Choice(
                            choice.path("probability").asDouble(),
                            choice.path("to").asText(),
                            distribution(choice.path("after"), tAt + "/choose/" + c + "/after", source, problems)));
                }
                if (Math.abs(sum - 1) > PROBABILITY_SLACK) {
                    problems.add(problem(source, tAt + "/choose", "the probabilities add up to " + sum + ", not 1"));
                }
            } else {
                choices.add(new Choice(
                        1,
                        transition.path("to").asText(),
                        distribution(transition.path("after"), tAt + "/after", source, problems)));
            }
            next.add(new Transition(when, choices));
        }
        return new State(
                id, node.path("title").asText(), new Actor(actor.path("role").asText(), organisation), marks, next);
    }

    private Optional<Condition> condition(
            JsonNode node,
            String at,
            Map<String, AttributeType> attributes,
            JourneySource source,
            List<Problem> problems) {
        String attribute = node.path("attribute").asText();
        AttributeType type = attributes.get(attribute);
        if (type == null) {
            problems.add(problem(source, at + "/attribute", "the template declares no attribute " + attribute));
            return Optional.empty();
        }
        if (node.has("at-least") || node.has("below")) {
            if (type != AttributeType.INTEGER) {
                problems.add(problem(
                        source,
                        at,
                        attribute + " is " + type.name().toLowerCase(Locale.ROOT)
                                + ": only an integer attribute compares with at-least or below"));
                return Optional.empty();
            }
            return Optional.of(
                    node.has("at-least")
                            ? new Condition.AtLeast(
                                    attribute, node.path("at-least").asLong())
                            : new Condition.Below(attribute, node.path("below").asLong()));
        }
        JsonNode value = node.path("equals");
        boolean fits = switch (type) {
            case INTEGER -> value.isIntegralNumber();
            case BOOLEAN -> value.isBoolean();
            case STRING -> value.isTextual();
        };
        if (!fits) {
            problems.add(problem(
                    source,
                    at + "/equals",
                    attribute + " is " + type.name().toLowerCase(Locale.ROOT) + ", so it never equals " + value));
            return Optional.empty();
        }
        Object expected = switch (type) {
            case INTEGER -> value.asLong();
            case BOOLEAN -> value.asBoolean();
            case STRING -> value.asText();
        };
        return Optional.of(new Condition.EqualTo(attribute, expected));
    }

    private Distribution distribution(JsonNode node, String at, JourneySource source, List<Problem> problems) {
        return switch (node.path("distribution").asText()) {
            case "fixed" -> new Distribution.Fixed(duration(node, "value"));
            case "uniform" -> {
                Duration min = duration(node, "min");
                Duration max = duration(node, "max");
                if (max.compareTo(min) < 0) {
                    problems.add(problem(source, at + "/max", "max " + max + " is below min " + min));
                    yield new Distribution.Fixed(min);
                }
                yield new Distribution.Uniform(min, max);
            }
            case "exponential" -> new Distribution.Exponential(duration(node, "mean"));
            case "lognormal" ->
                new Distribution.LogNormal(
                        duration(node, "median"), node.path("sigma").asDouble());
            default -> throw new IllegalStateException("the schema admits no distribution " + node);
        };
    }

    private static Duration duration(JsonNode node, String field) {
        return Duration.parse(node.path(field).asText());
    }

    /** A loop would let an expansion run for ever; a state no path reaches is a mistake in the file. */
    private static void checkAcyclicAndReachable(
            String start, Map<String, State> states, JourneySource source, List<Problem> problems) {
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        visit(start, states, done, onPath, source, problems);
        for (String id : states.keySet()) {
            if (!done.contains(id)) {
                problems.add(problem(source, "/states/" + id, "no path from " + start + " reaches " + id));
            }
        }
    }

    private static void visit(
            String id,
            Map<String, State> states,
            Set<String> done,
            Set<String> onPath,
            JourneySource source,
            List<Problem> problems) {
        if (done.contains(id)) {
            return;
        }
        onPath.add(id);
        for (Transition t : states.get(id).next()) {
            for (Choice c : t.choices()) {
                if (onPath.contains(c.to())) {
                    problems.add(problem(
                            source, "/states/" + id + "/next", "goes back to " + c.to() + ": templates may not loop"));
                } else {
                    visit(c.to(), states, done, onPath, source, problems);
                }
            }
        }
        onPath.remove(id);
        done.add(id);
    }

    private static Problem problem(JourneySource source, String pointer, String message) {
        JourneyFormatException e = source.error(pointer, message);
        return e.problems().get(0);
    }
}
