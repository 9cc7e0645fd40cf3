package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * Every flow a journey names ({@code flows} of an assertion, {@code flow} of anything sent, wherever the schema puts
 * them) must be a flow of the catalogue; a misspelt one gets the nearest code as a hint.
 */
final class FlowCheck implements JourneyCheck {

    private final Set<String> codes;
    private final References references;

    FlowCheck(References references) {
        this.references = references;
        this.codes = references.flowCodes();
    }

    @Override
    public void check(Tree journey, Findings findings) {
        JsonNode steps = journey.root().path("steps");
        visit(steps, "/steps", findings);
        for (int i = 0; i < steps.size(); i++) {
            String organisation = steps.get(i).at("/actor/organisation").asText(null);
            JsonNode does = steps.get(i).path("does");
            for (int j = 0; j < does.size(); j++) {
                String at = "/steps/" + i + "/does/" + j;
                if (does.get(j).has("send-document")) {
                    document(does.get(j).get("send-document"), at + "/send-document", organisation, findings);
                } else if (does.get(j).has("send-hl7v2")) {
                    hl7v2(does.get(j).get("send-hl7v2"), at + "/send-hl7v2", findings);
                }
            }
        }
    }

    /** A document starts its flow only if the flow starts on a document, from the sender's care setting. */
    private void document(JsonNode send, String pointer, String organisation, Findings findings) {
        Optional<SharingFlow> flow =
                references.catalogue().flow(send.path("flow").asText());
        if (flow.isEmpty()) {
            return;
        }
        List<String> types =
                flow.get().trigger() == null ? List.of() : flow.get().trigger().resourceTypes();
        if (!types.contains("Bundle")) {
            findings.at(
                    pointer + "/flow",
                    "flow '" + flow.get().code() + "' is not started by a document"
                            + (types.isEmpty() ? "" : " (it starts on a write of " + String.join(", ", types) + ")"));
            return;
        }
        String setting = organisation == null ? null : references.settings().get(organisation);
        if (setting != null && !flow.get().sendsFrom(setting)) {
            findings.at(
                    pointer + "/flow",
                    "flow '" + flow.get().code() + "' carries documents from "
                            + String.join(", ", flow.get().sourceSettings()) + ", and " + organisation + " is "
                            + setting + ": the document would start nothing");
        }
    }

    /** An HL7v2 message starts its flow only if the flow starts on that message type (MSH-9). */
    private void hl7v2(JsonNode send, String pointer, Findings findings) {
        Optional<SharingFlow> flow =
                references.catalogue().flow(send.path("flow").asText());
        if (flow.isEmpty()) {
            return;
        }
        List<String> events =
                flow.get().trigger() == null ? List.of() : flow.get().trigger().hl7v2Events();
        if (events.isEmpty()) {
            findings.at(pointer + "/flow", "flow '" + flow.get().code() + "' is not started by HL7v2 messages");
            return;
        }
        String[] fields = send.path("message").asText().split("\\R", 2)[0].split("\\|", -1);
        if (fields.length > 8) {
            String[] parts = fields[8].split("\\^");
            String type = parts.length > 1 ? parts[0] + "^" + parts[1] : parts[0];
            if (!events.contains(type)) {
                findings.in(
                        pointer + "/message",
                        fields[8],
                        "flow '" + flow.get().code() + "' starts on " + String.join(", ", events) + ", not on " + type
                                + " (MSH-9)");
            }
        }
    }

    private void visit(JsonNode node, String pointer, Findings findings) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                String at = pointer + "/" + YamlDocument.escape(f.getKey());
                JsonNode value = f.getValue();
                if (f.getKey().equals("flow") && value.isTextual()) {
                    known(value.asText(), at, findings);
                } else if (f.getKey().equals("flows") && value.isArray()) {
                    for (int i = 0; i < value.size(); i++) {
                        if (value.get(i).isTextual()) {
                            known(value.get(i).asText(), at + "/" + i, findings);
                        }
                    }
                } else if (!f.getKey().equals("resource") && !f.getKey().equals("composition")) {
                    visit(value, at, findings); // FHIR resources may hold a "flow" of their own
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                visit(node.get(i), pointer + "/" + i, findings);
            }
        }
    }

    private void known(String code, String pointer, Findings findings) {
        if (!codes.contains(code)) {
            findings.at(
                    pointer,
                    "no flow '" + code + "' in the flow catalogue" + DidYouMean.hint(code, codes)
                            + " (testbed flows lists them)");
        }
    }
}
