package org.ldrtestbed.fhirserver.sut;

import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.ldrtestbed.fhirserver.contract.Prompt;

/**
 * What each journey run is waiting for its systems under test to do, kept in memory for as long as the run is
 * registered: the engine puts a prompt when a step starts waiting and removes it when the step has its answer or
 * gives up. Plain Java.
 */
public final class Prompts {

    private static final Comparator<Prompt> BY_TIME = Comparator.comparing(
                    Prompt::at, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Prompt::step);

    private final Clock clock;
    private final Map<String, Map<String, Prompt>> runs = new ConcurrentHashMap<>();

    /** @param clock the server's wall clock, which a prompt's {@code expires} is on */
    public Prompts(Clock clock) {
        this.clock = clock;
    }

    /** Puts (or replaces) the prompt of a run's step. */
    public void put(Prompt prompt) {
        runs.computeIfAbsent(prompt.run(), r -> new ConcurrentHashMap<>()).put(prompt.step(), prompt);
    }

    /** Removes a step's prompt; true when there was one. */
    public boolean remove(String run, String step) {
        Map<String, Prompt> prompts = runs.get(run);
        return prompts != null && prompts.remove(step) != null;
    }

    /** A run's prompts, earliest step first. */
    public List<Prompt> ofRun(String run) {
        return runs.getOrDefault(run, Map.of()).values().stream()
                .sorted(BY_TIME)
                .toList();
    }

    /** The prompts addressed to a system under test that have not expired, over every run, earliest first. */
    public List<Prompt> openFor(String system) {
        return runs.values().stream()
                .flatMap(prompts -> prompts.values().stream())
                .filter(p -> system.equals(p.system()))
                .filter(p -> p.expires() == null || p.expires().isAfter(clock.instant()))
                .sorted(BY_TIME)
                .toList();
    }

    /** Forgets a run's prompts, once the run has ended. */
    public void endRun(String run) {
        runs.remove(run);
    }
}
