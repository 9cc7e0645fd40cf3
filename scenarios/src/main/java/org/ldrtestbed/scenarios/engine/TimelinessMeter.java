package org.ldrtestbed.scenarios.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.hl7.fhir.r4.model.DateTimeType;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.SharingFlow;
import org.ldrtestbed.scenarios.report.JourneyResult.Timeliness;

/**
 * Timeliness per journey step, from the record itself: each flow message the run caused is taken from the testbed's
 * message log, placed in the step whose writes caused it, and the time from the event the flow's rule counts from (as
 * the record says, e.g. the discharge) to its delivery is held against the rule. One clock only: the server logs a
 * run's messages on the run's simulated clock (the journey's, which each request of the run carries), and the steps'
 * windows are on the same clock, so neither the client's nor the server's wall clock enters the verdict.
 */
final class TimelinessMeter {

    private final MessageLogClient log;
    private final FlowCatalogue catalogue;

    /**
     * When a step's writes (or one action's) began on the journey's clock, and what the messages they cause count
     * from when the flow names no moment in the record: the entries' {@code recorded-at}, else the step's time.
     */
    record StepWindow(String stepId, Instant start, Instant recordedAt) {}

    TimelinessMeter(MessageLogClient log, FlowCatalogue catalogue) {
        this.log = log;
        this.catalogue = catalogue;
    }

    /** The run's flow messages, or empty when the server has no message log this reader may see. */
    Optional<List<Timeliness>> measure(String runId, List<StepWindow> windows) {
        JsonNode entries;
        try {
            Optional<JsonNode> read = log.entries(runId);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            entries = read.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        return Optional.of(measure(entries, windows));
    }

    /** The log's entries (as {@code /testbed/messages} gives them) timed against the run's windows. */
    List<Timeliness> measure(JsonNode entries, List<StepWindow> windows) {
        Map<String, JsonNode> received = new LinkedHashMap<>();
        Map<String, Instant> delivered = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            String id = entry.path("messageId").asText();
            switch (entry.path("stage").asText()) {
                case "RECEIVED" -> received.putIfAbsent(id, entry);
                case "DELIVERED" ->
                    delivered.putIfAbsent(id, Instant.parse(entry.path("at").asText()));
                default -> {}
            }
        }
        List<Timeliness> measured = new ArrayList<>();
        for (Map.Entry<String, JsonNode> message : received.entrySet()) {
            JsonNode entry = message.getValue();
            Instant receivedAt = Instant.parse(entry.path("at").asText());
            StepWindow step = stepOf(receivedAt, windows);
            if (step == null) {
                continue;
            }
            SharingFlow flow = catalogue.flow(entry.path("flowCode").asText()).orElse(null);
            Instant deliveredAt = delivered.get(message.getKey());
            Instant from = entry.hasNonNull("timelinessFrom")
                    ? new DateTimeType(entry.path("timelinessFrom").asText())
                            .getValue()
                            .toInstant()
                    : step.recordedAt();
            Duration elapsed = deliveredAt == null ? null : Duration.between(from, deliveredAt);
            Duration rule = flow == null ? null : flow.timeliness();
            measured.add(new Timeliness(
                    step.stepId(),
                    entry.path("flowCode").asText(),
                    message.getKey(),
                    flow == null ? null : flow.timelinessFrom(),
                    from,
                    deliveredAt,
                    elapsed,
                    rule,
                    deliveredAt == null
                            ? "NOT_DELIVERED"
                            : rule == null || elapsed.compareTo(rule) <= 0 ? "MET" : "LATE"));
        }
        return measured;
    }

    /**
     * The window that began last, on the journey's clock, before the message was received (of windows beginning at
     * the same instant, the later one): steps need not be in time order (background steps may come anywhere).
     */
    private static StepWindow stepOf(Instant receivedAt, List<StepWindow> windows) {
        StepWindow found = null;
        for (StepWindow window : windows) {
            if (!window.start().isAfter(receivedAt)
                    && (found == null || !window.start().isBefore(found.start()))) {
                found = window;
            }
        }
        return found;
    }
}
