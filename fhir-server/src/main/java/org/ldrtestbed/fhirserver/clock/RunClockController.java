package org.ldrtestbed.fhirserver.clock;

import java.util.Map;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.routes.clock.RunClock;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A run's clock, for the testbed administrator: {@code GET /testbed/runs/{run}/clock} answers now on it. Asked with
 * the run's headers by the journey client, it also sets it, which is how a step that only sends HL7v2 (MLLP names no
 * client to trust) puts its messages on the step's time. {@code DELETE} forgets it when the run ends.
 */
@RestController
public class RunClockController {

    private final RunClock clock;

    public RunClockController(RunClock clock) {
        this.clock = clock;
    }

    @GetMapping("/testbed/runs/{run}/clock")
    public ResponseEntity<Map<String, String>> now(
            @PathVariable String run,
            @org.springframework.web.bind.annotation.RequestHeader(value = Headers.JOURNEY, required = false)
                    String journey) {
        // The filter set the clock of the run the header names: it must be this one.
        if (journey != null && !journey.equals(run)) {
            return ResponseEntity.badRequest()
                    .body(Map.of("error", Headers.JOURNEY + " names run " + journey + ", not " + run));
        }
        return ResponseEntity.ok(Map.of("run", run, "now", clock.now(run).toString()));
    }

    @DeleteMapping("/testbed/runs/{run}/clock")
    public ResponseEntity<Void> forget(@PathVariable String run) {
        return clock.forget(run)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }
}
