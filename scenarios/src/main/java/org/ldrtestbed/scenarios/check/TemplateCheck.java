package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every {@code {{...}}} template, in the order the runner fills them: a known expression, a directory entry that
 * exists, and a label written before it is used ({@code ref:} and the subject's {@code patient}). A step's
 * {@code sees} run before its {@code does}; inside one write or document its own labels may be used in any order.
 * Labels are also written twice at most once.
 */
final class TemplateCheck implements JourneyCheck {

    /** The engine's template syntax ({@code Templates}). */
    static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*([^{}]+?)\\s*}}");

    private static final Pattern TIME = Pattern.compile("now(?:([+-])(P[0-9A-Z.]+))?");
    private static final List<String> NAMES =
            List.of("patient", "patient.nhs-number", "run", "actor.practitioner", "actor.organisation", "now");
    private static final List<String> KINDS = List.of("ref", "org", "location", "practitioner", "date", "hl7");
    private static final String WRITE = "write";
    private static final String SEND_DOCUMENT = "send-document";

    private final References references;

    TemplateCheck(References references) {
        this.references = references;
    }

    @Override
    public void check(Tree journey, Findings findings) {
        new Run(journey, findings).check();
    }

    /** A label and where it is, relative to its action. */
    private record Labelled(String label, String pointer) {}

    /** One file's walk: the labels written so far. */
    private final class Run {
        private final Tree journey;
        private final Findings findings;
        private final String subjectLabel;
        private final Map<String, YamlDocument.Position> everyLabel = new LinkedHashMap<>();
        private final Map<String, YamlDocument.Position> written = new HashMap<>();

        Run(Tree journey, Findings findings) {
            this.journey = journey;
            this.findings = findings;
            this.subjectLabel = journey.root().at("/subject/label").asText(null);
        }

        void check() {
            JsonNode steps = journey.root().path("steps");
            collectEveryLabel(steps);
            for (int i = 0; i < steps.size(); i++) {
                JsonNode step = steps.get(i);
                String at = "/steps/" + i;
                Optional<Actors.Person> actor =
                        journey.actors().resolve(step.path("actor"), new java.util.ArrayList<>());
                JsonNode sees = step.path("sees");
                for (int j = 0; j < sees.size(); j++) {
                    for (String field : List.of("query", "where")) {
                        JsonNode value = sees.get(j).path(field);
                        if (value.isTextual()) {
                            templates(at + "/sees/" + j + "/" + field, value.asText(), Map.of(), actor, true);
                        }
                    }
                }
                JsonNode does = step.path("does");
                for (int j = 0; j < does.size(); j++) {
                    action(does.get(j), at + "/does/" + j, actor);
                }
            }
        }

        private void action(JsonNode action, String pointer, Optional<Actors.Person> actor) {
            String kind = Walk.kind(action);
            if (kind == null) {
                return;
            }
            JsonNode body = action.get(kind);
            String at = pointer + "/" + YamlDocument.escape(kind);
            Map<String, String> local = labels(action);
            Walk.strings(body, at, (p, text) -> {
                if (!p.endsWith("/title")) {
                    templates(p, text, local, actor, false);
                }
            });
            if (!kind.equals(WRITE)
                    && !kind.equals(SEND_DOCUMENT)
                    && body.path("label").isTextual()) {
                // Updates and the like name an entry written before, by its label.
                label(at + "/label", body.get("label").asText(), null, false);
            }
            if (kind.equals(SEND_DOCUMENT)) {
                // Only the stored document is bound; its entries' labels are local to it.
                if (body.path("label").isTextual()) {
                    write(body.get("label").asText(), at + "/label");
                }
            } else {
                labelList(action).forEach(l -> write(l.label(), pointer + l.pointer()));
            }
        }

        private void write(String label, String pointer) {
            YamlDocument.Position first =
                    written.putIfAbsent(label, findings.document().at(pointer));
            if (first != null) {
                findings.at(pointer, "label '" + label + "' is written twice (first at line " + first.line() + ")");
            }
        }

        private void collectEveryLabel(JsonNode steps) {
            for (int i = 0; i < steps.size(); i++) {
                JsonNode does = steps.get(i).path("does");
                for (int j = 0; j < does.size(); j++) {
                    String kind = Walk.kind(does.get(j));
                    if (kind == null) {
                        continue;
                    }
                    String action = "/steps/" + i + "/does/" + j;
                    labels(does.get(j))
                            .forEach((l, p) -> everyLabel.putIfAbsent(
                                    l, findings.document().at(action + p)));
                    JsonNode body = does.get(j).get(kind);
                    if (kind.equals(SEND_DOCUMENT) && body.path("label").isTextual()) {
                        everyLabel.putIfAbsent(
                                body.get("label").asText(),
                                findings.document().at("/steps/" + i + "/does/" + j + "/" + kind + "/label"));
                    }
                }
            }
        }

        /** The labels of an action's resources → their pointers (relative to the action for collection). */
        private Map<String, String> labels(JsonNode action) {
            Map<String, String> labels = new LinkedHashMap<>();
            labelList(action).forEach(l -> labels.putIfAbsent(l.label(), l.pointer()));
            return labels;
        }

        /** Each resource label of an action, repeats included. */
        private List<Labelled> labelList(JsonNode action) {
            List<Labelled> labels = new java.util.ArrayList<>();
            String kind = Walk.kind(action);
            if (kind == null) {
                return labels;
            }
            JsonNode resources = action.get(kind).path("resources");
            for (int k = 0; k < resources.size(); k++) {
                JsonNode label = resources.get(k).path("label");
                if (label.isTextual()) {
                    labels.add(new Labelled(
                            label.asText(), "/" + YamlDocument.escape(kind) + "/resources/" + k + "/label"));
                }
            }
            return labels;
        }

        private void templates(
                String pointer, String text, Map<String, String> local, Optional<Actors.Person> actor, boolean sees) {
            Matcher m = TEMPLATE.matcher(text);
            while (m.find()) {
                String problem = problem(m.group(1), local, actor, sees);
                if (problem != null) {
                    findings.in(pointer, m.group(), problem);
                }
            }
        }

        private String problem(
                String expression, Map<String, String> local, Optional<Actors.Person> actor, boolean sees) {
            if (expression.startsWith("date:") || expression.startsWith("hl7:")) {
                return time(expression.substring(expression.indexOf(':') + 1), expression);
            }
            if (expression.startsWith("now")) {
                return time(expression, expression);
            }
            switch (expression) {
                case "patient.nhs-number", "run":
                    return null;
                case "patient":
                    if (subjectLabel == null || local.containsKey(subjectLabel) || written.containsKey(subjectLabel)) {
                        return null;
                    }
                    return "{{patient}} is used before the Patient (label '" + subjectLabel + "') is written"
                            + later(subjectLabel, sees);
                case "actor.practitioner":
                    return actor.filter(a -> a.practitioner() == null)
                            .map(a -> "the actor (" + a.username() + ") has no practitioner entry in the directory")
                            .orElse(null);
                case "actor.organisation":
                    return actor.filter(a -> a.organisation() == null)
                            .map(a -> "the actor (" + a.username() + ") has no organisation")
                            .orElse(null);
                default:
                    break;
            }
            int colon = expression.indexOf(':');
            if (colon < 0) {
                return "unknown template {{" + expression + "}}" + DidYouMean.hint(expression, NAMES);
            }
            String kind = expression.substring(0, colon);
            String key = expression.substring(colon + 1);
            return switch (kind) {
                case "ref" -> local.containsKey(key) || written.containsKey(key) ? null : unwritten(key, sees);
                case "org" -> known(key, references.organisations(), "organisation", expression);
                case "location" -> known(key, references.locations(), "location (site or unit)", expression);
                case "practitioner" -> known(key, references.practitioners(), "practitioner", expression);
                default ->
                    "unknown template {{" + expression + "}}: no kind '" + kind + "'" + DidYouMean.hint(kind, KINDS);
            };
        }

        private String unwritten(String label, boolean sees) {
            if (!everyLabel.containsKey(label)) {
                return "no entry is labelled '" + label + "' in this journey"
                        + DidYouMean.hint(label, everyLabel.keySet());
            }
            return "'" + label + "' is used before it is written" + later(label, sees);
        }

        private String later(String label, boolean sees) {
            YamlDocument.Position at = everyLabel.get(label);
            String where = at == null ? "" : " (labelled at line " + at.line() + ")";
            return sees ? where + "; a step's sees are checked before its does" : where;
        }

        private void label(String pointer, String label, Map<String, String> local, boolean sees) {
            if (!written.containsKey(label) && (local == null || !local.containsKey(label))) {
                findings.at(pointer, unwritten(label, sees));
            }
        }

        private String known(String code, Set<String> codes, String what, String expression) {
            return codes.contains(code)
                    ? null
                    : "{{" + expression + "}}: no " + what + " '" + code + "' in the directory"
                            + DidYouMean.hint(code, codes);
        }

        private static String time(String time, String expression) {
            Matcher m = TIME.matcher(time);
            if (!m.matches()) {
                return "unknown time template {{" + expression + "}}: use now, now+P7D or now-PT2H";
            }
            if (m.group(2) != null) {
                try {
                    Duration.parse(m.group(2));
                } catch (RuntimeException e) {
                    return "'" + m.group(2) + "' in {{" + expression + "}} is not an ISO-8601 duration of days, hours,"
                            + " minutes or seconds (e.g. P7D, PT2H)";
                }
            }
            return null;
        }
    }
}
