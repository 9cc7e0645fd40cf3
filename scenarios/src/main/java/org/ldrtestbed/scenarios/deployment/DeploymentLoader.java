package org.ldrtestbed.scenarios.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Organisation;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory.Site;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.scenarios.deployment.DeploymentProfile.Availability;
import org.ldrtestbed.scenarios.deployment.DeploymentProfile.Entry;
import org.ldrtestbed.scenarios.deployment.DeploymentProfile.Sender;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;
import org.ldrtestbed.scenarios.journey.JourneySource;
import org.ldrtestbed.scenarios.journey.SchemaCheckedYaml;

/**
 * Reads deployment profiles: YAML checked against {@code deployments/deployment.schema.json}, then against the flow
 * catalogue and the care-system directory (every flow, organisation and service must exist, a service within its
 * organisation). Every problem names file, line and field, as for journeys.
 */
public final class DeploymentLoader {

    public static final String SCHEMA_LOCATION = "deployments/deployment.schema.json";

    private static final SchemaCheckedYaml FILES = new SchemaCheckedYaml(SCHEMA_LOCATION, "a deployment profile");

    private final FlowCatalogue catalogue;
    private final CareSystemDirectory directory;

    public DeploymentLoader(FlowCatalogue catalogue, CareSystemDirectory directory) {
        this.catalogue = catalogue;
        this.directory = directory;
    }

    /** With the testbed's own catalogue and directory. */
    public DeploymentLoader() {
        this(
                FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                CareSystemDirectory.load("classpath:directory/oxfordshire.yaml"));
    }

    public DeploymentProfile load(Path file) {
        try {
            return load(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read deployment profile " + file, e);
        }
    }

    /** Loads a profile from its text; {@code file} names it in error messages. */
    public DeploymentProfile load(String file, String text) {
        SchemaCheckedYaml.Checked checked = FILES.read(file, text);
        JsonNode root = checked.root();
        JourneySource source = checked.source();
        List<Problem> problems = new ArrayList<>();
        Map<String, Entry> capabilities = entries(root.path("capabilities"), "/capabilities", source, problems);
        Map<String, Entry> flows = entries(root.path("flows"), "/flows", source, problems);
        for (String code : flows.keySet()) {
            if (catalogue.flow(code).isEmpty()) {
                problems.add(problem(
                        source,
                        "/flows/" + code,
                        "no flow '" + code + "' in the flow catalogue (known: "
                                + catalogue.flows().stream().map(f -> f.code()).toList() + ")"));
            }
        }
        for (String letter : capabilities.keySet()) {
            if (catalogue.flows().stream().noneMatch(f -> f.capability().equals(letter))) {
                problems.add(problem(
                        source, "/capabilities/" + letter, "no flow of the catalogue serves capability " + letter));
            }
        }
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new JourneyFormatException(problems);
        }
        return new DeploymentProfile(
                root.path("deployment").asText(), root.path("title").asText(), file, capabilities, flows);
    }

    private Map<String, Entry> entries(JsonNode node, String at, JourneySource source, List<Problem> problems) {
        Map<String, Entry> entries = new LinkedHashMap<>();
        node.fields().forEachRemaining(field -> {
            String pointer = at + "/" + field.getKey();
            JsonNode value = field.getValue();
            List<Sender> senders = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            JsonNode list = value.path("senders");
            for (int i = 0; i < list.size(); i++) {
                JsonNode s = list.get(i);
                String where = pointer + "/senders/" + i;
                String ods = s.path("organisation").asText();
                String service = s.has("service") ? s.get("service").asText() : null;
                if (!seen.add(ods + "/" + service)) {
                    problems.add(problem(
                            source,
                            where,
                            "sender " + ods + (service == null ? "" : " " + service) + " is named twice"));
                }
                Optional<Organisation> organisation = directory.organisation(ods);
                if (organisation.isEmpty()) {
                    problems.add(problem(
                            source,
                            where + "/organisation",
                            "no organisation " + ods + " in the care-system directory"));
                    continue;
                }
                Set<String> covers = new LinkedHashSet<>();
                if (service != null) {
                    covers.addAll(servicesOf(organisation.get(), service));
                    if (covers.isEmpty()) {
                        problems.add(problem(
                                source,
                                where + "/service",
                                "no site or unit " + service + " of " + ods + " in the care-system directory"));
                        continue;
                    }
                }
                senders.add(new Sender(ods, service, covers, availability(s)));
            }
            entries.put(field.getKey(), new Entry(availability(value), senders));
        });
        return entries;
    }

    /** A site's code with its units' codes, or a unit's own code; empty when the organisation has no such service. */
    private static Set<String> servicesOf(Organisation organisation, String code) {
        Set<String> covers = new LinkedHashSet<>();
        for (Site site : organisation.sites()) {
            if (site.ods().equals(code)) {
                covers.add(code);
                site.units().forEach(u -> covers.add(u.code()));
            }
            site.units().stream().filter(u -> u.code().equals(code)).forEach(u -> covers.add(code));
        }
        return covers;
    }

    private static Availability availability(JsonNode node) {
        return new Availability(
                node.path("status").asText(), text(node, "by"), text(node, "planned"), text(node, "note"));
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }

    private static Problem problem(JourneySource source, String pointer, String message) {
        return new Problem(source.file(), source.lineOf(pointer), JourneyFormatException.field(pointer), message);
    }
}
