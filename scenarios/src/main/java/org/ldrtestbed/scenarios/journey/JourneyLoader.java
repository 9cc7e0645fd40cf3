package org.ldrtestbed.scenarios.journey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;
import org.ldrtestbed.scenarios.journey.Step.Action;
import org.ldrtestbed.scenarios.journey.Step.Actor;
import org.ldrtestbed.scenarios.journey.Step.Expect;
import org.ldrtestbed.scenarios.journey.Step.LabelledResource;
import org.ldrtestbed.scenarios.journey.Step.Sees;

/**
 * Reads journey files: YAML, checked against {@code journeys/journey.schema.json} and then for what a schema cannot
 * say (unique ids, valid NHS number, parseable times). Every problem names file, line and field.
 */
public final class JourneyLoader {

    public static final String SCHEMA_LOCATION = "journeys/journey.schema.json";

    private static final SchemaCheckedYaml FILES = new SchemaCheckedYaml(SCHEMA_LOCATION, "a journey file");

    private final EvidenceRule evidence;

    /** A loader checking capability tags against the shipped flow catalogue. */
    public JourneyLoader() {
        this(FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION));
    }

    public JourneyLoader(FlowCatalogue flows) {
        this.evidence = new EvidenceRule(flows);
    }

    /** Loads a journey from a file on disk. */
    public Journey load(Path file) {
        try {
            return load(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read journey file " + file, e);
        }
    }

    /** Loads a journey from its text; {@code file} names it in error messages. */
    public Journey load(String file, String text) {
        SchemaCheckedYaml.Checked checked = FILES.read(file, text);
        return build(checked.root(), checked.source());
    }

    private Journey build(ObjectNode root, JourneySource source) {
        List<Problem> problems = new ArrayList<>();
        String nhsNumber = root.at("/subject/nhs-number").asText();
        if (!NhsNumber.isValid(nhsNumber)) {
            problems.add(
                    problem(source, "/subject/nhs-number", "NHS number " + nhsNumber + " fails the Modulus 11 check"));
        }
        Instant start = null;
        try {
            start = Instant.parse(root.path("start").asText());
        } catch (DateTimeParseException e) {
            problems.add(problem(source, "/start", "not an ISO-8601 instant (e.g. 2026-01-12T08:00:00Z)"));
        }
        Set<String> stepIds = new HashSet<>();
        Set<String> seesIds = new HashSet<>();
        List<Step> steps = new ArrayList<>();
        JsonNode stepNodes = root.path("steps");
        for (int i = 0; i < stepNodes.size(); i++) {
            JsonNode node = stepNodes.get(i);
            String at = "/steps/" + i;
            if (!stepIds.add(node.path("id").asText())) {
                problems.add(problem(
                        source, at + "/id", "step id '" + node.path("id").asText() + "' is used twice"));
            }
            JsonNode actor = node.path("actor");
            if (!actor.has("organisation") && !actor.has("user")) {
                problems.add(problem(source, at + "/actor", "an actor needs an organisation, or a user (patients)"));
            }
            List<Sees> sees = new ArrayList<>();
            JsonNode seesNodes = node.path("sees");
            for (int j = 0; j < seesNodes.size(); j++) {
                JsonNode s = seesNodes.get(j);
                if (!seesIds.add(s.path("id").asText())) {
                    problems.add(problem(
                            source,
                            at + "/sees/" + j + "/id",
                            "assertion id '" + s.path("id").asText() + "' is used twice"));
                }
                Duration wait = s.has("wait") ? Duration.parse(s.get("wait").asText()) : Duration.ZERO;
                if (wait.isZero() && !s.path("flows").isEmpty() && !isNegative(s.path("expect"))) {
                    // A flow is asynchronous: asserting its effect without waiting is a flaky test.
                    problems.add(
                            problem(
                                    source,
                                    at + "/sees/" + j + "/flows",
                                    "what a flow brings arrives asynchronously: give this assertion a wait (e.g. wait: PT30S)"));
                }
                JsonNode e = s.path("expect");
                Expect expect = new Expect(
                        integer(e, "count"),
                        integer(e, "min"),
                        integer(e, "max"),
                        e.has("withheld") ? e.get("withheld").asText() : null);
                for (EvidenceRule.Violation v : evidence.check(
                        strings(s.path("capabilities")), strings(s.path("flows")), expect.isNegative())) {
                    problems.add(problem(source, at + "/sees/" + j + "/" + v.field(), v.message()));
                }
                sees.add(new Sees(
                        j,
                        s.path("id").asText(),
                        s.path("title").asText(),
                        strings(s.path("capabilities")),
                        strings(s.path("flows")),
                        s.path("query").asText(),
                        s.has("where") ? s.get("where").asText() : null,
                        expect,
                        wait));
            }
            steps.add(new Step(
                    i,
                    node.path("id").asText(),
                    node.path("title").asText(),
                    node.has("description") ? node.get("description").asText() : null,
                    node.path("background").asBoolean(false),
                    Duration.parse(node.path("at").asText()),
                    new Actor(
                            actor.path("role").asText(),
                            actor.has("organisation")
                                    ? actor.get("organisation").asText()
                                    : null,
                            actor.has("user") ? actor.get("user").asText() : null),
                    strings(node.path("capabilities")),
                    actions(node.path("does"), source, at, seesIds, problems),
                    sees,
                    node.has("break-glass") ? node.get("break-glass").asText() : null));
        }
        if (!problems.isEmpty()) {
            throw new JourneyFormatException(problems);
        }
        return new Journey(
                root.path("journey").asText(),
                root.path("title").asText(),
                root.has("description") ? root.get("description").asText() : null,
                root.has("pathway") ? root.get("pathway").asText() : null,
                start,
                new Journey.Subject(root.at("/subject/label").asText(), nhsNumber),
                steps,
                source,
                notCovered(root.path("not-covered")),
                people(root.path("people"), nhsNumber));
    }

    /** The journey's own people; the patient and the proxies follow the subject's NHS number. */
    static JourneyPeople people(JsonNode node, String nhsNumber) {
        if (node.isMissingNode()) {
            return JourneyPeople.NONE;
        }
        JsonNode patient = node.path("patient");
        List<JourneyPeople.Proxy> proxies = new ArrayList<>();
        node.path("proxies")
                .forEach(p -> proxies.add(new JourneyPeople.Proxy(
                        p.path("user").asText(), p.path("relationship").asText(null), nhsNumber)));
        List<JourneyPeople.Professional> professionals = new ArrayList<>();
        node.path("professionals")
                .forEach(p -> professionals.add(new JourneyPeople.Professional(
                        p.path("user").asText(),
                        p.path("role").asText(),
                        p.path("organisation").asText(),
                        p.path("practitioner").asText(null))));
        return new JourneyPeople(
                patient.isMissingNode()
                        ? null
                        : new JourneyPeople.Patient(patient.path("user").asText(), nhsNumber),
                proxies,
                professionals);
    }

    private List<Action> actions(
            JsonNode does, JourneySource source, String stepAt, Set<String> assertionIds, List<Problem> problems) {
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < does.size(); i++) {
            JsonNode node = does.get(i);
            String at = stepAt + "/does/" + i;
            if (node.has("write")) {
                JsonNode w = node.get("write");
                actions.add(new Step.Write(
                        w.path("title").asText("write"),
                        resources(w.path("resources"), source, at + "/write", problems),
                        refusal(w, i, source, at + "/write", assertionIds, problems)));
            } else if (node.has("update")) {
                JsonNode u = node.get("update");
                String label = u.path("label").asText();
                actions.add(new Step.Update(
                        u.path("title").asText("update " + label),
                        label,
                        (ObjectNode) u.get("resource"),
                        refusal(u, i, source, at + "/update", assertionIds, problems)));
            } else if (node.has("patch")) {
                JsonNode p = node.get("patch");
                String label = p.path("label").asText();
                actions.add(new Step.Patch(
                        p.path("title").asText("patch " + label),
                        label,
                        (ArrayNode) p.get("operations"),
                        refusal(p, i, source, at + "/patch", assertionIds, problems)));
            } else if (node.has("send-hl7v2")) {
                JsonNode h = node.get("send-hl7v2");
                actions.add(new Step.SendHl7v2(
                        h.path("title").asText("send HL7v2"),
                        h.path("flow").asText(),
                        h.path("message").asText()));
            } else {
                JsonNode d = node.get("send-document");
                actions.add(new Step.SendDocument(
                        d.path("title").asText("send document"),
                        d.path("flow").asText(),
                        d.has("label") ? d.get("label").asText() : null,
                        (ObjectNode) d.get("composition"),
                        resources(d.path("resources"), source, at + "/send-document", problems),
                        refusal(d, i, source, at + "/send-document", assertionIds, problems)));
            }
        }
        return actions;
    }

    /** An action's {@code expect: {refused: ...}}: an assertion, so its id is unique and its tags obey the rule. */
    private Step.Refusal refusal(
            JsonNode action,
            int index,
            JourneySource source,
            String at,
            Set<String> assertionIds,
            List<Problem> problems) {
        JsonNode e = action.get("expect");
        if (e == null) {
            return null;
        }
        String id = e.path("id").asText();
        if (!assertionIds.add(id)) {
            problems.add(problem(source, at + "/expect/id", "assertion id '" + id + "' is used twice"));
        }
        String reason = e.path("refused").asText();
        Set<String> flows = strings(e.path("flows"));
        if (reason.equals(Step.Refusal.FLOW) && flows.isEmpty()) {
            problems.add(
                    problem(
                            source,
                            at + "/expect/flows",
                            "a flow's refusal names the flow that refuses the write (switching it off lets the write through)"));
        }
        // A policy's refusal does not depend on a flow: like a negative, it is governance.
        for (EvidenceRule.Violation v :
                evidence.check(strings(e.path("capabilities")), flows, !reason.equals(Step.Refusal.FLOW))) {
            problems.add(problem(source, at + "/expect/" + v.field(), v.message()));
        }
        return new Step.Refusal(
                index,
                id,
                e.has("title") ? e.get("title").asText() : null,
                reason,
                strings(e.path("capabilities")),
                flows);
    }

    private static List<LabelledResource> resources(
            JsonNode nodes, JourneySource source, String at, List<Problem> problems) {
        List<LabelledResource> resources = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode r = nodes.get(i);
            Duration recordedAt = null;
            if (r.has("recorded-at")) {
                try {
                    recordedAt = Duration.parse(r.get("recorded-at").asText());
                } catch (DateTimeParseException e) {
                    problems.add(problem(
                            source,
                            at + "/resources/" + i + "/recorded-at",
                            "not an ISO-8601 duration from the journey start (e.g. PT5M, -P2D)"));
                }
            }
            resources.add(new LabelledResource(
                    r.has("label") ? r.get("label").asText() : null, (ObjectNode) r.get("resource"), recordedAt));
        }
        return resources;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> values = new LinkedHashSet<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static boolean isNegative(JsonNode e) {
        return new Expect(
                        integer(e, "count"),
                        integer(e, "min"),
                        integer(e, "max"),
                        e.path("withheld").asText(null))
                .isNegative();
    }

    private static Map<String, String> notCovered(JsonNode node) {
        Map<String, String> reasons = new LinkedHashMap<>();
        node.properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asText()));
        return reasons;
    }

    private static Integer integer(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asInt() : null;
    }

    /** JSON pointer of every field and array item → the line it starts on. */
    public static Map<String, Integer> lineIndex(String text) {
        return SchemaCheckedYaml.lineIndex(text);
    }

    private static Problem problem(JourneySource source, String pointer, String message) {
        return new Problem(source.file(), source.lineOf(pointer), JourneyFormatException.field(pointer), message);
    }
}
