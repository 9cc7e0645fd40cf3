package org.ldrtestbed.fhirserver.access;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Composition;
import org.hl7.fhir.r4.model.Consent;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.access.MatrixActors.Actor;
import org.ldrtestbed.fhirserver.access.PolicyOracle.Dissent;
import org.ldrtestbed.fhirserver.access.PolicyOracle.Facts;
import org.ldrtestbed.fhirserver.access.PolicyOracle.PatientState;
import org.ldrtestbed.fhirserver.access.PolicyOracle.Verdict;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessPolicy.ResourceClass;
import org.ldrtestbed.identity.access.AccessPolicy.SensitiveLabel;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.Roles;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.FlowCatalogue;

/**
 * The adversarial access matrix (issue #9 item 8), as a hospital's assurance team would attack the shared record:
 * every policy role (one realm user each), the patient, her proxy, the testbed admin and a system client, times every
 * interaction (read, vread, instance/type/system $meta and _history, search with _include, _revinclude and chains,
 * _has, _summary=count, $everything, paging, create, conditional create, PUT-as-create, update, conditional update,
 * JSON Patch, $meta-add, $meta-delete, delete, conditional delete, $expunge, batch and transaction), times patient
 * state (a care relationship from a care team, none, dissent, a proxy grant), times sensitivity, over one entry of each
 * policy class plus a stored document Bundle and a Binary.
 *
 * <p>The oracle is {@link PolicyOracle}: the spec restated from the policy YAML as plain data, never the server's
 * rules. Every entry carries a unique marker (a meta.tag, and the identifier or text where the type has one); the
 * findings are:
 *
 * <ul>
 *   <li>{@code leak}: a response body (errors, OperationOutcomes, Bundle entries, includes, history, $meta answers,
 *       later pages, write responses) holds the marker of an entry the oracle withholds from the reader, names a
 *       sensitive category the reader may see no entry of, or, for a patient or proxy token, names another matrix
 *       patient's NHS number or Patient id;
 *   <li>{@code disallowed write}: a write the oracle refuses answered 2xx, or changed the stored entry (versionId or
 *       content, read back as a system client), or created something;
 *   <li>{@code wrong answer}: a read the oracle refuses not answered 403 with its reason, an allowed read or write
 *       refused, a refusal with another reason, a query form the spec refuses (_has, a clinical chain, type/system
 *       $meta, _summary=count) answered, or a 5xx.
 * </ul>
 *
 * Readings of the spec chosen to protect the patient: a single read of a withheld entry is 403 with its reason, or
 * 404 for another patient's entry or a sensitive one (answered as if absent), and its instance history may also be a
 * 200 leaving it out; an instance $meta is a read; $everything of another patient's record is 403 or
 * shows none of it; a write refused for several reasons gives the first in {@link PolicyOracle#update}'s order.
 */
final class AttackMatrix {

    static final String WRITER = AccessMatrix.ENTRY_WRITER;

    /** A conditional update whose target the caller may not read: nothing matches. */
    private static final String UNSEEN = "unseen-target";

    static final String MARKERS = "https://fhir.ldr-testbed.example/CodeSystem/attack-matrix-marker";
    static final String DOT = AccessMatrix.DOT;

    private static final Pattern MARKER = Pattern.compile("MXK\\d{5}Z");
    private static final int THREADS = 4;
    private static final int MAX_PAGES = 40;
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    /** What a run found. */
    record Finding(String kind, String reader, String subject, String interaction, String detail) {
        @Override
        public String toString() {
            return String.format("%-17s %-42s %-44s %-22s %s", kind, reader, subject, interaction, detail);
        }
    }

    /** One run: its size and what it found. */
    record Result(
            int readers,
            int entries,
            Set<String> interactions,
            int cases,
            int requests,
            List<Finding> findings,
            Duration setUp,
            Duration reads,
            Duration writes) {
        List<Finding> of(String kind) {
            return findings.stream().filter(f -> f.kind().equals(kind)).toList();
        }

        String summary() {
            return String.format(
                    "%d readers x %d entries x %d interactions, %d cases, %d requests; %d leaks, %d disallowed writes,"
                            + " %d wrong answers; set-up %.1f s, reads %.1f s, writes %.1f s",
                    readers,
                    entries,
                    interactions.size(),
                    cases,
                    requests,
                    of(LEAK).size(),
                    of(WRITE).size(),
                    of(WRONG).size(),
                    setUp.toMillis() / 1000.0,
                    reads.toMillis() / 1000.0,
                    writes.toMillis() / 1000.0);
        }
    }

    static final String LEAK = "leak";
    static final String WRITE = "disallowed write";
    static final String WRONG = "wrong answer";

    /** A written entry: its facts for the oracle, its marker and where it is. */
    record Entry(String label, String marker, Facts facts, String reference) {
        String type() {
            return facts.type();
        }
    }

    private final String base;
    private final MatrixActors actors;
    private final Function<String, Optional<String>> settingOf;
    private final FlowCatalogue catalogue;
    private final AccessPolicy policyModel;
    private final MatrixEntries builder;
    private final PolicyOracle oracle = new PolicyOracle(FHIR);
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger cases = new AtomicInteger();
    private final AtomicInteger markers = new AtomicInteger();
    private final Map<String, Entry> byMarker = new ConcurrentHashMap<>();
    private final Set<String> interactions = ConcurrentHashMap.newKeySet();
    private final List<Finding> findings = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    private Actor writer;
    private Actor system;
    private List<PatientState> patients;
    private final Map<PatientState, String> patientIds = new LinkedHashMap<>();

    AttackMatrix(
            URI fhirBase,
            TokenClient tokens,
            RealmDefinition realm,
            Function<String, Optional<String>> settingOf,
            FlowCatalogue catalogue) {
        this.base = fhirBase.toString().replaceAll("/+$", "");
        this.actors = new MatrixActors(realm, tokens);
        this.settingOf = settingOf;
        this.catalogue = catalogue;
        this.policyModel = AccessPolicy.load(AccessMatrix.POLICY);
        this.builder = new MatrixEntries(FHIR, policyModel);
    }

