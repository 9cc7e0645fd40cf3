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
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.ldrtestbed.fhirserver.access.DecisionTable.Cell;
import org.ldrtestbed.fhirserver.access.MatrixActors.Actor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.identity.access.AccessDecision;
import org.ldrtestbed.identity.access.AccessFacts;
import org.ldrtestbed.identity.access.AccessPolicy;
import org.ldrtestbed.identity.access.AccessPolicy.ResourceClass;
import org.ldrtestbed.identity.access.AccessPolicy.SensitiveLabel;
import org.ldrtestbed.identity.access.AccessRules;
import org.ldrtestbed.identity.access.InteractionRules;
import org.ldrtestbed.identity.access.RequestFacts;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.identity.contract.RealmDefinition;
import org.ldrtestbed.identity.contract.RealmDefinition.RealmUser;
import org.ldrtestbed.identity.contract.TokenClient;
import org.ldrtestbed.routes.contract.FlowCatalogue;

/**
 * The access matrix, generated from the access policy file and the realm: writes synthetic patients in every state the
 * policy tells apart (care relationship or not, dissent or not, a proxy's grant), one entry per policy class with and
 * without a sensitive label, then reads and searches every entry as every reader the realm has for a policy role (with
 * and without break-glass where the role has it), as the patient and their proxy, and as a system. What the server
 * answers is set against what {@link AccessRules} decides from the same facts: the policy file is the oracle, not the
 * server's code. Plain HTTP and tokens, so it runs against a server trusting either identity provider.
 */
final class AccessMatrix {

    static final String POLICY = "classpath:identity/access-policy.yaml";
    static final String PASSWORD = MatrixActors.PASSWORD;

    /** Writes the matrix's entries: a system of an organisation no reader works for, whose entries no flow holds. */
    static final String ENTRY_WRITER = "mesh-mailbox";

    /** Dot, whose realm users are the patient's own token and her proxy's. */
    static final String DOT = "9990000077";

    /** What Dot grants her proxy. */
    static final List<String> PROXY_GRANT = List.of("Patient", "Appointment", "MedicationStatement");

    private static final String BREAK_GLASS_REASON = "Access matrix: synthetic emergency";

    /**
     * Reasons a read of one entry never gives (it is answered 404): saying them would tell that the entry exists, and
     * what kind it is. A search may say other-patient, which depends on the token and the patient searched alone.
     */
    private static final Set<AccessDecision.Reason> UNSPOKEN =
            Set.of(AccessDecision.Reason.OTHER_PATIENT, AccessDecision.Reason.SENSITIVE);

    private static final int THREADS = 4;
    private static final FhirContext FHIR = FhirContext.forR4Cached();

    private final String fhirBase;
    private final MatrixActors actors;
    private final RealmDefinition realm;
    private final Function<String, Optional<String>> settingOf;
    private final FlowCatalogue catalogue;
    private final AccessPolicy policy;
    private final AccessRules rules;
    private final InteractionRules interactions;
    private final MatrixEntries builder;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final AtomicInteger requests = new AtomicInteger();

    /** An actor reading for a purpose of use. */
    record Reader(Actor actor, String purpose) {
        String label() {
            return actor.label() + (AccessPolicy.BREAK_GLASS.equals(purpose) ? " +BTG" : "");
        }
    }

    /** A dissent: the organisations it names and the types it covers (empty: all). */
    record Dissent(List<String> organisations, List<String> types) {
        boolean covers(String organisation, String type) {
            return (organisations.isEmpty() || organisations.contains(organisation))
                    && (types.isEmpty() || types.contains(type));
        }
    }

    /** A synthetic patient and the state the matrix gives their record. */
    record MatrixPatient(
            String alias,
            String nhsNumber,
            List<String> namedOrganisations,
            Optional<Dissent> dissent,
            Map<String, List<String>> proxyGrants) {}

    /** One written entry and the facts the policy decides on. */
    record Entry(
            String label,
            MatrixPatient patient,
            String patientId,
            String type,
            String resourceClass,
            Set<String> sensitiveCategories,
            String writerOrganisation,
            String reference) {}

