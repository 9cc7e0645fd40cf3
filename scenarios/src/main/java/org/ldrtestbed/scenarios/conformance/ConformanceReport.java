package org.ldrtestbed.scenarios.conformance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.scenarios.conformance.SystemsFile.SystemBinding;

/**
 * One {@code conform} session's result: per system under test, per capability, every check with its verdict.
 *
 * @param session the session's id (its report folder's name)
 * @param journeys the journeys replayed, each with its run and whether the journey itself passed
 */
public record ConformanceReport(
        int formatVersion,
        String session,
        String systemsFile,
        String title,
        String server,
        Instant started,
        Duration elapsed,
        List<JourneyRun> journeys,
        List<SystemReport> systems,
        String verdict) {

    /** Version of conformance.json's shape. */
    public static final int FORMAT_VERSION = 1;

    public record JourneyRun(String journey, String runId, boolean passed, String report) {}

    /** @param fault the fault a reference system was made to show ({@code none}), or null for a supplier's own */
    public record SystemReport(
            String name,
            String title,
            String organisation,
            String reference,
            String fault,
            String verdict,
            List<CapabilityReport> capabilities) {}

    public record CapabilityReport(String capability, String verdict, List<ConformanceCheck> checks) {}

    /** The report of a session's checks, each system's grouped by capability. */
    public static ConformanceReport of(
            String session,
            SystemsFile file,
            List<SystemBinding> systems,
            String server,
            Instant started,
            Duration elapsed,
            List<JourneyRun> journeys,
            List<ConformanceCheck> checks) {
        List<SystemReport> reports = new ArrayList<>();
        for (SystemBinding system : systems) {
            Map<String, List<ConformanceCheck>> byCapability = new LinkedHashMap<>();
            checks.stream()
                    .filter(c -> c.system().equals(system.name()))
                    .forEach(c -> byCapability
                            .computeIfAbsent(c.capability(), k -> new ArrayList<>())
                            .add(c));
            List<CapabilityReport> capabilities = byCapability.entrySet().stream()
                    .map(e -> new CapabilityReport(
                            e.getKey(),
                            ConformanceCheck.worst(e.getValue().stream()
                                    .map(ConformanceCheck::verdict)
                                    .toList()),
                            e.getValue()))
                    .toList();
            reports.add(new SystemReport(
                    system.name(),
                    system.title(),
                    system.organisation(),
                    system.reference() == null ? null : system.reference().role(),
                    system.reference() == null ? null : system.reference().fault(),
                    ConformanceCheck.worst(
                            capabilities.stream().map(CapabilityReport::verdict).toList()),
                    capabilities));
        }
        return new ConformanceReport(
                FORMAT_VERSION,
                session,
                file.name(),
                file.title(),
                server,
                started,
                elapsed,
                journeys,
                reports,
                ConformanceCheck.worst(
                        reports.stream().map(SystemReport::verdict).toList()));
    }

    /**
     * True when no check failed and every system showed something (what {@code conform}'s exit code says): a system
     * the journeys never exercised has not conformed, whatever else passed.
     */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean passed() {
        return systems.stream().noneMatch(s -> s.verdict().equals(ConformanceCheck.NOT_TESTED))
                && systems.stream()
                        .flatMap(s -> s.capabilities().stream())
                        .flatMap(c -> c.checks().stream())
                        .noneMatch(c -> c.verdict().equals(ConformanceCheck.FAIL));
    }
}
