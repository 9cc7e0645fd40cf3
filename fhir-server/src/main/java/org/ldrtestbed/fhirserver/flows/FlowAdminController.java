package org.ldrtestbed.fhirserver.flows;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.fhirserver.sut.Prompts;
import org.ldrtestbed.routes.FlowRoutes;
import org.ldrtestbed.routes.catalogue.FlowSwitchboard;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.contract.FlowCatalogue;
import org.ldrtestbed.routes.contract.RunSwitches;
import org.ldrtestbed.routes.contract.Withheld;
import org.ldrtestbed.routes.deadletter.DeadLetters;
import org.ldrtestbed.routes.deadletter.DeadLetters.DeadLetter;
import org.ldrtestbed.routes.messagelog.MessageLogEntry;
import org.ldrtestbed.routes.messagelog.MessageLogFeed;
import org.ldrtestbed.routes.messagelog.MessageQuery;
import org.ldrtestbed.routes.messagelog.Stage;
import org.ldrtestbed.routes.sut.SutDeliveries;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Running the flows, for digital leads (role {@code testbed-admin}): the catalogue with each flow's switch, each
 * journey run's own switches, the message log, the dead-letter queue and replay.
 */
@RestController
@RequestMapping(path = "/testbed", produces = "application/json")
public class FlowAdminController {

    private final FlowCatalogue catalogue;
    private final FlowSwitchboard switchboard;
    private final FlowSwitches switches;
    /** The longest a client may ask {@code /runs/{run}/messages} to wait: a request holds a server thread meanwhile. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final MessageLogFeed messageLog;
    private final DeadLetters deadLetters;
    private final SutDeliveries systemsUnderTest;
    private final FlowRoutes routes;
    private final Prompts prompts;

    public FlowAdminController(
            FlowCatalogue catalogue,
            FlowSwitches switches,
            MessageLogFeed messageLog,
            DeadLetters deadLetters,
            SutDeliveries systemsUnderTest,
            FlowRoutes routes,
            Prompts prompts) {
        this.catalogue = catalogue;
        this.switchboard = switches.switchboard();
        this.switches = switches;
        this.messageLog = messageLog;
        this.deadLetters = deadLetters;
        this.systemsUnderTest = systemsUnderTest;
        this.routes = routes;
        this.prompts = prompts;
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

    /** A journey run's switches and the messages they have held back so far. */
    public record RunState(String run, RunSwitches switches, List<Withheld> withheld) {}

    /**
     * Registers a journey run's own switches (disabled flows, a deployment profile's rules, the patients it follows,
     * the systems under test it binds): they apply to that run's messages only, beside the server-wide ones. A
     * receiving system under test the flows could not send to is refused (400), naming its binding.
     */
    @PutMapping(path = "/runs/{run}", consumes = "application/json")
    public RunState registerRun(@PathVariable String run, @RequestBody RunSwitches body) {
        systemsUnderTest.check(body, routes::deliversToSystemsUnderTest);
        switches.register(run, body);
        return run(run).getBody();
    }

    @GetMapping("/runs/{run}")
    public ResponseEntity<RunState> run(@PathVariable String run) {
        return switches.of(run)
                .map(s -> ResponseEntity.ok(new RunState(run, withoutSecrets(s), switches.withheld(run))))
                .orElseGet(() -> ResponseEntity.notFound().build());
    }

    /** Forgets a run's switches and its prompts once it has finished. */
    @DeleteMapping("/runs/{run}")
    public ResponseEntity<Void> endRun(@PathVariable String run) {
        prompts.endRun(run);
        return switches.remove(run)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
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

    /**
     * A journey run's message log entries after sequence number {@code after}, as soon as there are any (a long poll):
     * at once when some are already logged, else when the next is appended, else an empty list once {@code wait}
     * (ISO-8601, at most {@link #LONGEST_WAIT}) has passed. A client follows a run by asking again after the last
     * sequence number it was given.
     */
    @GetMapping("/runs/{run}/messages")
    public List<MessageLogEntry> runMessages(
            @PathVariable String run,
            @RequestParam(name = "after", defaultValue = "0") long after,
            @RequestParam(name = "wait", defaultValue = "PT0S") String wait)
            throws InterruptedException {
        Duration patience;
        try {
            patience = Duration.parse(wait);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("wait must be an ISO-8601 duration such as PT5S, not '" + wait + "'");
        }
        if (patience.isNegative() || patience.compareTo(LONGEST_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be between PT0S and " + LONGEST_WAIT);
        }
        return messageLog.awaitEntries(run, after, patience);
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

    /** A run's switches as the API shows them: a system under test's Authorization header is never echoed. */
    private static RunSwitches withoutSecrets(RunSwitches s) {
        return new RunSwitches(
                s.disabledFlows(),
                s.rules(),
                s.nhsNumbers(),
                s.systemsUnderTest().stream()
                        .map(b -> new org.ldrtestbed.routes.contract.SystemUnderTest(
                                b.system(),
                                b.flow(),
                                b.organisation(),
                                b.direction(),
                                b.transport(),
                                b.endpoint(),
                                b.authorization() == null ? null : "(set, not shown)"))
                        .toList());
    }

    private FlowState state(String code) {
        return flows().stream().filter(f -> f.code().equals(code)).findFirst().orElseThrow();
    }
}