    Result run() throws Exception {
        List<Actor> readers = new ArrayList<>();
        for (String role : oracle.roles()) {
            actors.firstUserWithRole(role).ifPresent(readers::add);
        }
        List<String> organisations = readers.stream()
                .map(a -> a.identity().organisation())
                .filter(o -> o != null)
                .distinct()
                .sorted()
                .toList();
        Actor proxy = actors.userWith(oracle.proxyRole(), "proxy_for", DOT);
        readers.add(actors.userWith(oracle.patientRole(), "patient", DOT));
        readers.add(proxy);
        system = actors.serviceAccounts().stream()
                .filter(u -> !u.serviceAccountClientId().equals(WRITER))
                .filter(u -> oracle.unrestricted(MatrixActors.identity(u)))
                .findFirst()
                .map(u -> actors.systemActor(u.serviceAccountClientId()))
                .orElseThrow();
        readers.add(system);
        writer = actors.systemActor(WRITER);
        AccessMatrix.checkWriter(settingOf, catalogue, writer, organisations);

        patients = List.of(
                new PatientState(
                        DOT,
                        new LinkedHashSet<>(organisations),
                        Optional.empty(),
                        Map.of(proxy.identity().username(), Set.copyOf(AccessMatrix.PROXY_GRANT))),
                new PatientState(
                        AccessMatrix.synthetic(5),
                        new LinkedHashSet<>(organisations),
                        Optional.of(new Dissent(List.of(), List.of())),
                        Map.of()),
                new PatientState(AccessMatrix.synthetic(6), Set.of(), Optional.empty(), Map.of()));
        java.time.Instant started = java.time.Instant.now();
        List<Entry> entries = new ArrayList<>();
        for (PatientState patient : patients) {
            entries.addAll(record(patient, organisations));
        }
        java.time.Instant reading = java.time.Instant.now();

        // Reads first, on entries no write touches; then each reader attacks writes on targets of its own.
        List<Callable<Void>> reads = new ArrayList<>();
        for (Actor reader : readers) {
            for (Entry entry : entries) {
                reads.add(() -> readEntry(reader, entry));
            }
            for (PatientState patient : patients) {
                reads.add(() -> searchRecord(reader, patient, entries));
            }
            reads.add(() -> serverWide(reader, entries));
        }
        runAll(reads);
        java.time.Instant writing = java.time.Instant.now();
        List<Callable<Void>> writes = new ArrayList<>();
        for (Actor reader : readers) {
            writes.add(() -> attackWrites(reader, entries));
        }
        runAll(writes);
        return new Result(
                readers.size(),
                entries.size(),
                new TreeSet<>(interactions),
                cases.get(),
                requests.get(),
                List.copyOf(findings),
                Duration.between(started, reading),
                Duration.between(reading, writing),
                Duration.between(writing, java.time.Instant.now()));
    }

    private static void runAll(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (Future<Void> done : pool.invokeAll(tasks)) {
                done.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("An attack request failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    // ── What is written ────────────────────────────────────────────────────────────────────────────────────────

    private List<Entry> record(PatientState patient, List<String> organisations) throws Exception {
        List<Entry> entries = new ArrayList<>();
        Patient person = new Patient();
        person.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(patient.nhsNumber());
        person.addName().setFamily("Attack-Synthetic").addGiven("Record" + patient.nhsNumber());
        // Registered with the writer's organisation, so the structured record ($gpc.getstructuredrecord) is gathered
        // from the matrix's entries; no reader is of that organisation (checkWriter), so no reader's relationship
        // moves.
        person.addGeneralPractitioner()
                .setReference("Organization/" + writer.identity().organisation());
        Entry self = write(writer, patient, alias(patient) + "/Patient", person, Set.of(), null);
        entries.add(self);
        String id = new IdType(self.reference()).getIdPart();
        patientIds.put(patient, id);
        String alias = alias(patient);
        if (!patient.careOrganisations().isEmpty()) {
            entries.add(write(
                    writer,
                    patient,
                    alias + "/CareTeam (care event)",
                    MatrixEntries.careTeam(id, patient.careOrganisations()),
                    Set.of(),
                    null));
        }
        if (patient.dissent().isPresent()) {
            entries.add(write(
                    writer,
                    patient,
                    alias + "/Consent (dissent)",
                    MatrixEntries.dissent(
                            id,
                            patient.dissent().get().organisations(),
                            patient.dissent().get().types()),
                    Set.of(),
                    null));
        }
        for (Map.Entry<String, Set<String>> grant : patient.grants().entrySet()) {
            entries.add(write(
                    writer,
                    patient,
                    alias + "/Consent (proxy grant)",
                    MatrixEntries.proxyGrant(id, grant.getKey(), AccessMatrix.PROXY_GRANT),
                    Set.of(),
                    null));
        }
        List<SensitiveLabel> labels = policyModel.sensitiveLabels();
        for (int i = 0; i < policyModel.classes().size(); i++) {
            ResourceClass resourceClass = policyModel.classes().get(i);
            Actor classWriter = resourceClass.writtenBySetting().isEmpty()
                    ? writer
                    : actors.settingWriter(resourceClass.writtenBySetting(), organisations, settingOf);
            SensitiveLabel label = labels.get(i % labels.size());
            for (Optional<SensitiveLabel> sensitivity : List.of(Optional.<SensitiveLabel>empty(), Optional.of(label))) {
                String name = alias + "/" + resourceClass.code() + "/" + builder.typeFor(resourceClass)
                        + sensitivity.map(l -> " [" + l.code() + "]").orElse("");
                Resource resource = builder.build(resourceClass, id, sensitivity);
                Entry entry = write(classWriter, patient, name, resource, categories(sensitivity), null);
                if (!entry.facts().resourceClass().equals(resourceClass.code())) {
                    throw new IllegalStateException(
                            name + " lands in class " + entry.facts().resourceClass());
                }
                entries.add(entry);
            }
        }
        SensitiveLabel documentLabel = labels.getFirst();
        for (Optional<SensitiveLabel> sensitivity :
                List.of(Optional.<SensitiveLabel>empty(), Optional.of(documentLabel))) {
            String suffix = sensitivity.map(l -> " [" + l.code() + "]").orElse("");
            entries.add(write(
                    writer,
                    patient,
                    alias + "/Bundle (document)" + suffix,
                    document(id, patient, sensitivity),
                    categories(sensitivity),
                    null));
            entries.add(write(
                    writer,
                    patient,
                    alias + "/Binary" + suffix,
                    binary(id, sensitivity),
                    categories(sensitivity),
                    null));
        }
        return entries;
    }

    private Set<String> categories(Optional<SensitiveLabel> label) {
        Set<String> categories = new TreeSet<>();
        label.flatMap(l -> oracle.category(l.system(), l.code())).ifPresent(categories::add);
        return categories;
    }

    private String alias(PatientState patient) {
        int i = patients.indexOf(patient);
        return switch (i) {
            case 0 -> "dot";
            case 1 -> "dissenting";
            default -> "unknown";
        };
    }

    /** A document Bundle: a Composition about the patient and the patient, as a discharge summary would be. */
    private Resource document(String patientId, PatientState patient, Optional<SensitiveLabel> label) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.DOCUMENT);
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + java.util.UUID.randomUUID());
        bundle.setTimestamp(new java.util.Date());
        Composition composition = new Composition()
                .setStatus(Composition.CompositionStatus.FINAL)
                .setType(new org.hl7.fhir.r4.model.CodeableConcept().setText("Discharge summary (synthetic)"))
                .setSubject(new Reference("Patient/" + patientId))
                .setDateElement(DateTimeType.now())
                .setTitle("Discharge summary (synthetic)");
        composition.addAuthor().setDisplay("Synthetic author");
        composition.addSection().setTitle("Diagnoses").getText().setDivAsString("<div>Synthetic diagnosis</div>");
        bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(composition);
        Patient copy = new Patient();
        copy.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(patient.nhsNumber());
        copy.addName().setFamily("Attack-Synthetic");
        bundle.addEntry().setFullUrl("urn:uuid:" + java.util.UUID.randomUUID()).setResource(copy);
        label.ifPresent(l -> bundle.getMeta().addSecurity(l.system(), l.code(), null));
        return bundle;
    }

