package org.ldrtestbed.scenarios.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmFiles;
import org.ldrtestbed.identity.contract.Roles;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.scenarios.conformance.SystemsFile.Endpoint;
import org.ldrtestbed.scenarios.conformance.SystemsFile.FlowBinding;
import org.ldrtestbed.scenarios.conformance.SystemsFile.Reference;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;
import org.ldrtestbed.scenarios.journey.JourneyFormatException;
import org.ldrtestbed.scenarios.journey.JourneyFormatException.Problem;
import org.ldrtestbed.scenarios.journey.JourneySource;
import org.ldrtestbed.scenarios.journey.SchemaCheckedYaml;

/**
 * Reads systems files: YAML checked against {@code systems/systems.schema.json}, then against the directory (the
 * organisation exists), the catalogue (the flow exists, and the organisation's care setting is one the flow carries
 * messages from or to), the realm (a bound role is held by someone of the organisation) and {@code
 * systems/transports.yaml} (the testbed can play that part over that transport). Every problem names file, line and
 * field.
 */
public final class SystemsLoader {

    public static final String SCHEMA_LOCATION = "systems/systems.schema.json";
    public static final String TRANSPORTS_LOCATION = "systems/transports.yaml";
    public static final String SHIPPED = "systems/";
    public static final String SUFFIX = ".systems.yaml";

    private static final SchemaCheckedYaml FILES = new SchemaCheckedYaml(SCHEMA_LOCATION, "a systems file");

    private final FlowCatalogue catalogue;
    private final CareSystemDirectory directory;
    private final RealmDefinition realm;
    private final Map<String, Map<String, Part>> parts;

    /** What a system may do in a flow, in one direction. */
    record Part(List<String> transports, String reference) {}

    public SystemsLoader(FlowCatalogue catalogue, CareSystemDirectory directory, RealmDefinition realm) {
        this.catalogue = catalogue;
        this.directory = directory;
        this.realm = realm;
        this.parts = readParts();
    }

    /** With the testbed's own catalogue, directory and realm. */
    public SystemsLoader() {
        this(
                FlowCatalogue.load(FlowCatalogue.DEFAULT_LOCATION),
                CareSystemDirectory.load("classpath:directory/oxfordshire.yaml"),
                RealmFiles.load("classpath:identity/ldr-testbed-realm.json"));
    }

