package org.ldrtestbed.routes.catalogue;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.fhirpath.IFhirPath;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.ldrtestbed.identity.contract.FhirPathTruth;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.FlowDecision;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides which flows a resource committed to the shared record starts, and hands each message to the sender. Plain
 * Java: the FHIR server's interceptor calls it after commit, tests call it directly.
 */
public final class FlowDispatcher {

    private static final Logger log = LoggerFactory.getLogger(FlowDispatcher.class);

    private final FlowCatalogue catalogue;
    private final FlowSwitches switches;
    private final FhirContext fhirContext;
    private final IFhirPath fhirPath;
    private final FlowSender sender;
    private final Clock clock;

    private final Map<String, Consumer<String>> validators;

    public FlowDispatcher(
            FlowCatalogue catalogue,
            FlowSwitchboard switchboard,
            FhirContext fhirContext,
            FlowSender sender,
            Clock clock) {
        this(catalogue, FlowSwitches.serverWide(switchboard, catalogue), fhirContext, sender, Map.of(), clock);
    }

    /** Only the server-wide switches decide (no journey runs). */
    public FlowDispatcher(
            FlowCatalogue catalogue,
            FlowSwitchboard switchboard,
            FhirContext fhirContext,
            FlowSender sender,
            Map<String, Consumer<String>> validators,
            Clock clock) {
        this(catalogue, FlowSwitches.serverWide(switchboard, catalogue), fhirContext, sender, validators, clock);
    }

    /**
     * @param switches the server-wide switchboard and each journey run's own switches
     * @param validators per flow code: checks a message as the flow's translator will, throwing
     *     InvalidMessageException when it can never be carried
     * @param clock the server's wall clock: when a message was sent, from which its later stages count
     */
    public FlowDispatcher(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            FhirContext fhirContext,
            FlowSender sender,
            Map<String, Consumer<String>> validators,
            Clock clock) {
        this.catalogue = catalogue;
        this.switches = switches;
        this.fhirContext = fhirContext;
        this.fhirPath = fhirContext.newFhirPath();
        this.sender = sender;
        this.validators = Map.copyOf(validators);
        this.clock = clock;
    }

    /**
     * Checks a resource about to be committed against every switched-on flow it starts, as that flow's translator
     * will: a write the flow could never carry is refused before it commits, so the sender hears why at once and
     * nothing is half-written.
     *
     * @throws InvalidMessageException naming the flow and the reason
     */
    public void check(CommittedResource committed) {
        for (SharingFlow flow : triggeredBy(committed)) {
            Consumer<String> validator = validators.get(flow.code());
            if (validator == null
                    || !switches.decide(
                                    flow.code(),
                                    committed.journeyId(),
                                    committed.writerOrganisation(),
                                    servicesOf(committed, flow))
                            .carried()) {
                continue;
            }
            try {
                validator.accept(fhirContext.newJsonParser().encodeResourceToString(committed.resource()));
            } catch (InvalidMessageException e) {
                throw new InvalidMessageException("flow " + flow.code() + " (" + flow.title() + ") cannot carry this "
                        + fhirContext.getResourceType(committed.resource()) + ": " + e.getMessage());
            }
        }
    }

    /** Flows whose trigger matches, whether or not they are switched on. */
    public List<SharingFlow> triggeredBy(CommittedResource committed) {
        List<SharingFlow> matched = new ArrayList<>();
        for (SharingFlow flow : catalogue.flows()) {
            SharingFlow.Trigger trigger = flow.trigger();
            if (trigger != null
                    && trigger.resourceTypes().contains(fhirContext.getResourceType(committed.resource()))
                    && flow.sendsFrom(committed.writerSetting())
                    && isTrue(committed.resource(), trigger.criteria())) {
                matched.add(flow);
            }
        }
        return matched;
    }

