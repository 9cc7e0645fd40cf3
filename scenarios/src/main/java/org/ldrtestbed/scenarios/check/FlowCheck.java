package org.ldrtestbed.scenarios.check;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;

/**
 * Every flow a journey names ({@code flows} of an assertion, {@code flow} of anything sent, wherever the schema puts
 * them) must be a flow of the catalogue; a misspelt one gets the nearest code as a hint.
 */
final class FlowCheck implements JourneyCheck {

    private final Set<String> codes;

    FlowCheck(References references) {
        this.codes = references.flowCodes();
    }

    @Override
    public void check(Tree journey, Findings findings) {
        visit(journey.root().path("steps"), "/steps", findings);
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