    /** A shipped systems file by name ({@code dot-reference}), or a file by path. */
    public Optional<SystemsFile> find(String nameOrPath) {
        Path path = Path.of(nameOrPath);
        if (Files.isRegularFile(path)) {
            return Optional.of(load(path));
        }
        String location = SHIPPED + nameOrPath + SUFFIX;
        try (InputStream in = SystemsLoader.class.getClassLoader().getResourceAsStream(location)) {
            if (in == null) {
                return Optional.empty();
            }
            return Optional.of(load("classpath:" + location, new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SystemsFile load(Path file) {
        try {
            return load(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read systems file " + file, e);
        }
    }

    /** Loads a systems file from its text; {@code file} names it in error messages. */
    public SystemsFile load(String file, String text) {
        SchemaCheckedYaml.Checked checked = FILES.read(file, text);
        JsonNode root = checked.root();
        JourneySource source = checked.source();
        List<Problem> problems = new ArrayList<>();
        List<SystemBinding> systems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> taken = new HashSet<>();
        JsonNode list = root.path("systems");
        for (int i = 0; i < list.size(); i++) {
            JsonNode s = list.get(i);
            String at = "/systems/" + i;
            String name = s.path("name").asText();
            if (!names.add(name)) {
                problems.add(problem(source, at + "/name", "system " + name + " is named twice"));
            }
            String ods = s.path("organisation").asText();
            Optional<String> setting = directory.settingOf(ods);
            if (setting.isEmpty()) {
                problems.add(problem(
                        source, at + "/organisation", "no organisation " + ods + " in the care-system directory"));
                continue;
            }
            Reference reference = s.has("reference")
                    ? new Reference(s.path("reference").path("role").asText(), text(s.path("reference"), "faulty"))
                    : null;
            Endpoint endpoint = s.has("endpoint")
                    ? new Endpoint(
                            text(s.path("endpoint"), "fhir-base"),
                            text(s.path("endpoint"), "mllp"),
                            text(s.path("endpoint"), "authorization"),
                            text(s.path("endpoint"), "mailbox"))
                    : null;
            if (endpoint != null
                    && endpoint.mailbox() != null
                    && !endpoint.mailbox().equals(ods + "-MBX")) {
                // Another organisation's mailbox would be read by that organisation.
                problems.add(problem(
                        source,
                        at + "/endpoint/mailbox",
                        "a system in " + ods + "'s place receives in mailbox " + ods + "-MBX, not "
                                + endpoint.mailbox()));
            }
            if (reference != null
                    && !ReferenceRoles.FAULTS_OF.get(reference.role()).contains(reference.fault())) {
                problems.add(problem(
                        source,
                        at + "/reference/faulty",
                        "the " + reference.role() + " reference system cannot show fault " + reference.fault()
                                + " (it can: " + new java.util.TreeSet<>(ReferenceRoles.FAULTS_OF.get(reference.role()))
                                + ")"));
            }
            List<String> roles = new ArrayList<>();
            s.path("roles").forEach(r -> roles.add(r.asText()));
            for (int r = 0; r < roles.size(); r++) {
                String role = roles.get(r);
                if (realm.users().stream()
                        .noneMatch(u -> u.realmRoles().contains(role)
                                && u.attribute("organisation").map(ods::equals).orElse(false))) {
                    problems.add(problem(
                            source,
                            at + "/roles/" + r,
                            "no one of " + ods + " holds role " + role + " in the realm (its people's roles: "
                                    + rolesOf(ods) + ")"));
                }
            }
            List<FlowBinding> receives =
                    flows(s, "receives", at, ods, setting.get(), endpoint, reference, source, problems, taken, roles);
            List<FlowBinding> sends =
                    flows(s, "sends", at, ods, setting.get(), endpoint, reference, source, problems, taken, roles);
            systems.add(new SystemBinding(name, text(s, "title"), ods, receives, sends, endpoint, reference, roles));
        }
        List<String> journeys = new ArrayList<>();
        root.path("journeys").forEach(j -> journeys.add(j.asText()));
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(Problem::line));
            throw new JourneyFormatException(problems);
        }
        return new SystemsFile(
                root.path("systems-file").asText(), root.path("title").asText(), file, journeys, systems);
    }

    private List<FlowBinding> flows(
            JsonNode system,
            String direction,
            String at,
            String ods,
            String setting,
            Endpoint endpoint,
            Reference reference,
            JourneySource source,
            List<Problem> problems,
            Set<String> taken,
            List<String> roles) {
        List<FlowBinding> bindings = new ArrayList<>();
        JsonNode list = system.path(direction);
        for (int i = 0; i < list.size(); i++) {
            String where = at + "/" + direction + "/" + i;
            String code = list.get(i).path("flow").asText();
            String transport = list.get(i).path("transport").asText();
            Optional<SharingFlow> flow = catalogue.flow(code);
            if (flow.isEmpty()) {
                problems.add(problem(
                        source,
                        where + "/flow",
                        "no flow '" + code + "' in the flow catalogue"
                                + org.ldrtestbed.scenarios.check.DidYouMean.hint(
                                        code,
                                        catalogue.flows().stream()
                                                .map(SharingFlow::code)
                                                .toList())));
                continue;
            }
            boolean receiving = direction.equals("receives");
            if (receiving
                    ? !setting.equals(flow.get().targetSetting())
                    : !flow.get().sendsFrom(setting)) {
                problems.add(problem(
                        source,
                        where + "/flow",
                        ods + " is " + setting + "; " + code
                                + (receiving
                                        ? " goes to " + flow.get().targetSetting()
                                        : " comes from "
                                                + String.join(", ", flow.get().sourceSettings()))));
                continue;
            }
            Part part = parts.getOrDefault(code, Map.of()).get(direction);
            if (part == null) {
                problems.add(problem(
                        source,
                        where + "/flow",
                        "the testbed cannot yet put a system under test where it " + direction + " " + code
                                + " (it can: " + supported() + ")"));
                continue;
            }
            if (!part.transports().contains(transport)) {
                problems.add(problem(
                        source,
                        where + "/transport",
                        code + " " + direction + " over " + part.transports() + ", not " + transport));
                continue;
            }
            // A flow is received by the organisation; sending may be split between systems by role.
            String key = code + "/" + ods + "/" + direction + "/";
            List<String> shares = receiving || roles.isEmpty() ? List.of("*") : roles;
            boolean clash = shares.stream()
                    .anyMatch(r -> taken.contains(key + r)
                            || taken.contains(key + "*")
                            || (r.equals("*") && taken.stream().anyMatch(t -> t.startsWith(key))));
            if (clash) {
                problems.add(problem(
                        source,
                        where + "/flow",
                        "another system already " + direction + " " + code + " for " + ods
                                + (receiving || roles.isEmpty() ? "" : " (for one of the roles " + roles + ")")));
            }
            shares.forEach(r -> taken.add(key + r));
            if (reference != null && !reference.role().equals(part.reference())) {
                problems.add(problem(
                        source,
                        at + "/reference/role",
                        "the " + reference.role() + " reference system does not take part in " + code + " (the "
                                + part.reference() + " one does)"));
            }
            if (!receiving
                    && SystemUnderTest.GPC_STRUCTURED_RECORD.equals(transport)
                    && reference == null
                    && (endpoint == null || endpoint.address(transport) == null)) {
                problems.add(problem(
                        source,
                        at + (endpoint == null ? "" : "/endpoint"),
                        "a system the testbed pulls " + code + " from over " + transport
                                + " needs endpoint.fhir-base (or a reference system)"));
            }
            if (receiving && reference == null && (endpoint == null || endpoint.address(transport) == null)) {
                problems.add(problem(
                        source,
                        at + "/endpoint",
                        "a system that receives over " + transport + " needs endpoint."
                                + switch (transport) {
                                    case SystemUnderTest.FHIR_REST -> "fhir-base";
                                    case SystemUnderTest.MESH -> "mailbox";
                                    case SystemUnderTest.MLLP -> "mllp";
                                    default -> "fhir-base";
                                }
                                + " (or a reference system)"));
            }
            bindings.add(new FlowBinding(code, transport));
        }
        return bindings;
    }

    private String rolesOf(String ods) {
        return String.join(
                ", ",
                new java.util.TreeSet<>(realm.users().stream()
                        .filter(u ->
                                u.attribute("organisation").map(ods::equals).orElse(false))
                        .flatMap(u -> u.realmRoles().stream())
                        .filter(r -> !Roles.PRIVILEGED.contains(r))
                        .toList()));
    }

    private String supported() {
        List<String> all = new ArrayList<>();
        parts.forEach((flow, byDirection) -> byDirection.keySet().forEach(d -> all.add(d + " " + flow)));
        return String.join(", ", new java.util.TreeSet<>(all));
    }

    private static Map<String, Map<String, Part>> readParts() {
        try (InputStream in = SystemsLoader.class.getClassLoader().getResourceAsStream(TRANSPORTS_LOCATION)) {
            JsonNode root = new YAMLMapper().readTree(in);
            Map<String, Map<String, Part>> parts = new java.util.LinkedHashMap<>();
            ObjectMapper json = new ObjectMapper();
            root.fields().forEachRemaining(flow -> {
                Map<String, Part> byDirection = new java.util.LinkedHashMap<>();
                flow.getValue()
                        .fields()
                        .forEachRemaining(
                                d -> byDirection.put(d.getKey(), json.convertValue(d.getValue(), Part.class)));
                parts.put(flow.getKey(), byDirection);
            });
            return parts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TRANSPORTS_LOCATION, e);
        }
    }

    private static String text(JsonNode node, String field) {
        return node.has(field) ? node.get(field).asText() : null;
    }

    private static Problem problem(JourneySource source, String pointer, String message) {
        return new Problem(source.file(), source.lineOf(pointer), JourneyFormatException.field(pointer), message);
    }
}
