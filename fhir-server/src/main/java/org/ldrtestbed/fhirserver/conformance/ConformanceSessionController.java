package org.ldrtestbed.fhirserver.conformance;

import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The conformance sessions kept ({@link ConformanceSessions}): {@code testbed conform} puts each session's report at
 * its end; a list of them, and each report as it was put. Role {@code testbed-admin}, as all of {@code /testbed}.
 */
@RestController
@RequestMapping(path = "/testbed/conformance", produces = MediaType.APPLICATION_JSON_VALUE)
public class ConformanceSessionController {

    private final ConformanceSessions sessions;

    public ConformanceSessionController(ConformanceSessions sessions) {
        this.sessions = sessions;
    }

    /** Keeps the session's report (its {@code conformance.json}, as is): 201 when new, 200 when it replaces one. */
    @PutMapping(path = "/{session}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ConformanceSessions.Summary> put(@PathVariable String session, @RequestBody String report) {
        boolean created = sessions.put(session, report);
        ConformanceSessions.Summary summary = ConformanceSessions.summary(session, report);
        return created ? ResponseEntity.status(201).body(summary) : ResponseEntity.ok(summary);
    }

    @GetMapping
    public List<ConformanceSessions.Summary> list() {
        return sessions.list();
    }

    @GetMapping("/{session}")
    public ResponseEntity<?> report(@PathVariable String session) {
        return sessions.report(session)
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(404)
                        .body(Map.of("error", "no conformance session " + session + " is kept")));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    public ResponseEntity<Map<String, String>> badRequest(IllegalArgumentException e) {
        return ResponseEntity.badRequest().body(Map.of("error", e.getMessage()));
    }
}