    private static Resource binary(String patientId, Optional<SensitiveLabel> label) {
        Binary binary = new Binary().setContentType("text/plain");
        binary.setSecurityContext(new Reference("Patient/" + patientId));
        label.ifPresent(l -> binary.getMeta().addSecurity(l.system(), l.code(), null));
        return binary;
    }

    /** Writes an entry with a fresh marker (tag, and identifier/text where it has one); null when refused. */
    private Entry write(
            Actor as, PatientState patient, String label, Resource resource, Set<String> categories, String[] status)
            throws Exception {
        String marker = mark(resource);
        HttpResponse<String> created = send(
                as,
                "POST",
                base + "/" + resource.fhirType(),
                FHIR.newJsonParser().encodeResourceToString(resource),
                "application/fhir+json",
                Map.of("Prefer", "return=minimal"));
        if (status != null) {
            status[0] = String.valueOf(created.statusCode());
            status[1] = created.body();
        }
        if (created.statusCode() != 201) {
            if (status != null) {
                return null;
            }
            throw new IllegalStateException(
                    "Writing " + label + " as " + as.label() + ": HTTP " + created.statusCode() + " " + created.body());
        }
        String reference = new IdType(created.headers().firstValue("Location").orElseThrow())
                .toUnqualifiedVersionless()
                .getValue();
        String organisation = as.identity().organisation();
        String resourceClass = oracle.classOf(resource, settingOf.apply(organisation))
                .orElseThrow(() -> new IllegalStateException(label + " is in no class of the policy"));
        Entry entry = new Entry(
                label,
                marker,
                new Facts(resource.fhirType(), resourceClass, patient, categories, organisation),
                reference);
        byMarker.put(marker, entry);
        return entry;
    }

    /** A fresh marker on the resource, where any response carrying it would show it. */
    private String mark(Resource resource) {
        String marker = String.format("MXK%05dZ", markers.incrementAndGet());
        resource.getMeta().addTag(MARKERS, marker, null);
        switch (resource) {
            case Observation o -> o.addIdentifier().setSystem(MARKERS).setValue(marker);
            case Binary b -> b.setData(("Synthetic note " + marker).getBytes(StandardCharsets.UTF_8));
            case Consent c -> c.addIdentifier().setSystem(MARKERS).setValue(marker);
            default -> {}
        }
        return marker;
    }

    // ── Reads ──────────────────────────────────────────────────────────────────────────────────────────────────

    private Void readEntry(Actor reader, Entry entry) throws Exception {
        Verdict verdict = oracle.read(reader.identity(), entry.facts());
        String url = base + "/" + entry.reference();
        for (String interaction : List.of("read", "vread", "$meta (instance)", "_history (instance)")) {
            String target = switch (interaction) {
                case "read" -> url;
                case "vread" -> url + "/_history/1";
                case "$meta (instance)" -> url + "/$meta";
                default -> url + "/_history";
            };
            HttpResponse<String> response = get(reader, target);
            cases.incrementAndGet();
            interactions.add(interaction);
            scan(reader, entry.label(), interaction, response);
            String got = answer(response);
            boolean history = interaction.startsWith("_history");
            if (verdict.allowed()) {
                if (response.statusCode() != 200) {
                    wrong(reader, entry.label(), interaction, "want 200, got " + got);
                }
            } else if (history
                    ? !(response.statusCode() == 200 || got.equals(refusal(verdict)))
                    : !got.equals(refusal(verdict))) {
                wrong(reader, entry.label(), interaction, "want " + refusal(verdict) + ", got " + got);
            }
        }
        return null;
    }

