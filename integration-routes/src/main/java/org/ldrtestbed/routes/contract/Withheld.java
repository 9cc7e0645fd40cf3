package org.ldrtestbed.routes.contract;

import java.time.Instant;
import java.util.List;

/**
 * A message a switch held back: which flow, from whom (organisation, services), which switch, why and when. The
 * admin API's {@code /testbed/runs/{run}} lists them in this shape.
 */
public record Withheld(
        String flow, String organisation, List<String> services, String cause, String reason, Instant at) {
    public Withheld {
        services = List.copyOf(services);
    }
}
