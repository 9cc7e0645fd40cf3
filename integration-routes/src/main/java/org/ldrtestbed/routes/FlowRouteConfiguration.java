package org.ldrtestbed.routes;

import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

/**
 * Error handling shared by every flow route, referenced by id: bounded retries with back-off for transient failures,
 * then the dead-letter queue with the reason; invalid messages go to the dead-letter queue at once.
 */
public class FlowRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "flow-delivery";
    public static final String DEAD_LETTER_QUEUE = "ldr.dead-letter";
    public static final String HEADER_REASON = "LdrDeadLetterReason";

    private final int maxRedeliveries;
    private final Duration redeliveryDelay;

    public FlowRouteConfiguration(int maxRedeliveries, Duration redeliveryDelay) {
        this.maxRedeliveries = maxRedeliveries;
        this.redeliveryDelay = redeliveryDelay;
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
                .onPrepareFailure(exchange -> {
                    Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    exchange.getMessage().setHeader(HEADER_REASON, cause == null ? "unknown" : cause.toString());
                }));
        configuration
                .onException(InvalidMessageException.class)
                .handled(true)
                .maximumRedeliveries(0)
                .useOriginalMessage()
                .setHeader(HEADER_REASON, simple("${exception.message}"))
                .log(LoggingLevel.WARN, "Dead-lettered invalid message on route ${routeId}: ${exception.message}")
                .to(deadLetter);
    }
}
