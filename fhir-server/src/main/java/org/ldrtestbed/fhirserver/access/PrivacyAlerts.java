package org.ldrtestbed.fhirserver.access;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.TextMessage;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jms.core.JmsTemplate;

/**
 * The privacy officer's queue: every emergency access (break-glass) raises an alert on a durable queue, as SCR
 * emergency access does (national RBAC activity B0015, "receive emergency view alerts"). Each organisation's
 * privacy officer reads the alerts about its own staff.
 */
public final class PrivacyAlerts {

    public static final String QUEUE = "ldr.privacy-officer.alerts";

    private final JmsTemplate jms;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());

    /** @param clock stamps each alert: a journey's request's alert is on the journey's clock */
    public PrivacyAlerts(ConnectionFactory connectionFactory, Clock clock) {
        this.clock = clock;
        this.jms = new JmsTemplate(connectionFactory);
        this.jms.setDeliveryPersistent(true);
        this.jms.setExplicitQosEnabled(true);
    }

    /** One emergency access: who, where from, whose record, the stated reason, and which rules it set aside. */
    public record Alert(
            String id,
            Instant at,
            String username,
            List<String> roles,
            String organisation,
            String practitioner,
            String patient,
            String reason,
            List<String> overridden,
            String request) {}

    public Alert raise(RequestAccess access, String patientId, List<String> overridden, String request) {
        Alert alert = new Alert(
                UUID.randomUUID().toString(),
                clock.instant(),
                access.actor().username(),
                access.actor().roles(),
                access.actor().organisation(),
                access.actor().practitioner(),
                "Patient/" + patientId,
                access.breakGlassReason(),
                overridden,
                request);
        String body;
        try {
            body = json.writeValueAsString(alert);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        jms.send(QUEUE, session -> {
            TextMessage message = session.createTextMessage(body);
            message.setStringProperty("organisation", String.valueOf(alert.organisation()));
            return message;
        });
        return alert;
    }

    /** The alerts waiting on the queue, for one organisation's staff, or all when {@code organisation} is null. */
    public List<Alert> list(String organisation) {
        return jms.browse(QUEUE, (session, browser) -> {
            List<Alert> alerts = new ArrayList<>();
            java.util.Enumeration<?> messages = browser.getEnumeration();
            while (messages.hasMoreElements()) {
                TextMessage message = (TextMessage) messages.nextElement();
                Alert alert;
                try {
                    alert = json.readValue(message.getText(), Alert.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException("unreadable privacy alert: " + e.getMessage(), e);
                }
                if (organisation == null || organisation.equals(alert.organisation())) {
                    alerts.add(alert);
                }
            }
            return alerts;
        });
    }
}
