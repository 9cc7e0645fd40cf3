package org.ldrtestbed.routes;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.ldrtestbed.routes.clock.MessageClock;
import org.ldrtestbed.routes.clock.RunClock;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.sut.SutDeliveries;
import org.ldrtestbed.routes.sut.SutTransport;
import org.ldrtestbed.routes.sut.WireMessage;

/**
 * The shape every flow route shares: consume the flow's durable queue in a JMS transaction, translate the source
 * record into the flow's wire message, hand that to the flow's {@link FlowDelivery}, and log each stage. A flow's
 * {@code <Flow>Route} only glues: it parses the queued record for its {@code <Flow>Translator} ({@link #translate})
 * and says what the message is ({@link #describe}); retries and dead-lettering come from the
 * {@link FlowRouteConfiguration} it is bound to.
 *
 * @param <T> the wire message the flow carries (a FHIR document or message Bundle, an NRL pointer, HL7v2 ...)
 */
public abstract class FlowRoute<T> extends RouteBuilder {

    private static final String TRANSLATED = "LdrTranslated";

    private final SharingFlow flow;
    private final FlowWiring wiring;
    private final FlowDelivery<T> delivery;

    protected FlowRoute(SharingFlow flow, FlowWiring wiring, FlowDelivery<T> delivery) {
        this.flow = flow;
        this.wiring = wiring;
        this.delivery = delivery;
    }

    public SharingFlow flow() {
        return flow;
    }

    protected FhirContext fhirContext() {
        return wiring.fhirContext();
    }

    /**
     * Now, for what the message's translation or delivery stamps (a message's timestamp, a notice's sent time): on the
     * clock of the write that started it, so a journey run's deliveries are on the journey's time.
     */
    protected Instant now() {
        return wiring.clock().instant();
    }

    /** The message's instant on its run's clock: its write's, plus the wall time since (see {@link RunClock}). */
    private Instant messageInstant(Exchange exchange) {
        java.time.Clock clock = wiring.clock();
        return RunClock.now(headers(exchange), clock instanceof MessageClock m ? m.wall() : clock);
    }

    /** Turns the queued source record into the wire message; throws InvalidMessageException if it never can. */
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

    /**
     * Whether this flow's translations are {@link WireMessage}s that travel over this transport, so that a run can
     * bind a supplier's system under test to receive them over it in the recipient's place.
     *
     * @param transport one of {@link org.ldrtestbed.routes.contract.SystemUnderTest#TRANSPORTS}
     */
    public boolean deliversToSystemsUnderTest(String transport) {
        return false;
    }

    /**
     * What the shared record still files of a message that a system under test receives in the recipient's place,
     * before it is sent there: by default nothing, the system takes the whole message. It is filed again when a
     * failed send is retried, so it must be idempotent.
     *
     * @return what was filed, for the message log; null for nothing
     */
    protected String fileAlongsideSystemUnderTest(T translated) {
        return null;
    }

    /** A one-line description of a translation, for the message log. */
    protected abstract String describe(T translated);

    @Override
    public void configure() {
        // Several consumers, yet one patient's messages in order: the dispatcher puts each patient in its own
        // message group (JMSXGroupID), which the broker gives to one consumer at a time.
        from("jms:queue:" + flow.queue() + "?transacted=true&concurrentConsumers=" + wiring.consumers())
                .routeId(flow.code())
                .routeConfigurationId(FlowRouteConfiguration.ID)
                .process(exchange -> {
                    MessageClock.at(messageInstant(exchange), () -> {
                        T translated = translate(exchange.getMessage().getBody(String.class));
                        exchange.setProperty(TRANSLATED, translated);
                        wiring.log().record(Stage.TRANSFORMED, headers(exchange), describe(translated));
                        return translated;
                    });
                })
                .process(exchange -> {
                    @SuppressWarnings("unchecked")
                    T translated = (T) exchange.getProperty(TRANSLATED);
                    Map<String, Object> headers = headers(exchange);
                    MessageClock.at(
                            messageInstant(exchange),
                            () -> wiring.log().record(Stage.DELIVERED, headers, deliver(translated, headers)));
                });
    }

    /**
     * Delivers with the flow's delivery, or, where the message's run binds a system under test to receive it, sends
     * its wire message to that system instead: then nothing is filed in the shared record.
     */
    private String deliver(T translated, Map<String, Object> headers) {
        String run = text(headers.get(FlowHeaders.JOURNEY));
        SutDeliveries systems = wiring.systemsUnderTest();
        return systems.receiverOf(run, flow.code(), translated)
                .map(system -> {
                    WireMessage message = (WireMessage) translated;
                    String filed = fileAlongsideSystemUnderTest(translated);
                    String sent = systems.deliver(
                            system,
                            new SutTransport.Outgoing(
                                    run,
                                    flow.code(),
                                    text(headers.get(FlowHeaders.MESSAGE_ID)),
                                    message.nhsNumber(),
                                    message.wire(),
                                    message.sender()));
                    return filed == null ? sent : filed + "; " + sent;
                })
                .orElseGet(() -> {
                    if (systems.sentToAnEndedRunsSystem(run, text(headers.get(FlowHeaders.MESSAGE_ID)))
                            || systems.boundToAnEndedRunsSystem(run, flow.code(), translated)) {
                        throw new InvalidMessageException("run " + run + " ended before the system under test it bound"
                                + " took this message: dead-lettered, not filed in the shared record instead");
                    }
                    return delivery.deliver(translated);
                });
    }

    private static String text(Object value) {
        return value == null || value.toString().isEmpty() ? null : value.toString();
    }

    private Map<String, Object> headers(Exchange exchange) {
        return FlowRouteConfiguration.identify(exchange, flow.code());
    }

    /** Parses a FHIR JSON message; a message that is not the expected resource can never be carried. */
    protected <R extends IBaseResource> R parse(Class<R> type, String message) {
        return parse(wiring.fhirContext(), type, message);
    }

    /** As {@link #parse(Class, String)}, for the stored resource a flow message carries. */
    protected <R extends IBaseResource> R parseStored(Class<R> type, String message, String what) {
        return parseStored(wiring.fhirContext(), type, message, what);
    }

    /** Parses a FHIR JSON message; a message that is not the expected resource can never be carried. */
    public static <R extends IBaseResource> R parse(FhirContext fhirContext, Class<R> type, String message) {
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
    public static <R extends IBaseResource> R parseStored(
            FhirContext fhirContext, Class<R> type, String message, String what) {
        R resource = parse(fhirContext, type, message);
        if (resource.getIdElement().getIdPart() == null) {
            throw new InvalidMessageException("The " + what + " has no id in the record it was written to");
        }
        return resource;
    }
}
