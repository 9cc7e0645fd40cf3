package org.ldrtestbed.scenarios.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.HashMapResourceProvider;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AllergyIntolerance;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.MedicationStatement;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Task;
import org.ldrtestbed.fhirserver.contract.Prompt;

/**
 * A reference GP practice system: a plain HAPI {@link RestfulServer} over in-memory {@link HashMapResourceProvider}s
 * on embedded Tomcat, none of the testbed's server code. It files discharge summaries ({@link DischargeSummaryInbox})
 * and answers the structured-record pull ({@link StructuredRecordOperation}); with a {@link Fault} it misbehaves in
 * those two exchanges only, while its reads stay honest so a test can see what it filed.
 *
 * <p>Faults: {@code wrong-patient} files (and answers) under NHS number {@value Fault#WRONG_NHS_NUMBER}; {@code
 * invalid} does its work but answers with a body that is not valid R4; {@code silence} holds the request and never
 * answers, filing nothing; {@code 5xx} answers 503 every time, filing nothing; {@code late} files the first delivery
 * then answers after {@link #lateDelay()}. It can also receive by polling a MESH mailbox ({@link #pollingMesh}), and
 * records what a prompt asks the practice to record ({@link #record}), as a practice's staff would at the keyboard.
 *
 * <p>It also listens for HL7v2 ADT over MLLP with HAPI HL7v2's own server ({@link #mllpAddress()}), filing each
 * admission, transfer or discharge once as an Encounter of the patient ({@link AdtNotificationInbox}, which says what
 * each fault does there: {@code 5xx} answers AE, {@code invalid} answers no ACK at all).
 */
public final class ReferenceGpSystem implements AutoCloseable {

    /** Longer than the testbed's 5 s delivery timeout. */
    public static final Duration DEFAULT_LATE_DELAY = Duration.ofSeconds(8);

    /** Dot (synthetic), her amoxicillin allergy and her inhalers. */
    public static final String DEFAULT_SEED = "sut/reference-gp-seed.json";

    private final FhirContext fhir = FhirContext.forR4Cached();
    private final int requestedPort;
    private final Fault fault;
    private final Duration lateDelay;
    private final Hold hold = new Hold();
    private final Map<String, HashMapResourceProvider<?>> stores = new LinkedHashMap<>();
    private final DischargeSummaryInbox inbox;
    private final AdtNotificationInbox adt;
    private int requestedMllpPort;
    private PlainFhirServer http;
    private PlainMllpServer mllp;
    private MeshPoller mesh;
    private PromptFollower prompts;

    /** @param port 0 for any free port */
    public ReferenceGpSystem(int port, Fault fault) {
        this(port, fault, DEFAULT_LATE_DELAY);
    }

    public ReferenceGpSystem(int port, Fault fault, Duration lateDelay) {
        this.requestedPort = port;
        this.fault = fault;
        this.lateDelay = lateDelay;
        HashMapResourceProvider<DocumentReference> documentReferences = store(DocumentReference.class);
        this.inbox = new DischargeSummaryInbox(fhir, fault, lateDelay, hold, documentReferences);
        stores.put("Bundle", inbox);
        this.adt = new AdtNotificationInbox(fhir, fault, lateDelay, hold);
        stores.put("Encounter", adt);
        store(Patient.class);
        store(AllergyIntolerance.class);
        store(MedicationStatement.class);
        store(MedicationRequest.class);
        store(Condition.class);
        store(Task.class);
    }

    private <T extends IBaseResource> HashMapResourceProvider<T> store(Class<T> type) {
        HashMapResourceProvider<T> provider = new HashMapResourceProvider<>(fhir, type);
        stores.put(fhir.getResourceType(type), provider);
        return provider;
    }

