package org.ldrtestbed.fhirserver.sut;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.fhirserver.contract.Prompt;
import org.ldrtestbed.routes.catalogue.FlowSwitches;
import org.ldrtestbed.routes.contract.SutExchange;
import org.ldrtestbed.routes.sut.JdbcSutExchanges;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Supplier mode for the engine and the suppliers' systems: a run's exchanges with its systems under test (a long
 * poll, as {@code /testbed/runs/{run}/messages}), and the prompts a run puts for them. Role {@code testbed-admin},
 * except the open prompts of one system, which that system's own client may read too.
 */
@RestController
@RequestMapping(path = "/testbed", produces = "application/json")
public class SupplierModeController {

    /** The longest a client may ask {@code /runs/{run}/exchanges} to wait: a request holds a server thread meanwhile. */
    static final Duration LONGEST_WAIT = Duration.ofSeconds(30);

    private final FlowSwitches runs;
    private final JdbcSutExchanges exchanges;
    private final Prompts prompts;

    public SupplierModeController(FlowSwitches runs, JdbcSutExchanges exchanges, Prompts prompts) {
        this.runs = runs;
        this.exchanges = exchanges;
        this.prompts = prompts;
    }

    /**
     * A run's exchanges with systems under test after sequence number {@code after}, as soon as there are any: at once
     * when some are kept, else when the next is, else an empty list once {@code wait} (ISO-8601, at most {@link
     * #LONGEST_WAIT}) has passed.
     */
    @GetMapping("/runs/{run}/exchanges")
    public List<SutExchange> runExchanges(
            @PathVariable String run,
            @RequestParam(name = "after", defaultValue = "0") long after,
            @RequestParam(name = "wait", defaultValue = "PT0S") String wait)
            throws InterruptedException {
        return exchanges.awaitExchanges(run, after, patience(wait));
    }

    /** Puts the prompt of a registered run's step (the path names both; the body may repeat them). */
    @PutMapping(path = "/runs/{run}/prompts/{step}", consumes = "application/json")
    public ResponseEntity<?> putPrompt(@PathVariable String run, @PathVariable String step, @RequestBody Prompt body) {
        if (runs.of(run).isEmpty()) {
            return unknownRun(run);
        }
        if ((body.run() != null && !body.run().equals(run))
                || (body.step() != null && !body.step().equals(step))) {
            throw new IllegalArgumentException("the prompt names run " + body.run() + " step " + body.step()
                    + ", but was put at run " + run + " step " + step);
        }
        if (body.system() == null || body.system().isBlank()) {
            throw new IllegalArgumentException("a prompt names the system under test it is for (system)");
        }
        Prompt prompt = new Prompt(
                run,
                step,
                body.system(),
                body.organisation(),
                body.flow(),
                body.text(),
                body.facts(),
                body.example(),
                body.at(),
                body.expires());
        prompts.put(prompt);
        return ResponseEntity.ok(prompt);
    }

    @DeleteMapping("/runs/{run}/prompts/{step}")
    public ResponseEntity<?> removePrompt(@PathVariable String run, @PathVariable String step) {
        if (runs.of(run).isEmpty()) {
            return unknownRun(run);
        }
        return prompts.remove(run, step)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.status(404).body(Map.of("error", "run " + run + " has no prompt for step " + step));
    }

    @GetMapping("/runs/{run}/prompts")
    public ResponseEntity<?> runPrompts(@PathVariable String run) {
        if (runs.of(run).isEmpty()) {
            return unknownRun(run);
        }
        return ResponseEntity.ok(prompts.ofRun(run));
    }

    /**
     * What the runs are waiting for this system to do now, for a person or the system's own automation. A system
     * client sees only the prompts for its own organisation's place (its token's {@code organisation} claim), and not
     * the message the testbed would have sent: what to send is in the facts, composing it is the system's job.
     */
    @GetMapping("/prompts")
    public List<Prompt> openPrompts(
            @RequestParam("system") String system,
            @org.springframework.security.core.annotation.AuthenticationPrincipal
                    org.springframework.security.oauth2.jwt.Jwt caller,
            org.springframework.security.core.Authentication authentication) {
        boolean admin = authentication.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + org.ldrtestbed.identity.contract.Roles.ADMIN));
        if (admin) {
            return prompts.openFor(system);
        }
        java.util.Set<String> organisations = organisations(caller);
        return prompts.openFor(system).stream()
                .filter(p -> organisations.contains(p.organisation()))
                .map(p -> new Prompt(
                        p.run(),
                        p.step(),
                        p.system(),
                        p.organisation(),
                        p.flow(),
                        p.text(),
                        p.facts(),
                        null,
                        p.at(),
                        p.expires()))
                .toList();
    }

    private static java.util.Set<String> organisations(org.springframework.security.oauth2.jwt.Jwt caller) {
        if (caller == null) {
            return java.util.Set.of();
        }
        Object claim = caller.getClaims().get(org.ldrtestbed.identity.contract.Claims.ORGANISATION);
        if (claim instanceof java.util.Collection<?> many) {
            return many.stream().map(String::valueOf).collect(java.util.stream.Collectors.toSet());
        }
        return claim == null ? java.util.Set.of() : java.util.Set.of(String.valueOf(claim));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }

    private static ResponseEntity<Map<String, String>> unknownRun(String run) {
        return ResponseEntity.status(404).body(Map.of("error", "no run " + run + " is registered"));
    }

    private static Duration patience(String wait) {
        Duration patience;
        try {
            patience = Duration.parse(wait);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("wait must be an ISO-8601 duration such as PT5S, not '" + wait + "'");
        }
        if (patience.isNegative() || patience.compareTo(LONGEST_WAIT) > 0) {
            throw new IllegalArgumentException("wait must be between PT0S and " + LONGEST_WAIT);
        }
        return patience;
    }
}
