package org.ldrtestbed.routes.deadletter;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.ldrtestbed.routes.FlowRouteConfiguration;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.routes.messagelog.FlowHeaders;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.Stage;
import org.springframework.jms.core.JmsTemplate;

/**
 * The dead-letter queue: what is in it and why, and replay. A replay takes the message off the dead-letter queue
 * and puts it back on its flow's queue as a new message linked to the original, so it is re-sent exactly once.
 */
public final class DeadLetters {

    private static final Pattern MESSAGE_ID = Pattern.compile("[A-Za-z0-9:._-]{1,100}");

    private final JmsTemplate jms;
    private final FlowCatalogue catalogue;
    private final MessageLog log;

    public DeadLetters(JmsTemplate jms, FlowCatalogue catalogue, MessageLog log) {
        this.jms = jms;
        this.catalogue = catalogue;
        this.log = log;
    }

    /** A dead-lettered message as listed: its identity and reason, not its content. */
    public record DeadLetter(
            String messageId, String flowCode, String nhsNumber, String journeyId, String reason, Instant at) {}

    public List<DeadLetter> list() {
        return jms.browse(FlowRouteConfiguration.DEAD_LETTER_QUEUE, (session, browser) -> {
            List<DeadLetter> letters = new ArrayList<>();
            java.util.Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                Message m = (Message) messages.nextElement();
                letters.add(new DeadLetter(
                        m.getStringProperty(FlowHeaders.MESSAGE_ID),
                        m.getStringProperty(FlowHeaders.FLOW),
                        m.getStringProperty(FlowHeaders.NHS_NUMBER),
                        m.getStringProperty(FlowHeaders.JOURNEY),
                        m.getStringProperty(FlowHeaders.DEAD_LETTER_REASON),
                        Instant.ofEpochMilli(m.getJMSTimestamp())));
            }
            return letters;
        });
    }

    /**
     * Re-sends a dead-lettered message on its flow, once.
     *
     * @return the replay's new message id, or empty when no dead letter has that id (never was, or already replayed)
     */
    public Optional<String> replay(String messageId) {
        if (messageId == null || !MESSAGE_ID.matcher(messageId).matches()) {
            throw new IllegalArgumentException("not a message id: " + messageId);
        }
        Message original = receive(messageId);
        if (original == null) {
            return Optional.empty();
        }
        try {
            String flowCode = original.getStringProperty(FlowHeaders.FLOW);
            SharingFlow flow = catalogue
                    .flow(flowCode)
                    .orElseThrow(() -> new IllegalStateException("dead letter " + messageId + " names no known flow"));
            String body = ((TextMessage) original).getText();
            Map<String, Object> headers = new HashMap<>();
            for (String name : List.of(
                    FlowHeaders.FLOW,
                    FlowHeaders.NHS_NUMBER,
                    FlowHeaders.JOURNEY,
                    FlowHeaders.SOURCE_ORGANISATION,
                    FlowHeaders.COMMITTED_AT,
                    FlowHeaders.RUN_CLOCK_AT)) {
                Object value = original.getObjectProperty(name);
                if (value != null) {
                    headers.put(name, value);
                }
            }
            String replayId = UUID.randomUUID().toString();
            headers.put(FlowHeaders.MESSAGE_ID, replayId);
            headers.put(FlowHeaders.REPLAY_OF, messageId);
            jms.convertAndSend(flow.queue(), body, message -> {
                for (Map.Entry<String, Object> h : headers.entrySet()) {
                    message.setObjectProperty(h.getKey(), h.getValue());
                }
                return message;
            });
            log.record(Stage.REPLAYED, headers, "replay of dead-lettered message " + messageId);
            return Optional.of(replayId);
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot replay " + messageId + ": " + e.getMessage(), e);
        }
    }

    private Message receive(String messageId) {
        long timeout = jms.getReceiveTimeout();
        try {
            jms.setReceiveTimeout(JmsTemplate.RECEIVE_TIMEOUT_NO_WAIT);
            return jms.receiveSelected(
                    FlowRouteConfiguration.DEAD_LETTER_QUEUE, FlowHeaders.MESSAGE_ID + " = '" + messageId + "'");
        } finally {
            jms.setReceiveTimeout(timeout);
        }
    }
}