    /** Adds the resources of a JSON Bundle (any type) to the store, keeping their ids. */
    public ReferenceGpSystem seed(String bundleJson) {
        Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, bundleJson);
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            HashMapResourceProvider<?> store = stores.get(resource.fhirType());
            if (store == null) {
                throw new IllegalArgumentException(
                        "The reference GP system keeps no " + resource.fhirType() + "; it keeps " + stores.keySet());
            }
            storeAs(store, resource);
        }
        return this;
    }

    /** Seeds from {@link #DEFAULT_SEED}. */
    public ReferenceGpSystem seedDefault() {
        try (InputStream in = ReferenceGpSystem.class.getClassLoader().getResourceAsStream(DEFAULT_SEED)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULT_SEED + " is not on the classpath");
            }
            return seed(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends IBaseResource> void storeAs(HashMapResourceProvider<T> store, Resource resource) {
        store.store((T) resource);
    }

    public ReferenceGpSystem start() {
        RestfulServer server = fault == Fault.INVALID ? new DeafToPrefer(fhir) : new RestfulServer(fhir);
        // A correct receiver answers a create with what it stored; the fault decides otherwise.
        server.setDefaultPreferReturn(PreferReturnEnum.REPRESENTATION);
        server.registerProviders(stores.values());
        server.registerProvider(new StructuredRecordOperation(
                fhir,
                fault,
                lateDelay,
                hold,
                typed(Patient.class),
                typed(AllergyIntolerance.class),
                typed(MedicationStatement.class),
                typed(MedicationRequest.class)));
        http = PlainFhirServer.start(server, requestedPort, "reference-gp");
        try {
            mllp = PlainMllpServer.start(requestedMllpPort, "reference-gp", adt);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /** The port its MLLP listener takes at {@link #start()} (default 0: any free one). */
    public ReferenceGpSystem listeningForMllpOn(int port) {
        this.requestedMllpPort = port;
        return this;
    }

    /** Its MLLP listener's port. */
    public int mllpPort() {
        if (mllp == null) {
            throw new IllegalStateException("not started");
        }
        return mllp.port();
    }

    /** e.g. {@code 127.0.0.1:P}, as a systems file's {@code endpoint.mllp} names it. */
    public String mllpAddress() {
        return "127.0.0.1:" + mllpPort();
    }

    /**
     * Also receives discharge summaries by polling a MESH mailbox of the testbed's (every {@link MeshPoller#INTERVAL}):
     * downloads, files as for a POST (same dedup on {@code Bundle.identifier}, same {@code wrong-patient}), then
     * acknowledges. {@code late} acknowledges after {@link #lateDelay()}; {@code silence} and {@code 5xx} never poll, so
     * never acknowledge; {@code invalid} has no answer to spoil over a mailbox. The FHIR base stays up, so the testbed
     * can find what was filed ({@code GET [base]/Bundle?identifier=}). Call after {@link #start()}.
     *
     * @param testbedRoot the testbed's root URL, e.g. {@code http://localhost:8080}
     * @param token a bearer token (the access token alone) of a system client of the mailbox's organisation; asked
     *     again when the testbed refuses one
     * @param mailbox the mailbox id, e.g. {@code SYNG09-MBX}
     */
    public ReferenceGpSystem pollingMesh(URI testbedRoot, Supplier<String> token, String mailbox) {
        if (http == null) {
            throw new IllegalStateException("start the GP system before it polls a mailbox");
        }
        if (mesh != null) {
            throw new IllegalStateException("the GP system already polls a mailbox");
        }
        String base = baseUrl();
        mesh = new MeshPoller(
                        fhir,
                        testbedRoot,
                        token,
                        mailbox,
                        fault,
                        lateDelay,
                        document -> inbox.fileDownloaded(document, base))
                .start();
        return this;
    }

    /**
     * Records what the testbed's prompt asks the practice to record (its {@code example}: a collection Bundle of the
     * patient and the entries), as the practice's staff would: the patient registered if the system does not know the
     * NHS number, each entry added unless the patient already has one of that type and code. Faults do not apply: they
     * spoil the answers, not the record.
     *
     * @return how many entries were added
     */
    public synchronized int record(Prompt prompt) {
        Bundle asked = fhir.newJsonParser().parseResource(Bundle.class, prompt.example());
        Patient given = asked.getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource)
                .filter(Patient.class::isInstance)
                .map(Patient.class::cast)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the prompt names no patient"));
        String nhsNumber = DischargeSummaryInbox.nhsNumberOf(given)
                .map(Identifier::getValue)
                .orElseThrow(() -> new IllegalArgumentException("the prompt's patient has no NHS number"));
        HashMapResourceProvider<Patient> patients = typed(Patient.class);
        Patient patient = patients.getStoredResources().stream()
                .filter(p -> DischargeSummaryInbox.nhsNumberOf(p)
                        .map(i -> nhsNumber.equals(i.getValue()))
                        .orElse(false))
                .findFirst()
                .orElseGet(() -> {
                    Patient registered = given.copy();
                    registered.setId("pt-" + nhsNumber);
                    patients.store(registered);
                    return registered;
                });
        String patientRef = "Patient/" + patient.getIdElement().getIdPart();
        // Each entry its own id here; references among the prompt's entries follow them.
        Map<String, String> ids = new LinkedHashMap<>();
        ids.put(
                asked.getEntry().stream()
                        .filter(e -> e.getResource() == given)
                        .findFirst()
                        .orElseThrow()
                        .getFullUrl(),
                patientRef);
        java.util.List<Resource> entries = new java.util.ArrayList<>();
        for (Bundle.BundleEntryComponent entry : asked.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == given || !stores.containsKey(resource.fhirType())) {
                continue;
            }
            if (holds(resource, patient.getIdElement().getIdPart())) {
                continue;
            }
            resource.setId(resource.fhirType() + "/gp-" + java.util.UUID.randomUUID());
            ids.put(
                    entry.getFullUrl(),
                    resource.getIdElement().toUnqualifiedVersionless().getValue());
            entries.add(resource);
        }
        for (Resource resource : entries) {
            fhir.newTerser().getAllResourceReferences(resource).forEach(r -> {
                String to = r.getResourceReference().getReferenceElement().getValue();
                if (to != null && ids.containsKey(to)) {
                    r.getResourceReference().setReference(ids.get(to));
                }
            });
            storeAs(stores.get(resource.fhirType()), resource);
        }
        return entries.size();
    }

    /** Whether the patient already has an entry of this type and first code. */
    private boolean holds(Resource resource, String patientId) {
        String code = StructuredRecordOperation.firstCode(resource);
        return stores.get(resource.fhirType()).getStoredResources().stream()
                .map(Resource.class::cast)
                .anyMatch(held -> code != null
                        && code.equals(StructuredRecordOperation.firstCode(held))
                        && StructuredRecordOperation.patientOf(held)
                                .map(ref -> ("Patient/" + patientId).equals(ref))
                                .orElse(false));
    }

    /**
     * Records what the testbed's prompts for this system ask ({@link #record}), polling {@code GET
     * {testbed}/testbed/prompts?system=NAME}: for a run that pulls the GP summary from it, run on its own ({@code
     * reference-sut gp-practice --follow-prompts NAME}). Call after {@link #start()}.
     *
     * @param token a bearer token (the access token alone) of a system client of the practice
     * @param log told what it recorded and what went wrong
     */
    public ReferenceGpSystem followingPrompts(
            URI testbedRoot, Supplier<String> token, String system, java.util.function.Consumer<String> log) {
        if (prompts != null) {
            throw new IllegalStateException("the GP system already follows prompts");
        }
        prompts = new PromptFollower(
                        testbedRoot,
                        token,
                        system,
                        prompt -> {
                            try {
                                log.accept("Recorded " + record(prompt) + " entries for " + prompt.run() + "/"
                                        + prompt.step());
                            } catch (RuntimeException e) {
                                log.accept("Could not record " + prompt.run() + "/" + prompt.step() + ": "
                                        + e.getMessage());
                            }
                        },
                        log)
                .start();
        return this;
    }

    /** What went wrong last polling the mailbox, or null (none, or not polling). */
    public String meshProblem() {
        return mesh == null ? null : mesh.problem();
    }

    /** An invalid system answers with its invalid body even to {@code Prefer: return=minimal}. */
    private static final class DeafToPrefer extends RestfulServer {
        DeafToPrefer(FhirContext fhir) {
            super(fhir);
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response)
                throws ServletException, IOException {
            super.service(
                    new HttpServletRequestWrapper(request) {
                        @Override
                        public String getHeader(String name) {
                            return "Prefer".equalsIgnoreCase(name) ? null : super.getHeader(name);
                        }

                        @Override
                        public Enumeration<String> getHeaders(String name) {
                            return "Prefer".equalsIgnoreCase(name)
                                    ? Collections.emptyEnumeration()
                                    : super.getHeaders(name);
                        }
                    },
                    response);
        }
    }

    @SuppressWarnings("unchecked")
    private <T extends IBaseResource> HashMapResourceProvider<T> typed(Class<T> type) {
        return (HashMapResourceProvider<T>) stores.get(fhir.getResourceType(type));
    }

    public int port() {
        if (http == null) {
            throw new IllegalStateException("not started");
        }
        return http.port();
    }

    /** e.g. {@code http://127.0.0.1:P/fhir} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/fhir";
    }

    public Fault fault() {
        return fault;
    }

    public Duration lateDelay() {
        return lateDelay;
    }

    @Override
    public void close() {
        if (mesh != null) {
            mesh.close();
            mesh = null;
        }
        if (prompts != null) {
            prompts.close();
            prompts = null;
        }
        hold.release();
        if (mllp != null) {
            mllp.close();
            mllp = null;
        }
        if (http != null) {
            http.close();
            http = null;
        }
    }
}