    AccessMatrix(
            URI fhirBase,
            TokenClient tokens,
            RealmDefinition realm,
            Function<String, Optional<String>> settingOf,
            FlowCatalogue catalogue) {
        this.fhirBase = fhirBase.toString().replaceAll("/+$", "");
        this.actors = new MatrixActors(realm, tokens);
        this.realm = realm;
        this.settingOf = settingOf;
        this.catalogue = catalogue;
        this.policy = AccessPolicy.load(POLICY);
        this.rules = new AccessRules(policy);
        this.interactions = new InteractionRules(rules);
        this.builder = new MatrixEntries(FHIR, policy);
    }

    DecisionTable run() throws Exception {
        List<Actor> professionals = professionals();
        List<String> readerOrganisations = professionals.stream()
                .map(a -> a.identity().organisation())
                .distinct()
                .sorted()
                .toList();
        List<Actor> actors = new ArrayList<>(professionals);
        actors.add(userWith(policy.patientRole(), "patient", DOT));
        Actor proxy = userWith(policy.proxyRole(), "proxy_for", DOT);
        actors.add(proxy);
        actors.add(system());
        List<Reader> readers = new ArrayList<>();
        for (Actor actor : actors) {
            readers.add(new Reader(actor, AccessPolicy.TREAT));
            if (policy.mayBreakGlass(actor.identity().roles())) {
                readers.add(new Reader(actor, AccessPolicy.BREAK_GLASS));
            }
        }
        Actor writer = systemActor(ENTRY_WRITER);
        checkWriter(settingOf, catalogue, writer, readerOrganisations);

        Instant started = Instant.now();
        List<MatrixPatient> patients =
                patients(readerOrganisations, proxy.identity().username());
        List<Entry> entries = write(patients, writer, readerOrganisations);
        Map<String, Set<String>> involved = new LinkedHashMap<>();
        entries.forEach(e -> involved.computeIfAbsent(
                        e.patient().alias(),
                        a -> new LinkedHashSet<>(e.patient().namedOrganisations()))
                .add(e.writerOrganisation()));
        Duration setUp = Duration.between(started, Instant.now());

        Instant asking = Instant.now();
        List<Callable<List<Cell>>> checks = new ArrayList<>();
        for (Reader reader : readers) {
            for (Entry entry : entries) {
                checks.add(() -> List.of(read(reader, entry, expect(reader, entry, involved))));
            }
            for (MatrixPatient patient : patients) {
                entries.stream()
                        .filter(e -> e.patient() == patient)
                        .map(Entry::type)
                        .distinct()
                        .forEach(type -> checks.add(() -> search(reader, patient, type, entries, involved)));
            }
            if (AccessPolicy.TREAT.equals(reader.purpose())
                    && !policy.mayBreakGlass(reader.actor().identity().roles())) {
                checks.add(() -> List.of(breakGlassRefused(reader, entries.getFirst())));
            }
            if (rules.isPatient(reader.actor().identity())
                    || rules.isProxy(reader.actor().identity())) {
                entries.stream()
                        .map(Entry::type)
                        .distinct()
                        .forEach(type -> checks.add(() -> leaks(reader, type, entries)));
            }
        }
        List<Cell> cells = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            for (Future<List<Cell>> done : pool.invokeAll(checks)) {
                cells.addAll(done.get());
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("A matrix request failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new DecisionTable(cells, requests.get(), setUp, Duration.between(asking, Instant.now()));
    }

    // ── Who reads ──────────────────────────────────────────────────────────────────────────────────────────────

    /** One realm user for each policy role that has users: the first in the realm file. */
    private List<Actor> professionals() {
        List<Actor> found = new ArrayList<>();
        policy.roles().keySet().stream()
                .sorted()
                .forEach(role -> actors.firstUserWithRole(role).ifPresent(found::add));
        return found;
    }

    private Actor userWith(String role, String attribute, String nhsNumber) {
        return actors.userWith(role, attribute, nhsNumber);
    }

    /** A system client of the realm, other than the one that writes the entries. */
    private Actor system() {
        return realm.users().stream()
                .filter(u -> u.serviceAccountClientId() != null
                        && !u.serviceAccountClientId().equals(ENTRY_WRITER))
                .filter(u -> !rules.restricts(identity(u)))
                .findFirst()
                .map(u -> systemActor(u.serviceAccountClientId()))
                .orElseThrow(() -> new IllegalStateException("No unrestricted system client in the realm"));
    }

    private Actor userActor(RealmUser user) {
        return actors.userActor(user);
    }

    private Actor systemActor(String clientId) {
        return actors.systemActor(clientId);
    }

    private static ActorIdentity identity(RealmUser user) {
        return MatrixActors.identity(user);
    }

    /** The entries' writer must not be a reader's organisation, nor of a setting whose entries a flow holds. */
    static void checkWriter(
            Function<String, Optional<String>> settingOf,
            FlowCatalogue catalogue,
            Actor writer,
            List<String> readerOrganisations) {
        String organisation = writer.identity().organisation();
        String setting = settingOf.apply(organisation).orElse(null);
        if (readerOrganisations.contains(organisation)
                || catalogue.flows().stream().anyMatch(f -> f.publishes() != null && f.sendsFrom(setting))) {
            throw new IllegalStateException("Writer " + writer.label() + " (" + organisation + ", " + setting
                    + ") is a reader's organisation or its entries are held by a publishing flow");
        }
    }

    /** A writer for a class chosen by care setting: of that setting, and of no reader's organisation. */
    private Actor settingWriter(ResourceClass resourceClass, List<String> readerOrganisations) {
        return actors.settingWriter(resourceClass.writtenBySetting(), readerOrganisations, settingOf);
    }

    // ── What is written ────────────────────────────────────────────────────────────────────────────────────────

    /**
     * Dot (every reader's organisation in her care team, a proxy grant), a patient with the same care team who
     * dissents from all sharing, one no reader's organisation knows, and one whose care team and dissent each name a
     * different half of the readers' organisations (the dissent for every other class's type only).
     */
    private List<MatrixPatient> patients(List<String> organisations, String proxyUsername) {
        List<String> halfTypes = IntStream.range(0, policy.classes().size())
                .filter(i -> i % 2 == 0)
                .mapToObj(i -> builder.typeFor(policy.classes().get(i)))
                .distinct()
                .toList();
        List<String> evenOrganisations = IntStream.range(0, organisations.size())
                .filter(i -> i % 2 == 0)
                .mapToObj(organisations::get)
                .toList();
        List<String> pairedOrganisations = IntStream.range(0, organisations.size())
                .filter(i -> (i / 2) % 2 == 0)
                .mapToObj(organisations::get)
                .toList();
        return List.of(
                new MatrixPatient("dot", DOT, organisations, Optional.empty(), Map.of(proxyUsername, PROXY_GRANT)),
                new MatrixPatient(
                        "dissenting",
                        synthetic(1),
                        organisations,
                        Optional.of(new Dissent(List.of(), List.of())),
                        Map.of()),
                new MatrixPatient("unknown", synthetic(2), List.of(), Optional.empty(), Map.of()),
                new MatrixPatient(
                        "partial",
                        synthetic(3),
                        evenOrganisations,
                        Optional.of(new Dissent(pairedOrganisations, halfTypes)),
                        Map.of()));
    }

    static String synthetic(int n) {
        String number = NhsNumber.syntheticFrom(4_200_000L + 1_000L * n);
        if (!NhsNumber.isValid(number) || number.equals(DOT)) {
            throw new IllegalStateException("Not a usable synthetic NHS number: " + number);
        }
        return number;
    }

    private List<Entry> write(List<MatrixPatient> patients, Actor writer, List<String> readerOrganisations)
            throws Exception {
        List<Entry> entries = new ArrayList<>();
        List<SensitiveLabel> labels = policy.sensitiveLabels();
        for (MatrixPatient patient : patients) {
            Patient resource = new Patient();
            resource.addIdentifier().setSystem(NhsNumber.SYSTEM).setValue(patient.nhsNumber());
            resource.addName().setFamily("Matrix-Synthetic").addGiven(patient.alias());
            Entry patientEntry = write(patient, patient.alias() + "/Patient", resource, writer, Optional.empty());
            entries.add(patientEntry);
            String patientId = new IdType(patientEntry.reference()).getIdPart();
            if (!patient.namedOrganisations().isEmpty()) {
                entries.add(write(
                        patient,
                        patient.alias() + "/CareTeam (care team)",
                        MatrixEntries.careTeam(patientId, patient.namedOrganisations()),
                        writer,
                        Optional.empty()));
            }
            if (patient.dissent().isPresent()) {
                Dissent dissent = patient.dissent().get();
                entries.add(write(
                        patient,
                        patient.alias() + "/Consent (dissent)",
                        MatrixEntries.dissent(patientId, dissent.organisations(), dissent.types()),
                        writer,
                        Optional.empty()));
            }
            for (Map.Entry<String, List<String>> grant : patient.proxyGrants().entrySet()) {
                entries.add(write(
                        patient,
                        patient.alias() + "/Consent (proxy grant)",
                        MatrixEntries.proxyGrant(patientId, grant.getKey(), grant.getValue()),
                        writer,
                        Optional.empty()));
            }
            for (int i = 0; i < policy.classes().size(); i++) {
                ResourceClass resourceClass = policy.classes().get(i);
                Actor classWriter = resourceClass.writtenBySetting().isEmpty()
                        ? writer
                        : settingWriter(resourceClass, readerOrganisations);
                SensitiveLabel label = labels.get(i % labels.size());
                for (Optional<SensitiveLabel> sensitivity :
                        List.of(Optional.<SensitiveLabel>empty(), Optional.of(label))) {
                    String name = patient.alias() + "/" + resourceClass.code() + "/" + builder.typeFor(resourceClass)
                            + sensitivity.map(l -> " [" + l.code() + "]").orElse("");
                    Entry entry = write(
                            patient,
                            name,
                            builder.build(resourceClass, patientId, sensitivity),
                            classWriter,
                            sensitivity);
                    if (!entry.resourceClass().equals(resourceClass.code())) {
                        throw new IllegalStateException(name + " lands in class " + entry.resourceClass());
                    }
                    entries.add(entry);
                }
            }
        }
        return entries;
    }

    private Entry write(
            MatrixPatient patient, String label, Resource resource, Actor writer, Optional<SensitiveLabel> sensitivity)
            throws Exception {
        String organisation = writer.identity().organisation();
        String resourceClass = builder.classOf(resource, settingOf.apply(organisation))
                .orElseThrow(() -> new IllegalStateException(label + " is in no class of the policy"));
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(fhirBase + "/" + resource.fhirType()))
                .header("Authorization", "Bearer " + writer.token().get())
                .header("Content-Type", "application/fhir+json")
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(resource))));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("Writing " + label + " as " + writer.label() + ": HTTP "
                    + created.statusCode() + " " + created.body());
        }
        String reference = new IdType(created.headers().firstValue("Location").orElseThrow())
                .toUnqualifiedVersionless()
                .getValue();
        Set<String> categories = new TreeSet<>();
        sensitivity.flatMap(l -> policy.sensitiveCategory(l.system(), l.code())).ifPresent(categories::add);
        String patientId = resource instanceof Patient ? new IdType(reference).getIdPart() : patientIdOf(resource);
        return new Entry(
                label, patient, patientId, resource.fhirType(), resourceClass, categories, organisation, reference);
    }

    // ── The oracle ─────────────────────────────────────────────────────────────────────────────────────────────

    /** What the policy decides, from the facts of the set-up. */
    private AccessDecision expect(Reader reader, Entry entry, Map<String, Set<String>> involved) {
        ActorIdentity who = reader.actor().identity();
        String organisation = who.organisation();
        MatrixPatient patient = entry.patient();
        boolean ownRecord =
                patient.nhsNumber().equals(who.patient()) || patient.nhsNumber().equals(who.proxyFor());
        Set<String> granted = patient.nhsNumber().equals(who.proxyFor())
                ? Set.copyOf(patient.proxyGrants().getOrDefault(who.username(), List.of()))
                : Set.of();
        return rules.decide(new AccessFacts(
                who,
                reader.purpose(),
                entry.type(),
                entry.resourceClass(),
                entry.sensitiveCategories(),
                organisation != null && organisation.equals(entry.writerOrganisation()),
                ownRecord,
                granted,
                organisation != null && involved.get(patient.alias()).contains(organisation),
                organisation != null
                        && patient.dissent()
                                .map(d -> d.covers(organisation, entry.type()))
                                .orElse(false)));
    }

    // ── Asking the server ──────────────────────────────────────────────────────────────────────────────────────

    private Cell read(Reader reader, Entry entry, AccessDecision expected) throws Exception {
        HttpResponse<String> response = get(reader, fhirBase + "/" + entry.reference());
        String got = switch (response.statusCode()) {
            case 200 -> "200";
            case 403 -> "403 " + String.join(",", denialReasons(response.body()));
            default -> "HTTP " + response.statusCode();
        };
        // Another patient's entry, or one labelled sensitive, is answered as if it did not exist.
        String want = expected.allowed()
                ? "200"
                : UNSPOKEN.contains(expected.reason())
                        ? "HTTP 404"
                        : "403 " + expected.reason().code();
        return new Cell(reader.label(), entry.label(), "read", want, got, want.equals(got));
    }

    /**
     * One search per reader, patient and type; a cell for each of the patient's entries of that type (present, or
     * left out with its reason in the result's OperationOutcome), and one for the total a restricted reader must not
     * get.
     */
    private List<Cell> search(
            Reader reader, MatrixPatient patient, String type, List<Entry> entries, Map<String, Set<String>> involved)
            throws Exception {
        List<Entry> expected = entries.stream()
                .filter(e -> e.patient() == patient && e.type().equals(type))
                .toList();
        String patientId = expected.getFirst().patientId();
        String subject = patient.alias() + " " + type + "?" + patientParameter(type);
        HttpResponse<String> response = get(
                reader,
                fhirBase + "/" + type + "?" + patientParameter(type) + "=" + encode(patientSearchValue(type, patientId))
                        + "&_count=500");
        List<Cell> cells = new ArrayList<>();
        if (response.statusCode() != 200) {
            for (Entry entry : expected) {
                AccessDecision decision = expect(reader, entry, involved);
                cells.add(new Cell(
                        reader.label(),
                        entry.label(),
                        "search",
                        decision.allowed()
                                ? "present"
                                : "withheld: " + decision.reason().code(),
                        "HTTP " + response.statusCode(),
                        false));
            }
            return cells;
        }
        Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
        Set<String> shown = new LinkedHashSet<>();
        Set<String> reasons = new TreeSet<>();
        for (Bundle.BundleEntryComponent found : bundle.getEntry()) {
            if (found.getResource() instanceof OperationOutcome outcome) {
                reasons.addAll(denialReasons(outcome));
            } else if (found.getResource() != null) {
                shown.add(found.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue());
            }
        }
        for (Entry entry : expected) {
            AccessDecision decision = expect(reader, entry, involved);
            String want = decision.allowed()
                    ? "present"
                    : "withheld: " + decision.reason().code();
            String got = shown.contains(entry.reference())
                    ? "present"
                    : "withheld: " + (reasons.isEmpty() ? "(no outcome)" : String.join(",", reasons));
            // Sensitive entries and held ones are left out without a word: the result says only what it would say
            // whatever matched (the reader's rights over the record and type). Another patient's record is named as
            // such (other-patient: it depends on the token and the patient searched alone, OtherPatientIT).
            boolean agrees = decision.allowed()
                    ? got.equals("present")
                    : !shown.contains(entry.reference())
                            && !reasons.contains(AccessDecision.Reason.SENSITIVE.code())
                            && !reasons.contains(AccessDecision.Reason.HELD.code());
            cells.add(new Cell(reader.label(), entry.label(), "search", want, got, agrees));
        }
        ActorIdentity who = reader.actor().identity();
        // Every type the matrix writes is patient data: only a professional's trace keeps its total.
        if (!interactions.keepsTotal(who, type, true)) {
            String got = bundle.hasTotal() ? "total " + bundle.getTotal() : "no total";
            cells.add(new Cell(reader.label(), subject, "search total", "no total", got, got.equals("no total")));
        }
        return cells;
    }

    /** A patient's or proxy's search without a patient parameter shows nothing of another patient's record. */
    private List<Cell> leaks(Reader reader, String type, List<Entry> entries) throws Exception {
        ActorIdentity who = reader.actor().identity();
        Map<String, Entry> byReference = new LinkedHashMap<>();
        entries.forEach(e -> byReference.put(e.reference(), e));
        HttpResponse<String> response = get(reader, fhirBase + "/" + type + "?_count=500");
        String got;
        if (response.statusCode() != 200) {
            got = "HTTP " + response.statusCode();
        } else {
            List<String> foreign = new ArrayList<>();
            Bundle bundle = FHIR.newJsonParser().parseResource(Bundle.class, response.body());
            for (Bundle.BundleEntryComponent found : bundle.getEntry()) {
                if (found.getResource() == null || found.getResource() instanceof OperationOutcome) {
                    continue;
                }
                String reference = found.getResource()
                        .getIdElement()
                        .toUnqualifiedVersionless()
                        .getValue();
                Entry entry = byReference.get(reference);
                String nhsNumber = entry == null ? null : entry.patient().nhsNumber();
                if (nhsNumber == null || !(nhsNumber.equals(who.patient()) || nhsNumber.equals(who.proxyFor()))) {
                    foreign.add(entry == null ? reference : entry.label());
                }
            }
            got = foreign.isEmpty() ? "own record only" : "shows " + String.join(", ", foreign);
        }
        HttpResponse<String> count = get(reader, fhirBase + "/" + type + "?_summary=count");
        String countGot = "HTTP " + count.statusCode();
        String countWant = interactions.refusesTotal(new RequestFacts(
                        who, "search-type", null, type, false, true, Map.of("_summary", List.of("count")), Map.of()))
                ? "HTTP 403"
                : "HTTP 200";
        return List.of(
                new Cell(
                        reader.label(),
                        type + " (no patient)",
                        "leak",
                        "own record only",
                        got,
                        got.equals("own record only")),
                new Cell(
                        reader.label(),
                        type + "?_summary=count",
                        "count",
                        countWant,
                        countGot,
                        countGot.equals(countWant)));
    }

    /** A role without emergency access asking for it is refused. */
    private Cell breakGlassRefused(Reader reader, Entry entry) throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(fhirBase + "/" + entry.reference()))
                .header("Authorization", "Bearer " + reader.actor().token().get())
                .header(AccessInterceptor.BREAK_GLASS_HEADER, BREAK_GLASS_REASON)
                .GET());
        String got = "HTTP " + response.statusCode();
        return new Cell(reader.label(), entry.label(), "break-glass", "HTTP 403", got, got.equals("HTTP 403"));
    }

    /** The patient an entry names, wherever its type names them. */
    private static String patientIdOf(Resource resource) {
        for (String element : List.of("subject", "patient")) {
            if (resource.getNamedProperty(element) != null) {
                for (Base value : resource.getNamedProperty(element).getValues()) {
                    if (value instanceof Reference reference
                            && reference.getReferenceElement().getResourceType().equals("Patient")) {
                        return reference.getReferenceElement().getIdPart();
                    }
                }
            }
        }
        throw new IllegalStateException(resource.fhirType() + " names no patient");
    }

    private static String patientParameter(String type) {
        if (type.equals("Patient")) {
            return "_id";
        }
        return FHIR.getResourceDefinition(type).getSearchParam("patient") != null ? "patient" : "subject";
    }

    private static String patientSearchValue(String type, String id) {
        return type.equals("Patient") ? id : "Patient/" + id;
    }

    private HttpResponse<String> get(Reader reader, String url) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + reader.actor().token().get())
                .header("Cache-Control", "no-cache")
                .GET();
        if (AccessPolicy.BREAK_GLASS.equals(reader.purpose())) {
            request.header(AccessInterceptor.BREAK_GLASS_HEADER, BREAK_GLASS_REASON);
        }
        return send(request);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        requests.incrementAndGet();
        return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static List<String> denialReasons(String body) {
        try {
            IBaseResource parsed = FHIR.newJsonParser().parseResource(body);
            return parsed instanceof OperationOutcome outcome ? denialReasons(outcome) : List.of();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    static List<String> denialReasons(OperationOutcome outcome) {
        List<String> codes = new ArrayList<>();
        outcome.getIssue()
                .forEach(issue -> issue.getDetails().getCoding().stream()
                        .filter(c -> AccessInterceptor.DENIAL_REASONS.equals(c.getSystem()))
                        .forEach(c -> codes.add(c.getCode())));
        return codes;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