    /** Searches of one patient's record: by type with includes, _revinclude of the patient, $everything, refusals. */
    private Void searchRecord(Actor reader, PatientState patient, List<Entry> entries) throws Exception {
        String id = patientIds.get(patient);
        String alias = alias(patient);
        Set<String> types = new TreeSet<>();
        entries.stream().filter(e -> e.facts().patient() == patient).forEach(e -> types.add(e.type()));
        for (String type : types) {
            String parameter = switch (type) {
                case "Patient" -> "_id=" + id;
                case "Bundle" -> "composition.subject:Patient=" + encode("Patient/" + id);
                case "Binary" -> null;
                default -> patientParameter(type) + "=" + encode("Patient/" + id);
            };
            if (parameter == null) {
                continue;
            }
            pages(
                    reader,
                    alias + " " + type,
                    "search _include/_revinclude",
                    base + "/" + type + "?" + parameter + "&_include=*&_revinclude=*&_count=5");
        }
        pages(
                reader,
                alias + " Patient",
                "search _revinclude=*",
                base + "/Patient?_id=" + id + "&_revinclude=*&_count=7");
        pages(reader, alias + " Patient", "$everything", base + "/Patient/" + id + "/$everything?_count=7");
        structuredRecord(reader, patient, entries);
        pages(
                reader,
                alias + " Observation",
                "search chain subject:Patient",
                base + "/Observation?subject:Patient.identifier=" + encode(NhsNumber.SYSTEM + "|" + patient.nhsNumber())
                        + "&_count=5");
        // Refused whatever the policy file says: each answer could reveal what the policy withholds, so the matrix
        // insists on its own, not on the file's requests section (an entry taken out of it must fail here).
        if (!reader.identity().roles().contains(Roles.SYSTEM)) {
            refused(
                    reader,
                    alias + " Patient",
                    "search _has",
                    base + "/Patient?_has:Observation:subject:status=final&_id=" + id);
            refused(
                    reader,
                    alias + " Condition",
                    "search clinical chain",
                    base + "/Condition?encounter.status=finished&subject=" + encode("Patient/" + id));
            refused(
                    reader,
                    alias + " Observation",
                    "search _summary=count",
                    base + "/Observation?subject=" + encode("Patient/" + id) + "&_summary=count");
        }
        return null;
    }

    /** The types the simulated GP system's structured record gathers the practice's entries of. */
    private static final Set<String> STRUCTURED_RECORD_TYPES =
            Set.of("AllergyIntolerance", "MedicationStatement", "MedicationRequest");

    /**
     * GP Connect's {@code $gpc.getstructuredrecord} of the patient: it must show what the reader's searches may (every
     * allergy and medication of the practice the oracle lets them read, and nothing else), and a reader who may not
     * see the Patient is told it is not known (404), as a record that does not exist. A system client is answered
     * only for a patient whose care its organisation is in (else 403 no-relationship).
     */
    private void structuredRecord(Actor reader, PatientState patient, List<Entry> entries) throws Exception {
        String interaction = "$gpc.getstructuredrecord";
        String subject = alias(patient) + " Patient";
        interactions.add(interaction);
        cases.incrementAndGet();
        String body = "{\"resourceType\":\"Parameters\",\"parameter\":["
                + "{\"name\":\"patientNHSNumber\",\"valueIdentifier\":{\"system\":\"" + NhsNumber.SYSTEM
                + "\",\"value\":\"" + patient.nhsNumber() + "\"}},"
                + "{\"name\":\"includeAllergies\",\"part\":[{\"name\":\"includeResolvedAllergies\","
                + "\"valueBoolean\":true}]},{\"name\":\"includeMedication\"}]}";
        HttpResponse<String> response = send(
                reader, "POST", base + "/Patient/$gpc.getstructuredrecord", body, "application/fhir+json", Map.of());
        scan(reader, subject, interaction, response);
        ActorIdentity who = reader.identity();
        Entry self = entries.stream()
                .filter(e -> e.facts().patient() == patient && e.type().equals("Patient"))
                .findFirst()
                .orElseThrow();
        String expected;
        if (oracle.unrestricted(who)) {
            expected = who.organisation() == null || patient.careOrganisations().contains(who.organisation())
                    ? "200"
                    : "403 no-relationship";
        } else {
            expected = oracle.read(who, self.facts()).allowed() ? "200" : "404";
        }
        String got = answer(response);
        if (!got.equals(expected)) {
            wrong(reader, subject, interaction, "want " + expected + ", got " + got);
            return;
        }
        if (response.statusCode() != 200) {
            return;
        }
        for (Entry entry : entries) {
            if (entry.facts().patient() == patient
                    && STRUCTURED_RECORD_TYPES.contains(entry.type())
                    && writer.identity().organisation().equals(entry.facts().writer())
                    && oracle.read(who, entry.facts()).allowed()
                    && !response.body().contains(entry.marker())) {
                wrong(reader, entry.label(), interaction, "allowed, but not in the structured record");
            }
        }
    }

    /** What no patient parameter bounds: type and system history, $meta, Bundle and Binary searches. */
    private Void serverWide(Actor reader, List<Entry> entries) throws Exception {
        Set<String> types = new TreeSet<>();
        entries.forEach(e -> types.add(e.type()));
        for (String type : types) {
            pages(reader, type, "_history (type)", base + "/" + type + "/_history?_count=50");
        }
        pages(reader, "(server)", "_history (system)", base + "/_history?_count=100");
        pages(reader, "Bundle", "search (type)", base + "/Bundle?_count=20");
        pages(reader, "Binary", "search (type)", base + "/Binary?_count=20");
        pages(reader, "Observation", "search (type)", base + "/Observation?_count=50");
        if (!oracle.unrestricted(reader.identity())) {
            refused(reader, "Observation", "$meta (type)", base + "/Observation/$meta");
            refused(reader, "(server)", "$meta (system)", base + "/$meta");
        } else {
            scan(reader, "(server)", "$meta (system)", get(reader, base + "/$meta"));
        }
        return null;
    }

    /** A search or history, following next links to the end, every page scanned. */
    private void pages(Actor reader, String subject, String interaction, String url) throws Exception {
        interactions.add(interaction);
        cases.incrementAndGet();
        String next = url;
        for (int page = 0; next != null && page < MAX_PAGES; page++) {
            HttpResponse<String> response = get(reader, next);
            scan(reader, subject, interaction + (page > 0 ? " page " + (page + 1) : ""), response);
            if (response.statusCode() != 200) {
                if (response.statusCode() != 403 || oracle.unrestricted(reader.identity())) {
                    wrong(reader, subject, interaction, "HTTP " + answer(response));
                }
                return;
            }
            next = nextLink(response.body());
            if (page > 0) {
                interactions.add("paging next");
            }
        }
    }

    /** A query form the spec refuses to restricted readers. */
    private void refused(Actor reader, String subject, String interaction, String url) throws Exception {
        interactions.add(interaction);
        cases.incrementAndGet();
        HttpResponse<String> response = get(reader, url);
        scan(reader, subject, interaction, response);
        if (response.statusCode() != 403) {
            wrong(reader, subject, interaction, "want 403, got " + answer(response));
        }
    }

