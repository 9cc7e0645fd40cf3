package org.ldrtestbed.fhirserver.sut;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.contract.SystemUnderTest;
import org.ldrtestbed.routes.sut.SutExchanges;

/**
 * Which FHIR writes are a sending system under test's message in a run, and what is kept of them: a create that names
 * a registered run ({@code X-Ldr-Journey}), by a client of an organisation the run binds as the sender of a flow over
 * {@code fhir-rest}, of a resource type that flow is triggered by. Such a write is on the run's clock (as an MLLP
 * message is: the system may pick its run, never its time), must be for the run's patient, and is kept, with the
 * testbed's answer, as an exchange {@link SutExchange#FROM_SUT} for the engine waiting on it.
 */
public final class SutWrites {

    /** A write matched to a run's sending system. */
    public record Matched(String run, SystemUnderTest binding, SharingFlow flow) {}

    private final FlowSwitches runs;
    private final FlowCatalogue catalogue;
    private final SutExchanges exchanges;
    private final RunClock clock;
    private final IFhirPath fhirPath;

    public SutWrites(
            FlowSwitches runs,
            FlowCatalogue catalogue,
            SutExchanges exchanges,
            RunClock clock,
            FhirContext fhirContext) {
        this.runs = runs;
        this.catalogue = catalogue;
        this.exchanges = exchanges;
        this.clock = clock;
        this.fhirPath = fhirContext.newFhirPath();
    }

    /**
     * The run's sending system this create is the message of, if any.
     *
     * @param run the run the request names, or null
     * @param organisation the caller's organisation (its token's), or null
     * @param resourceType the type created
     * @param transport how it came: {@code fhir-rest}, or {@code mesh} for a message the system posted to its outbox
     */
    public Optional<Matched> match(String run, String organisation, String resourceType, String transport) {
        if (organisation == null || resourceType == null) {
            return Optional.empty();
        }
        return runs.of(run)
                .map(RunSwitches::systemsUnderTest)
                .flatMap(bound -> bound.stream()
                        .filter(b -> b.direction() == SystemUnderTest.Direction.SENDS
                                && b.transport().equals(transport)
                                && b.organisation().equals(organisation))
                        .flatMap(b -> catalogue.flow(b.flow()).stream()
                                .filter(f -> f.trigger() != null
                                        && f.trigger().resourceTypes().contains(resourceType))
                                .map(f -> new Matched(run, b, f)))
                        .findFirst());
    }

    /** Now on the run's clock, for what the system's write causes. */
    public Instant now(Matched write) {
        return clock.now(write.run());
    }

    /** The NHS number the resource is for, as its flow reads it, or null. */
    public String nhsNumber(Matched write, IBaseResource resource) {
        String path = write.flow().nhsNumber();
        if (path == null || path.isBlank() || resource == null) {
            return null;
        }
        return fhirPath.evaluate(resource, path, IPrimitiveType.class).stream()
                .map(IPrimitiveType::getValueAsString)
                .findFirst()
                .orElse(null);
    }

    /**
     * Why the write must be refused, or empty: a system that names a run must send for the run's patient, so that a
     * wrong patient never files into whoever else has that NHS number.
     */
    public Optional<String> refusal(Matched write, IBaseResource resource) {
        Set<String> follows = runs.of(write.run()).map(RunSwitches::nhsNumbers).orElse(Set.of());
        String nhsNumber = nhsNumber(write, resource);
        if (follows.isEmpty()) {
            return Optional.empty();
        }
        if (nhsNumber == null) {
            return Optional.of("the " + write.flow().code() + " message names no NHS number ("
                    + write.flow().nhsNumber() + "): refused, nothing filed");
        }
        if (!follows.contains(nhsNumber)) {
            return Optional.of("X-Ldr-Journey names run " + write.run() + ", whose patient is not NHS number "
                    + nhsNumber + ": refused, nothing filed");
        }
        return Optional.empty();
    }

    /**
     * Keeps the write and the testbed's answer as the system's exchange.
     *
     * @param endpoint where it was written, e.g. {@code POST http://host/fhir/Bundle}, and by which client
     * @param status the HTTP status answered
     * @param response the answer's body (the stored resource, or an OperationOutcome), or null
     * @param location the stored resource's id ({@code Bundle/12/_history/1}) when created, else null
     */
    public SutExchange keep(
            Matched write,
            String endpoint,
            String nhsNumber,
            String request,
            int status,
            String response,
            String location,
            String error) {
        return exchanges.record(new SutExchange(
                0,
                write.run(),
                write.binding().system(),
                write.flow().code(),
                null,
                SutExchange.FROM_SUT,
                write.binding().transport(),
                endpoint,
                nhsNumber,
                request,
                status,
                response,
                location,
                error,
                clock.now(write.run())));
    }
}
