package org.ldrtestbed.routes;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.Stage;

/**
 * Error handling shared by every flow route, referenced by id: bounded retries with back-off for transient failures,
 * then the dead-letter queue with the reason; invalid messages go to the dead-letter queue at once. Every failed
 * attempt and every dead-lettering is written to the message log.
 */
public class FlowRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "flow-delivery";
    public static final String DEAD_LETTER_QUEUE = "ldr.dead-letter";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FlowRouteConfiguration.class);

    private final int maxRedeliveries;
    private final Duration redeliveryDelay;
    private final MessageLog log;

    public FlowRouteConfiguration(int maxRedeliveries, Duration redeliveryDelay, MessageLog log) {
        this.maxRedeliveries = maxRedeliveries;
        this.redeliveryDelay = redeliveryDelay;
        this.log = log;
    }

    @Override
    public void configuration() {
        String deadLetter = "jms:queue:" + DEAD_LETTER_QUEUE;
        RouteConfigurationDefinition configuration = routeConfiguration(ID);
        configuration.errorHandler(deadLetterChannel(deadLetter)
                .useOriginalMessage()
                .maximumRedeliveries(maxRedeliveries)
                .redeliveryDelay(redeliveryDelay.toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .retryAttemptedLogLevel(LoggingLevel.WARN)
                // Not allowRedeliveryWhileStopping(false): measured in FlowRestartIT, it acknowledges the rejected
                // message and loses it. Shutdown instead waits (camel.main.shutdown-timeout), then forces the route
                // down; the JMS transaction rolls back and the broker keeps the message for the next start.
                .onExceptionOccurred(exchange -> log.record(
                        Stage.FAILED,
                        identify(exchange, exchange.getFromRouteId()),
                        "attempt "
                                + (1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class))
                                + ": " + cause(exchange)))
                .onPrepareFailure(exchange -> {
                    // An invalid message is dead-lettered (and logged) once, by its onException below.
                    Exception caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    if (!((caught != null ? caught : exchange.getException()) instanceof InvalidMessageException)) {
                        deadLetter(exchange, cause(exchange));
                    }
                }));
        configuration
                .onException(InvalidMessageException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .useOriginalMessage()
                .process(exchange -> deadLetter(exchange, "invalid message: " + cause(exchange)))
                .to(deadLetter);
    }

    private void deadLetter(Exchange exchange, String reason) {
        exchange.getMessage().setHeader(FlowHeaders.DEAD_LETTER_REASON, reason);
        Map<String, Object> headers = identify(exchange, exchange.getFromRouteId());
        LOG.warn(
                "Dead-lettered message {} of flow {}: {}",
                headers.get(FlowHeaders.MESSAGE_ID),
                headers.get(FlowHeaders.FLOW),
                reason);
        log.record(Stage.DEAD_LETTERED, headers, reason);
    }

    /**
     * The message's flow headers, filling any a message lacks (one not put on the queue by the dispatcher): its id
     * falls back to the JMS message id, which is stable across redeliveries, and its flow to the route's.
     */
    static Map<String, Object> identify(Exchange exchange, String flowCode) {
        var message = exchange.getMessage();
        if (message.getHeader(FlowHeaders.MESSAGE_ID) == null) {
            message.setHeader(FlowHeaders.MESSAGE_ID, message.getHeader("JMSMessageID", exchange.getExchangeId()));
        }
        if (message.getHeader(FlowHeaders.FLOW) == null) {
            message.setHeader(FlowHeaders.FLOW, flowCode);
        }
        return new HashMap<>(message.getHeaders());
    }

    private static String cause(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        if (cause == null) {
            cause = exchange.getException();
        }
        return cause == null ? "unknown" : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
