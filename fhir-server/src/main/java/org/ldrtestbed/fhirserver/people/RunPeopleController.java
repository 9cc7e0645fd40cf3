package org.ldrtestbed.fhirserver.people;

import java.util.Map;
import java.util.Optional;
import org.ldrtestbed.identity.contract.JourneyPeople;
import org.ldrtestbed.identity.people.RunPeople;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A journey run's own people (role {@code testbed-admin}, as every {@code /testbed} path): the embedded identity
 * provider logs them in until the run ends. Refused (409) when a person would clash with the realm or claim a
 * privileged role, or when this testbed trusts an external identity provider that cannot serve them.
 */
@RestController
@RequestMapping(path = "/testbed/runs/{run}/people", produces = "application/json")
public class RunPeopleController {

    private final Optional<RunPeople> people;

    public RunPeopleController(Optional<RunPeople> people) {
        this.people = people;
    }

    @PutMapping(consumes = "application/json")
    public ResponseEntity<Map<String, Object>> register(@PathVariable String run, @RequestBody JourneyPeople body) {
        if (people.isEmpty()) {
            return refused("this testbed trusts an external identity provider, which cannot serve a journey's own"
                    + " people: put them in its realm instead");
        }
        try {
            people.get().register(run, body);
        } catch (RunPeople.Refused e) {
            return refused(e.getMessage());
        }
        return ResponseEntity.ok(Map.of(
                "run",
                run,
                "users",
                body.users().stream().map(u -> u.username()).toList()));
    }

    @DeleteMapping
    public ResponseEntity<Void> end(@PathVariable String run) {
        return people.isPresent() && people.get().remove(run)
                ? ResponseEntity.noContent().build()
                : ResponseEntity.notFound().build();
    }

    private static ResponseEntity<Map<String, Object>> refused(String why) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", why));
    }
}
