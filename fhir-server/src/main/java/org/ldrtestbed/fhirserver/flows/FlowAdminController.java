package org.ldrtestbed.fhirserver.flows;

import java.util.List;
import java.util.Map;
import org.ldrtestbed.routes.catalogue.FlowCatalogue;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.deadletter.DeadLetters;
import org.ldrtestbed.routes.deadletter.DeadLetters.DeadLetter;
import org.ldrtestbed.routes.messagelog.MessageLog;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Running the flows, for digital leads (role {@code testbed-admin}): the catalogue with each flow's switch, the
 * message log, the dead-letter queue and replay.
 */
@RestController
@RequestMapping(path = "/testbed", produces = "application/json")
public class FlowAdminController {

    private final FlowCatalogue catalogue;
    private final FlowSwitchboard switchboard;
    private final MessageLog messageLog;
    private final DeadLetters deadLetters;

    public FlowAdminController(
            FlowCatalogue catalogue, FlowSwitchboard switchboard, MessageLog messageLog, DeadLetters deadLetters) {
        this.catalogue = catalogue;
        this.switchboard = switchboard;
        this.messageLog = messageLog;
        this.deadLetters = deadLetters;
    }

    /** A flow of the catalogue with whether it is switched on. */
    public record FlowState(String code, String capability, String title, boolean enabled, String queue) {}

    @GetMapping("/flows")
    public List<FlowState> flows() {
        return catalogue.flows().stream()
                .map(f ->
                        new FlowState(f.code(), f.capability(), f.title(), switchboard.isEnabled(f.code()), f.queue()))
                .toList();
    }

    @PostMapping("/flows/{code}/disable")
    public FlowState disable(@PathVariable String code) {
        switchboard.disable(code);
        return state(code);
    }

    @PostMapping("/flows/{code}/enable")
    public FlowState enable(@PathVariable String code) {
        switchboard.enable(code);
        return state(code);
    }

    @GetMapping("/messages")
    public List<MessageLogEntry> messages(
            @RequestParam(name = "nhs-number", required = false) String nhsNumber,
            @RequestParam(name = "flow", required = false) String flow,
            @RequestParam(name = "journey", required = false) String journey,
            @RequestParam(name = "message-id", required = false) String messageId,
            @RequestParam(name = "stage", required = false) Stage stage,
            @RequestParam(name = "limit", defaultValue = "200") int limit) {
        return messageLog.search(new MessageQuery(nhsNumber, flow, journey, messageId, stage, limit));
    }

    @GetMapping("/dead-letters")
    public List<DeadLetter> deadLetters() {
        return deadLetters.list();
    }

    @PostMapping("/dead-letters/{messageId}/replay")
    public ResponseEntity<Map<String, String>> replay(@PathVariable String messageId) {
        return deadLetters
                .replay(messageId)
                .map(replay -> ResponseEntity.ok(Map.of("replayOf", messageId, "messageId", replay)))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(Map.of(
                                "error",
                                "no dead letter with message id " + messageId + " (never dead-lettered, or already"
                                        + " replayed)")));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    private FlowState state(String code) {
        return flows().stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
    }
}
