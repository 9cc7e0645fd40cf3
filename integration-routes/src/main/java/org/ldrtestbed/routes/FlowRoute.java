package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.routes.catalogue.SharingFlow;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.Stage;

/**
 * The shape every flow route shares: consume the flow's durable queue in a JMS transaction, translate, deliver, and
 * log each stage. A flow's {@code <Flow>Route} supplies only {@link #translate} and {@link #deliver}; retries and
 * dead-lettering come from the {@link FlowRouteConfiguration} it is bound to.
 *
 * @param <T> what the translator produces for the recipient
 */
public abstract class FlowRoute<T> extends RouteBuilder {

    private static final String TRANSLATED = "LdrTranslated";

    private final SharingFlow flow;
    private final MessageLog log;
    private final int consumers;
    /** The message being translated or delivered on this thread, as of its run's clock (see {@link #now()}). */
    private final ThreadLocal<Instant> messageNow = new ThreadLocal<>();
    /** The server's clock, the runs' clocks' base: from the registry's {@link RunClock} once configured. */
    private volatile Clock wall;

    protected FlowRoute(SharingFlow flow, MessageLog log, int consumers) {
        this.flow = flow;
        this.log = log;
        this.consumers = consumers;
    }

    public SharingFlow flow() {
        return flow;
    }

    /**
     * Now, for what the message's translation or delivery stamps (a message's timestamp, a notice's sent time): on the
     * clock of the write that started it, so a journey run's deliveries are on the journey's time.
     */
    protected final Instant now() {
        Instant bound = messageNow.get();
        return bound != null ? bound : wall().instant();
    }

    private Clock wall() {
        Clock known = wall;
        if (known == null) {
            // Outside the server (a route's own test with a bare Camel context) there is no run clock: the system's.
            RunClock clocks = getCamelContext() == null
                    ? null
                    : getCamelContext().getRegistry().findSingleByType(RunClock.class);
            known = clocks != null ? clocks.wall() : Clock.systemUTC();
            wall = known;
        }
        return known;
    }

    /** Turns the queued message into what the recipient is given; throws InvalidMessageException if it never can. */
    protected abstract T translate(String message);

    /**
     * Whether this flow could carry a message, decided as its translation will decide it, without delivering
     * anything: the dispatcher asks before the source's write commits.
     *
     * @throws org.ldrtestbed.routes.delivery.InvalidMessageException when it never could
     */
    public final void check(String message) {
        translate(message);
    }

    /** A one-line description of a translation, for the message log. */
    protected abstract String describe(T translated);

    /** Applies the translation at the recipient, idempotently; returns what was applied, for the message log. */
    protected abstract String deliver(T translated);

    @Override
    public void configure() {
        // Several consumers, yet one patient's messages in order: the dispatcher puts each patient in its own
        // message group (JMSXGroupID), which the broker gives to one consumer at a time.
        from("jms:queue:" + flow.queue() + "?transacted=true&concurrentConsumers=" + consumers)
                .routeId(flow.code())
                .routeConfigurationId(FlowRouteConfiguration.ID)
                .process(exchange -> {
                    messageNow.set(RunClock.now(headers(exchange), wall()));
                    try {
                        T translated = translate(exchange.getMessage().getBody(String.class));
                        exchange.setProperty(TRANSLATED, translated);
                        log.record(Stage.TRANSFORMED, headers(exchange), describe(translated));
                    } finally {
                        messageNow.remove();
                    }
                })
                .process(exchange -> {
                    @SuppressWarnings("unchecked")
                    T translated = (T) exchange.getProperty(TRANSLATED);
                    messageNow.set(RunClock.now(headers(exchange), wall()));
                    try {
                        log.record(Stage.DELIVERED, headers(exchange), deliver(translated));
                    } finally {
                        messageNow.remove();
                    }
                });
    }

    private Map<String, Object> headers(Exchange exchange) {
        return FlowRouteConfiguration.identify(exchange, flow.code());
    }

    /** Parses a FHIR JSON message; a message that is not the expected resource can never be carried. */
    protected static <R extends IBaseResource> R parse(FhirContext fhirContext, Class<R> type, String message) {
        try {
            return fhirContext.newJsonParser().parseResource(type, message);
        } catch (DataFormatException | ClassCastException e) {
            throw new InvalidMessageException("not a FHIR R4 " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Parses the stored resource a flow message carries (the write that started the flow); without an id in the
     * record it was written to, nothing at the recipient could refer back to it.
     *
     * @param what the resource as the sender knows it, for the error (e.g. {@code referral})
     */
    protected static <R extends IBaseResource> R parseStored(
            FhirContext fhirContext, Class<R> type, String message, String what) {
        R resource = parse(fhirContext, type, message);
        if (resource.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The " + what + " has no id in the record it was written to");
        }
        return resource;
    }
}