    /** Sends the resource on every triggered flow that is switched on; returns the codes of the flows sent on. */
    public List<String> dispatch(CommittedResource committed) {
        List<String> sent = new ArrayList<>();
        for (SharingFlow flow : triggeredBy(committed)) {
            FlowDecision decision = switches.carry(
                    flow.code(), committed.journeyId(), committed.writerOrganisation(), servicesOf(committed, flow));
            if (!decision.carried()) {
                log.info(
                        "{}: not sending {}",
                        decision.reason(),
                        committed.resource().getIdElement());
                continue;
            }
            String body = fhirContext.newJsonParser().encodeResourceToString(committed.resource());
            Map<String, Object> headers = new HashMap<>();
            headers.put(FlowHeaders.MESSAGE_ID, UUID.randomUUID().toString());
            headers.put(FlowHeaders.FLOW, flow.code());
            // Patients write for no organisation: their setting stands in for it.
            headers.put(
                    FlowHeaders.SOURCE_ORGANISATION,
                    committed.writerOrganisation() != null
                            ? committed.writerOrganisation()
                            : committed.writerSetting());
            // The wall clock's instant and the write's own (its run's clock) together put later stages on the latter.
            Instant wallNow = clock.instant();
            headers.put(FlowHeaders.COMMITTED_AT, wallNow.toEpochMilli());
            headers.put(
                    FlowHeaders.RUN_CLOCK_AT,
                    (committed.committedAt() == null ? wallNow : committed.committedAt()).toEpochMilli());
            first(committed.resource(), flow.timelinessPath())
                    .ifPresent(from -> headers.put(FlowHeaders.TIMELINESS_FROM, from));
            first(committed.resource(), flow.nhsNumber()).ifPresent(n -> {
                headers.put(FlowHeaders.NHS_NUMBER, n);
                headers.put(FlowHeaders.GROUP, n);
            });
            if (committed.journeyId() != null) {
                headers.put(FlowHeaders.JOURNEY, committed.journeyId());
            }
            sender.send(flow, body, headers);
            sent.add(flow.code());
        }
        return sent;
    }

    /** The sites or units the resource says it is sent from, by the flow's {@code source-service} path. */
    private List<String> servicesOf(CommittedResource committed, SharingFlow flow) {
        if (flow.sourceService() == null || flow.sourceService().isBlank()) {
            return List.of();
        }
        return fhirPath.evaluate(committed.resource(), flow.sourceService(), IPrimitiveType.class).stream()
                .map(IPrimitiveType::getValueAsString)
                .toList();
    }

    private java.util.Optional<String> first(IBaseResource resource, String path) {
        if (path == null || path.isBlank()) {
            return java.util.Optional.empty();
        }
        return fhirPath.evaluate(resource, path, IPrimitiveType.class).stream()
                .map(IPrimitiveType::getValueAsString)
                .findFirst();
    }

    private boolean isTrue(IBaseResource resource, String criteria) {
        if (criteria == null || criteria.isBlank()) {
            return true;
        }
        return FhirPathTruth.isTrue(fhirPath, resource, criteria);
    }

    /**
     * A resource the shared record has committed, with who wrote it.
     *
     * @param writerOrganisation ODS code from the writer's token
     * @param writerSetting care setting of that organisation
     * @param journeyId the journey run that caused the write, when the request named one
     * @param committedAt when the write committed, on the clock of the request that made it (its journey run's
     *     simulated clock when a testbed client said so, else the server's): where the flow's timeliness starts
     */
    public record CommittedResource(
            IBaseResource resource,
            String writerOrganisation,
            String writerSetting,
            String journeyId,
            java.time.Instant committedAt) {

        /** The same write, stamped with the moment its transaction committed (on the request's clock). */
        public CommittedResource committed(java.time.Instant at) {
            return new CommittedResource(resource, writerOrganisation, writerSetting, journeyId, at);
        }
    }

    /** Puts a flow message on the flow's durable queue. */
    @FunctionalInterface
    public interface FlowSender {
        void send(SharingFlow flow, String body, Map<String, Object> headers);
    }
}