    // ── Writes ─────────────────────────────────────────────────────────────────────────────────────────────────

    /** One reader's write attacks, in order, on targets written for it alone. */
    private Void attackWrites(Actor reader, List<Entry> readPhase) throws Exception {
        ActorIdentity who = reader.identity();
        String name = who.username();
        List<Entry> targets = new ArrayList<>();
        SensitiveLabel label = policyModel.sensitiveLabels().getFirst();
        for (PatientState patient : patients) {
            String id = patientIds.get(patient);
            targets.add(write(
                    writer,
                    patient,
                    alias(patient) + "/target Observation (" + name + ")",
                    observation(id),
                    Set.of(),
                    null));
            Resource sensitive = observation(id);
            sensitive.getMeta().addSecurity(label.system(), label.code(), null);
            targets.add(write(
                    writer,
                    patient,
                    alias(patient) + "/target Observation [" + label.code() + "] (" + name + ")",
                    sensitive,
                    categories(Optional.of(label)),
                    null));
        }
        PatientState dot = patients.getFirst();
        String dotId = patientIds.get(dot);
        Consent preference = new Consent();
        preference.setStatus(Consent.ConsentState.ACTIVE);
        preference.setScope(new org.hl7.fhir.r4.model.CodeableConcept(new org.hl7.fhir.r4.model.Coding(
                "http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy", null)));
        preference.addCategory(new org.hl7.fhir.r4.model.CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://loinc.org", "59284-0", null)));
        preference.setPatient(new Reference("Patient/" + dotId));
        preference.setPolicyRule(new org.hl7.fhir.r4.model.CodeableConcept(
                new org.hl7.fhir.r4.model.Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "OPTIN", null)));
        preference.getProvision().setType(Consent.ConsentProvisionType.PERMIT);
        targets.add(write(writer, dot, "dot/target Consent (" + name + ")", preference, Set.of(), null));
        targets.add(write(
                writer,
                dot,
                "dot/target Bundle (" + name + ")",
                document(dotId, dot, Optional.empty()),
                Set.of(),
                null));
        targets.add(write(
                writer, dot, "dot/target Binary (" + name + ")", binary(dotId, Optional.empty()), Set.of(), null));

        // Creates into each record; the reader's own entry in Dot's record becomes a target too.
        for (PatientState patient : patients) {
            create(reader, patient, "create", null);
        }
        create(reader, patients.get(2), "conditional create", "If-None-Exist");
        create(reader, dot, "PUT-as-create", "PUT");
        Entry own = ownEntry(reader, dot);
        if (own != null) {
            targets.add(own);
        }
        relationshipFromAWrite(reader, readPhase);
        batchAndTransaction(reader, targets.get(2), patients.get(2), readPhase);

        for (Entry target : targets) {
            attackTarget(reader, target);
        }
        return null;
    }

