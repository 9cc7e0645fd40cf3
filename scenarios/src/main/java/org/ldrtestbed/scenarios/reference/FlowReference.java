package org.ldrtestbed.scenarios.reference;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;

/**
 * The journey author's reference of what each flow files: the catalogue's facts (trigger, wire message, standard,
 * timeliness) beside what the flow's deliveries were seen to give the receiver when the shipped journeys were replayed
 * (resource types, identifier systems, codes, the text it writes). Rendered as {@code docs/flow-reference.md}; the
 * suite regenerates it from its replays and fails when the committed copy differs, so it cannot drift from the code.
 */
public final class FlowReference {

    /** A reference the delivery's log line names: {@code Task/12}, {@code Task/12/_history/2}. */
    private static final Pattern REFERENCE = Pattern.compile("\\b([A-Z][A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})");

    /** At most this many codes per resource type: beyond them the list is what journeys wrote, not the flow. */
    static final int MAX_CODES = 12;

    private final FhirContext fhirContext;
    /** flow code → resource type → what was seen. */
    private final Map<String, Map<String, Seen>> seen = new TreeMap<>();

    private final Map<String, Set<String>> journeys = new TreeMap<>();

    public FlowReference(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    /** What a delivery gave the receiver, for one resource type. */
    private static final class Seen {
        final Set<String> identifierSystems = new TreeSet<>();
        final Set<String> codes = new TreeSet<>();
        final Set<String> marks = new TreeSet<>();
        final Set<String> texts = new TreeSet<>();
    }

    /** The references a DELIVERED log entry's detail names (filed, published, pointed to), versionless. */
    public static List<String> referencesIn(String detail) {
        Set<String> references = new LinkedHashSet<>();
        if (detail != null) {
            Matcher m = REFERENCE.matcher(detail);
            while (m.find()) {
                references.add(m.group(1) + "/" + m.group(2));
            }
        }
        return new ArrayList<>(references);
    }

    /** Records that a delivery of {@code flow} in {@code journey} gave the receiver {@code resource}. */
    public void observe(String flow, String journey, IBaseResource resource) {
        journeys.computeIfAbsent(flow, k -> new TreeSet<>()).add(journey);
        if (!(resource instanceof Resource r)) {
            return;
        }
        Seen s = seen.computeIfAbsent(flow, k -> new TreeMap<>()).computeIfAbsent(r.fhirType(), k -> new Seen());
        FhirTerser terser = fhirContext.newTerser();
        // Identifier values are minted per run (UBRNs, prescription numbers): the text shows which, not its value.
        Map<String, String> minted = new TreeMap<>();
        for (Identifier identifier : terser.getAllPopulatedChildElementsOfType(r, Identifier.class)) {
            if (identifier.hasSystem()) {
                s.identifierSystems.add(identifier.getSystem());
                if (identifier.hasValue() && identifier.getValue().length() >= 6) {
                    String system = identifier.getSystem();
                    minted.put(identifier.getValue(), "{" + system.substring(system.lastIndexOf('/') + 1) + "}");
                }
            }
        }
        Set<Coding> marks = new java.util.HashSet<>();
        marks.addAll(r.getMeta().getTag());
        marks.addAll(r.getMeta().getSecurity());
        for (Coding coding : marks) {
            s.marks.add(describe(coding));
        }
        for (Coding coding : terser.getAllPopulatedChildElementsOfType(r, Coding.class)) {
            if (!marks.contains(coding) && coding.hasCode()) {
                s.codes.add(describe(coding));
            }
        }
        var definition = fhirContext.getResourceDefinition(r);
        for (String path : List.of("description", "title", "note.text", "statusReason.text", "code.text")) {
            if (definition.getChildByName(path.split("\\.")[0]) == null) {
                continue; // not an element of this resource type
            }
            terser.getValues(r, r.fhirType() + "." + path).forEach(v -> {
                String text = String.valueOf(((org.hl7.fhir.instance.model.api.IPrimitiveType<?>) v).getValue());
                for (Map.Entry<String, String> id : minted.entrySet()) {
                    text = text.replace(id.getKey(), id.getValue());
                }
                s.texts.add(path + ": " + text);
            });
        }
        if (r instanceof DomainResource d && d.hasText() && d.getText().hasDiv()) {
            s.texts.add("narrative (text.div)");
        }
    }

    /** The flows some replay delivered. */
    public Set<String> observedFlows() {
        return journeys.keySet();
    }

    /** The reference as Markdown: one section per catalogue flow, in catalogue order. */
    public String markdown(FlowCatalogue catalogue) {
        StringBuilder md = new StringBuilder();
        md.append("# What each flow files\n\n")
                .append("Generated by `ShippedJourneysIT` from the flow catalogue")
                .append(" (`integration-routes/src/main/resources/flows/catalogue.yaml`) and from what each flow's")
                .append(" deliveries gave the receiver when the shipped journeys were replayed. Do not edit by hand:")
                .append(" run `TESTBED_UPDATE_FLOW_REFERENCE=1 ./mvnw -B -pl scenarios -am verify")
                .append(" -Dit.test=ShippedJourneysIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false`.\n\n")
                .append("An assertion about a flow's effect searches for the resource type the receiver gets, by the")
                .append(" identifier systems and codes below; a `where` can check the text. Codes that come from the")
                .append(" journey's own entries are listed too (at most ")
                .append(MAX_CODES)
                .append(" per type).\n\n");
        for (SharingFlow flow : catalogue.flows()) {
            md.append("## `")
                    .append(flow.code())
                    .append("` — ")
                    .append(flow.title())
                    .append("\n\n");
            md.append("- **Capability** ").append(flow.capability()).append("; **from** ");
            md.append(String.join(", ", flow.sourceSettings()))
                    .append(" **to** ")
                    .append(flow.targetSetting());
            md.append("; delivered as the realm client `")
                    .append(flow.deliveredBy())
                    .append("`\n");
            md.append("- **Trigger** ").append(trigger(flow)).append("\n");
            md.append("- **Wire message** ").append(flow.messageShape()).append("\n");
            md.append("- **Standard** ").append(flow.standard()).append("\n");
            md.append("- **Timeliness** ")
                    .append(
                            flow.timeliness() == null
                                    ? "none"
                                    : flow.timeliness().toString())
                    .append(flow.timelinessFrom() == null ? "" : " from " + flow.timelinessFrom())
                    .append("\n");
            Set<String> by = journeys.getOrDefault(flow.code(), Set.of());
            md.append("- **Seen in** ")
                    .append(by.isEmpty() ? "no shipped journey" : String.join(", ", by))
                    .append("\n\n");
            Map<String, Seen> types = seen.getOrDefault(flow.code(), Map.of());
            if (types.isEmpty()) {
                md.append("No delivery named a resource.\n\n");
                continue;
            }
            md.append("| The receiver gets | Identifier systems | Codes | Marks (meta) | Text the flow writes |\n");
            md.append("|---|---|---|---|---|\n");
            types.forEach((type, s) -> md.append("| ")
                    .append(type)
                    .append(" | ")
                    .append(cell(s.identifierSystems, Integer.MAX_VALUE))
                    .append(" | ")
                    .append(cell(s.codes, MAX_CODES))
                    .append(" | ")
                    .append(cell(s.marks, Integer.MAX_VALUE))
                    .append(" | ")
                    .append(cell(s.texts, 6))
                    .append(" |\n"));
            md.append("\n");
        }
        return md.toString();
    }

    private static String trigger(SharingFlow flow) {
        if (!flow.trigger().hl7v2Events().isEmpty()) {
            return "HL7v2 " + String.join(", ", flow.trigger().hl7v2Events()) + " over MLLP";
        }
        String types = String.join(", ", flow.trigger().resourceTypes()) + " committed to the record";
        String criteria = flow.trigger().criteria();
        return criteria == null || criteria.isBlank()
                ? types
                : types + " where `" + criteria.replaceAll("\\s+", " ").trim() + "`";
    }

    private static String cell(Set<String> values, int max) {
        if (values.isEmpty()) {
            return "–";
        }
        List<String> shown =
                values.stream().limit(max).map(FlowReference::escape).toList();
        String more = values.size() > max ? "<br>… and " + (values.size() - max) + " more" : "";
        return String.join("<br>", shown) + more;
    }

    private static String escape(String text) {
        String oneLine = text.replaceAll("\\s+", " ").trim();
        if (oneLine.length() > 120) {
            oneLine = oneLine.substring(0, 117) + "…";
        }
        return oneLine.replace("|", "\\|");
    }

    private static String describe(Coding coding) {
        String code = (coding.hasSystem() ? coding.getSystem() + "|" : "") + coding.getCode();
        return coding.hasDisplay() ? "`" + code + "` " + coding.getDisplay() : "`" + code + "`";
    }
}