    private Resource observation(String patientId) {
        return new Observation()
                .setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new org.hl7.fhir.r4.model.CodeableConcept().setText("Attack observation (synthetic)"))
                .setSubject(new Reference("Patient/" + patientId));
    }

    /** A create of an Observation into the record, as the reader; a refused one must write nothing. */
    private void create(Actor reader, PatientState patient, String interaction, String mode) throws Exception {
        interactions.add(interaction);
        cases.incrementAndGet();
        Resource observation = observation(patientIds.get(patient));
        String marker = mark(observation);
        Verdict verdict = oracle.create(reader.identity(), "Observation", classAsWritten(reader, observation), patient);
        String subject = alias(patient) + "/new Observation";
        HttpResponse<String> response;
        String body = FHIR.newJsonParser().encodeResourceToString(observation);
        if ("PUT".equals(mode)) {
            String id = "mxc" + marker.toLowerCase();
            observation.setId(id);
            response = send(
                    reader,
                    "PUT",
                    base + "/Observation/" + id,
                    FHIR.newJsonParser().encodeResourceToString(observation),
                    "application/fhir+json",
                    Map.of());
        } else {
            Map<String, String> headers =
                    mode == null ? Map.of() : Map.of("If-None-Exist", "identifier=" + encode(MARKERS + "|" + marker));
            response = send(reader, "POST", base + "/Observation", body, "application/fhir+json", headers);
        }
        byMarker.put(
                marker,
                new Entry(
                        subject,
                        marker,
                        new Facts(
                                "Observation",
                                classAsWritten(reader, observation),
                                patient,
                                Set.of(),
                                reader.identity().organisation()),
                        null));
        scan(reader, subject, interaction, response);
        judgeWrite(reader, subject, interaction, verdict, response);
        if (!verdict.allowed() && stored(marker) > 0) {
            finding(
                    WRITE,
                    reader,
                    subject,
                    interaction,
                    "refused create stored an entry (HTTP " + response.statusCode() + ")");
        }
    }

    /** The reader's own entry in Dot's record, of a type it may create: the target of its allowed updates. */
    private Entry ownEntry(Actor reader, PatientState dot) throws Exception {
        ActorIdentity who = reader.identity();
        String dotId = patientIds.get(dot);
        Resource resource;
        String type;
        if (oracle.isPatient(who)) {
            // A directory organisation no reader works for: an unknown ODS code is bad input (422).
            resource = MatrixEntries.dissent(dotId, List.of("SYNG01"), List.of("Flag"));
        } else if (oracle.isProxy(who)) {
            resource = builder.build(
                    policyModel.classes().stream()
                            .filter(c -> c.types().contains("MedicationStatement"))
                            .findFirst()
                            .orElseThrow(),
                    dotId,
                    Optional.empty());
        } else if (oracle.unrestricted(who)) {
            resource = observation(dotId);
        } else {
            Set<String> granted = oracle.treat(who.roles());
            ResourceClass chosen = policyModel.classes().stream()
                    .filter(c -> granted.contains(c.code())
                            && c.writtenBySetting().isEmpty()
                            && c.where().isEmpty())
                    .filter(c -> !c.code().equals("consents"))
                    .findFirst()
                    .orElse(null);
            if (chosen == null) {
                return null;
            }
            resource = builder.build(chosen, dotId, Optional.empty());
        }
        type = resource.fhirType();
        String resourceClass =
                oracle.classOf(resource, settingOf.apply(who.organisation())).orElseThrow();
        Verdict verdict = oracle.create(who, type, resourceClass, dot);
        String[] status = new String[2];
        interactions.add("create");
        cases.incrementAndGet();
        Entry entry = write(reader, dot, "dot/own " + type + " (" + who.username() + ")", resource, Set.of(), status);
        if (verdict.allowed() != (entry != null)) {
            finding(
                    verdict.allowed() ? WRONG : WRITE,
                    reader,
                    "dot/own " + type,
                    "create",
                    "want " + verdict + ", got HTTP " + status[0]);
        }
        return verdict.allowed() ? entry : null;
    }

    /**
     * A professional without a relationship records an Observation about the unknown patient (allowed, if the role
     * may record observations) and still cannot read that patient's record: a write is not a care event.
     */
    private void relationshipFromAWrite(Actor reader, List<Entry> readPhase) throws Exception {
        if (!oracle.isProfessional(reader.identity())) {
            return;
        }
        PatientState unknown = patients.get(2);
        interactions.add("read after own write");
        for (Entry entry : readPhase) {
            if (entry.facts().patient() == unknown
                    && oracle.read(reader.identity(), entry.facts()).reason() != null
                    && oracle.read(reader.identity(), entry.facts()).reason().equals("no-relationship")) {
                cases.incrementAndGet();
                HttpResponse<String> response = get(reader, base + "/" + entry.reference());
                scan(reader, entry.label(), "read after own write", response);
                if (!answer(response).equals("403 no-relationship")) {
                    wrong(
                            reader,
                            entry.label(),
                            "read after own write",
                            "want 403 no-relationship, got " + answer(response));
                }
            }
        }
    }

    /** A batch and a transaction each holding reads and writes; a refused transaction entry rolls back all. */
    private void batchAndTransaction(Actor reader, Entry target, PatientState unknown, List<Entry> readPhase)
            throws Exception {
        ActorIdentity who = reader.identity();
        Entry read = readPhase.stream()
                .filter(e -> e.facts().patient() == unknown
                        && e.type().equals("Observation")
                        && e.facts().categories().isEmpty())
                .findFirst()
                .orElseThrow();
        for (Bundle.BundleType kind : List.of(Bundle.BundleType.BATCH, Bundle.BundleType.TRANSACTION)) {
            String interaction = kind.toCode();
            interactions.add(interaction);
            cases.incrementAndGet();
            Snapshot before = snapshot(target);
            Bundle bundle = new Bundle().setType(kind);
            bundle.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(read.reference());
            bundle.addEntry()
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.GET)
                    .setUrl("Observation?subject=Patient/" + patientIds.get(unknown));
            Resource changed = (Resource) FHIR.newJsonParser().parseResource(before.body());
            changed.setLanguage(kind == Bundle.BundleType.BATCH ? "es" : "fr");
            bundle.addEntry()
                    .setResource(changed)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.PUT)
                    .setUrl(target.reference());
            Resource created = observation(patientIds.get(unknown));
            String marker = mark(created);
            byMarker.put(
                    marker,
                    new Entry(
                            "unknown/new Observation (" + interaction + ")",
                            marker,
                            new Facts(
                                    "Observation",
                                    classAsWritten(reader, created),
                                    unknown,
                                    Set.of(),
                                    who.organisation()),
                            null));
            bundle.addEntry()
                    .setFullUrl("urn:uuid:" + java.util.UUID.randomUUID())
                    .setResource(created)
                    .getRequest()
                    .setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
            Verdict update = oracle.update(who, target.facts(), false);
            Verdict create = oracle.create(who, "Observation", classAsWritten(reader, created), unknown);
            HttpResponse<String> response = send(
                    reader,
                    "POST",
                    base,
                    FHIR.newJsonParser().encodeResourceToString(bundle),
                    "application/fhir+json",
                    Map.of());
            scan(reader, target.label(), interaction, response);
            Snapshot after = snapshot(target);
            boolean targetChanged = !after.equals(before);
            long stored = stored(marker);
            if (kind == Bundle.BundleType.TRANSACTION) {
                boolean allowed = update.allowed() && create.allowed();
                if (allowed && response.statusCode() != 200) {
                    wrong(reader, target.label(), interaction, "all entries allowed, got " + answer(response));
                }
                if (!allowed && (response.statusCode() < 400 || targetChanged || stored > 0)) {
                    finding(
                            WRITE,
                            reader,
                            target.label(),
                            interaction,
                            "an entry refused (update " + update
                                    + ", create " + create + ") but HTTP " + response.statusCode()
                                    + (targetChanged ? "; target changed" : "")
                                    + (stored > 0 ? "; created stored" : ""));
                }
            } else {
                if (!update.allowed() && targetChanged) {
                    finding(
                            WRITE,
                            reader,
                            target.label(),
                            interaction + " PUT",
                            "refused (" + update + ") but stored entry changed " + before.version() + " -> "
                                    + after.version());
                }
                if (!create.allowed() && stored > 0) {
                    finding(
                            WRITE,
                            reader,
                            "unknown/new Observation",
                            interaction + " POST",
                            "refused (" + create + ") but stored");
                }
                if (response.statusCode() == 200) {
                    Bundle answer = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
                    String[] want = {statusOf(oracle.read(who, read.facts())), "200", statusOf(update), statusOf(create)
                    };
                    for (int i = 0; i < want.length && i < answer.getEntry().size(); i++) {
                        String got = answer.getEntry().get(i).getResponse().getStatus();
                        if (got == null || !got.startsWith(want[i].substring(0, 1))) {
                            finding(
                                    want[i].startsWith("4") && got != null && got.startsWith("2") && i >= 2
                                            ? WRITE
                                            : WRONG,
                                    reader,
                                    target.label(),
                                    interaction + " entry " + (i + 1),
                                    "want " + want[i] + ", got " + got);
                        }
                    }
                } else {
                    wrong(reader, target.label(), interaction, "a batch answers 200, got " + answer(response));
                }
            }
        }
    }

    private static String statusOf(Verdict verdict) {
        return verdict.allowed() ? "2xx" : "403";
    }

    /** Every write interaction on one target, in an order that leaves deletes last. */
    private void attackTarget(Actor reader, Entry target) throws Exception {
        ActorIdentity who = reader.identity();
        boolean rehomable = target.type().equals("Observation");
        PatientState elsewhere =
                target.facts().patient() == patients.getFirst() ? patients.get(2) : patients.getFirst();
        String elsewhereRef = "Patient/" + patientIds.get(elsewhere);
        SensitiveLabel label = policyModel.sensitiveLabels().getFirst();
        String type = target.type();
        String url = base + "/" + target.reference();
        String tagQuery = base + "/" + type + "?_tag=" + encode(MARKERS + "|" + target.marker());
        List<String> ops = new ArrayList<>(List.of("update", "conditional update", "patch"));
        if (rehomable) {
            ops.add("update moving record");
            ops.add("patch moving record");
        }
        // Deletes last; $expunge first of them (of a live entry's old versions), so each runs for the admin too.
        ops.addAll(List.of("$meta-add", "$meta-delete", "$expunge", "conditional delete", "delete"));
        for (String op : ops) {
            interactions.add(op);
            cases.incrementAndGet();
            Snapshot before = snapshot(target);
            if (before.status() != 200 && (op.contains("update") || op.contains("patch"))) {
                finding(
                        WRONG,
                        reader,
                        target.label(),
                        op,
                        "not attacked: the target is gone (HTTP " + before.status() + ")");
                continue;
            }
            Verdict verdict = switch (op) {
                case "delete", "conditional delete", "$expunge" -> oracle.delete(who);
                case "update moving record", "patch moving record" -> oracle.update(who, target.facts(), true);
                // A conditional match is made among what the caller may see: an entry they may not read matches
                // nothing (so the answer does not tell it exists), and the body, stripped of the marker, then
                // fails the conditional URL instead of creating anything.
                case "conditional update" ->
                    oracle.read(who, target.facts()).allowed()
                            ? oracle.update(who, target.facts(), false)
                            : new Verdict(false, UNSEEN);
                default -> oracle.update(who, target.facts(), false);
            };
            HttpResponse<String> response = switch (op) {
                case "update", "conditional update", "update moving record" -> {
                    Resource changed = (Resource) FHIR.newJsonParser().parseResource(before.body());
                    changed.setLanguage("en-GB");
                    if (op.equals("conditional update")) {
                        // Only the stored entry may carry its marker: a created copy would not be the attacker's find.
                        changed.getMeta().getTag().removeIf(t -> MARKERS.equals(t.getSystem()));
                        changed.setId((String) null);
                        if (changed instanceof Observation o) {
                            o.getIdentifier().removeIf(i -> MARKERS.equals(i.getSystem()));
                        }
                    }
                    if (op.equals("update moving record")) {
                        ((Observation) changed).setSubject(new Reference(elsewhereRef));
                    }
                    yield send(
                            reader,
                            "PUT",
                            op.equals("conditional update") ? tagQuery : url,
                            FHIR.newJsonParser().encodeResourceToString(changed),
                            "application/fhir+json",
                            Map.of());
                }
                case "patch" ->
                    send(
                            reader,
                            "PATCH",
                            url,
                            "[{\"op\":\"add\",\"path\":\"/language\",\"value\":\"cy\"}]",
                            "application/json-patch+json",
                            Map.of());
                case "patch moving record" ->
                    send(
                            reader,
                            "PATCH",
                            url,
                            "[{\"op\":\"replace\",\"path\":\"/subject/reference\",\"value\":\"" + elsewhereRef + "\"}]",
                            "application/json-patch+json",
                            Map.of());
                case "$meta-add", "$meta-delete" ->
                    send(
                            reader,
                            "POST",
                            url + "/" + op,
                            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"meta\",\"valueMeta\":{"
                                    + "\"security\":[{\"system\":\"" + label.system() + "\",\"code\":\"" + label.code()
                                    + "\"}]}}]}",
                            "application/fhir+json",
                            Map.of());
                case "delete" -> send(reader, "DELETE", url, null, null, Map.of());
                case "conditional delete" -> send(reader, "DELETE", tagQuery, null, null, Map.of());
                default ->
                    send(
                            reader,
                            "POST",
                            url + "/$expunge",
                            "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"expungeDeletedResources\","
                                    + "\"valueBoolean\":true},{\"name\":\"expungePreviousVersions\",\"valueBoolean\":true}]}",
                            "application/fhir+json",
                            Map.of());
            };
            scan(reader, target.label(), op, response);
            judgeWrite(reader, target.label(), op, verdict, response);
            if (!verdict.allowed()) {
                Snapshot after = snapshot(target);
                if (!after.equals(before)) {
                    finding(
                            WRITE,
                            reader,
                            target.label(),
                            op,
                            "refused (" + verdict + ") but stored entry changed: "
                                    + before.version() + " -> "
                                    + (after.status() == 200 ? after.version() : "HTTP " + after.status()));
                }
            }
        }
    }

    private void judgeWrite(Actor reader, String subject, String op, Verdict verdict, HttpResponse<String> response) {
        int status = response.statusCode();
        if (verdict.allowed()) {
            if (status / 100 != 2) {
                wrong(reader, subject, op, "allowed, got " + answer(response));
            }
        } else if (status / 100 == 2) {
            finding(WRITE, reader, subject, op, "want 403 " + verdict.reason() + ", got HTTP " + status);
        } else if (UNSEEN.equals(verdict.reason())) {
            return; // refused without matching: any 4xx, and the stored entry is checked unchanged
        } else if (!answer(response).equals("403 " + verdict.reason())
                && !(op.contains("moving record")
                        && (answer(response).equals("403 other-patient")
                                || answer(response).equals("403 moves-record")))) {
            // Moving an entry into another patient's record may fairly be refused as that record's (other-patient)
            // or as a move (moves-record), whatever else would also refuse it.
            wrong(reader, subject, op, "want 403 " + verdict.reason() + ", got " + answer(response));
        }
    }

    /** The stored entry as a system client reads it: status, versionId and content. */
    record Snapshot(int status, String version, String body) {}

    private Snapshot snapshot(Entry target) throws Exception {
        HttpResponse<String> response = get(system, base + "/" + target.reference());
        if (response.statusCode() != 200) {
            return new Snapshot(response.statusCode(), null, null);
        }
        Resource resource = (Resource) FHIR.newJsonParser().parseResource(response.body());
        String version = resource.getMeta().getVersionId();
        resource.getMeta().setLastUpdated(null);
        // A publishing flow tags what it has published, a moment after the write: no change by the attacker.
        resource.getMeta()
                .getTag()
                .removeIf(t -> org.ldrtestbed.routes.contract.SharingFlow.PUBLISHED_BY.equals(t.getSystem()));
        return new Snapshot(200, version, FHIR.newJsonParser().encodeResourceToString(resource));
    }

    /** How many Observations carry the marker, as a system client sees it. */
    private long stored(String marker) throws Exception {
        HttpResponse<String> response =
                get(system, base + "/Observation?_tag=" + encode(MARKERS + "|" + marker) + "&_count=10");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("System search failed: HTTP " + response.statusCode());
        }
        return FHIR.newJsonParser().parseResource(Bundle.class, response.body()).getEntry().stream()
                .filter(e -> e.getResource() != null && !(e.getResource() instanceof OperationOutcome))
                .count();
    }

    // ── The no-leak scan ───────────────────────────────────────────────────────────────────────────────────────

    /**
     * The class an entry has once this reader writes it: what a social care organisation writes is a social care
     * record, whatever its type.
     */
    private String classAsWritten(Actor reader, Resource resource) {
        ActorIdentity who = reader.identity();
        return oracle.classOf(
                        resource, who.organisation() == null ? Optional.empty() : settingOf.apply(who.organisation()))
                .orElseThrow();
    }

    private void scan(Actor reader, String subject, String interaction, HttpResponse<String> response) {
        ActorIdentity who = reader.identity();
        String body = response.body() == null ? "" : response.body();
        // What the server repeats of the request's own URL (a conditional URL naming a marker) is the caller's.
        String query = response.request().uri().getRawQuery();
        if (query != null) {
            Matcher asked = MARKER.matcher(java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8));
            while (asked.find()) {
                body = body.replace(asked.group(), "");
            }
        }
        if (response.statusCode() >= 500) {
            wrong(reader, subject, interaction, "HTTP " + response.statusCode() + " " + abbreviate(body));
        }
        Set<String> leaked = new TreeSet<>();
        Set<String> allowedCategories = new TreeSet<>();
        Matcher m = MARKER.matcher(body);
        while (m.find()) {
            Entry entry = byMarker.get(m.group());
            if (entry == null) {
                continue;
            }
            if (oracle.read(who, entry.facts()).allowed()) {
                allowedCategories.addAll(entry.facts().categories());
            } else {
                leaked.add(
                        entry.label() + " (" + oracle.read(who, entry.facts()).reason() + ")");
            }
        }
        for (String category : oracle.categories()) {
            if (body.contains(category) && !allowedCategories.contains(category) && !oracle.unrestricted(who)) {
                leaked.add("names sensitive category " + category);
            }
        }
        // What the reader put in the request (an id, an NHS number) is no news to them when echoed back.
        String asked = java.net.URLDecoder.decode(response.request().uri().toString(), StandardCharsets.UTF_8);
        if (oracle.isPatient(who) || oracle.isProxy(who)) {
            for (PatientState other : patients) {
                String own = who.patient() != null ? who.patient() : who.proxyFor();
                if (other.nhsNumber().equals(own)) {
                    continue;
                }
                if (body.contains(other.nhsNumber()) && !asked.contains(other.nhsNumber())) {
                    leaked.add("another patient's NHS number " + other.nhsNumber());
                }
                String id = patientIds.get(other);
                if (id != null
                        && !asked.contains("Patient/" + id)
                        && !asked.contains("_id=" + id)
                        && Pattern.compile("Patient/" + Pattern.quote(id) + "(?![A-Za-z0-9.-])")
                                .matcher(body)
                                .find()) {
                    leaked.add("another patient's record Patient/" + id);
                }
            }
        }
        if (!leaked.isEmpty()) {
            finding(
                    LEAK,
                    reader,
                    subject,
                    interaction,
                    "HTTP " + response.statusCode() + " carries " + String.join("; ", leaked));
        }
    }

    // ── HTTP ───────────────────────────────────────────────────────────────────────────────────────────────────

    private void wrong(Actor reader, String subject, String interaction, String detail) {
        finding(WRONG, reader, subject, interaction, detail);
    }

    private void finding(String kind, Actor reader, String subject, String interaction, String detail) {
        findings.add(new Finding(kind, reader.label(), subject, interaction, detail));
    }

    /**
     * How a refused read of one entry is answered: another patient's entry, or one labelled sensitive, as if it did not
     * exist (a 403 would confirm it is there, and what kind it is); any other refusal with its reason.
     */
    private static String refusal(Verdict verdict) {
        return verdict.reason().equals("other-patient") || verdict.reason().equals("sensitive")
                ? "404"
                : "403 " + verdict.reason();
    }

    private static String answer(HttpResponse<String> response) {
        if (response.statusCode() == 403) {
            return "403 " + String.join(",", AccessMatrix.denialReasons(response.body()));
        }
        return String.valueOf(response.statusCode());
    }

    private static String nextLink(String body) {
        try {
            Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, body);
            return bundle.getLink(Bundle.LINK_NEXT) == null
                    ? null
                    : bundle.getLink(Bundle.LINK_NEXT).getUrl();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String patientParameter(String type) {
        return FHIR.getResourceDefinition(type).getSearchParam("patient") != null ? "patient" : "subject";
    }

    private HttpResponse<String> get(Actor as, String url) throws IOException, InterruptedException {
        return send(as, "GET", url, null, null, Map.of());
    }

    private HttpResponse<String> send(
            Actor as, String method, String url, String body, String contentType, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token(as))
                .header("Accept", "application/fhir+json")
                .header("Cache-Control", "no-cache")
                .timeout(Duration.ofSeconds(60));
        headers.forEach(request::header);
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        requests.incrementAndGet();
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Tokens are fetched once per actor: the matrix attacks the record, not the token endpoint. */
    private String token(Actor as) {
        return tokens.computeIfAbsent(as.label(), l -> as.token().get());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String body) {
        return body.length() > 160 ? body.substring(0, 160) + "..." : body;
    }
}
