package org.ldrtestbed.scenarios.population;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A synthetic county as data: where residents live, how old they are, which long-term conditions they have and how
 * often each journey template starts for them. Read by {@link CountyLoader}; drawn from by {@link CountyGenerator}.
 *
 * @param residents the county's real size, for a full-scale run
 * @param conditions condition code → prevalence by age band
 */
public record County(
        String id,
        String title,
        long residents,
        List<Locality> localities,
        List<AgeBand> ageBands,
        Map<String, Map<String, Double>> conditions,
        List<EventRate> events) {

    public County {
        localities = List.copyOf(localities);
        ageBands = List.copyOf(ageBands);
        Map<String, Map<String, Double>> copy = new LinkedHashMap<>();
        conditions.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new LinkedHashMap<>(v))));
        conditions = Collections.unmodifiableMap(copy);
        events = List.copyOf(events);
    }

    public record Locality(String name, double share, List<Practice> practices) {
        public Locality {
            practices = List.copyOf(practices);
        }
    }

    /** @param share of its locality's residents */
    public record Practice(String ods, double share) {}

    /**
     * @param to inclusive
     * @param livesAlone probability that a resident of the band lives alone
     */
    public record AgeBand(String band, int from, int to, double share, double livesAlone) {}

    /**
     * A resident with {@code condition} (when given) and of an age in {@code fromAge}..{@code toAge} starts
     * {@code template} at this rate (a Poisson process).
     */
    public record EventRate(String template, Optional<String> condition, int fromAge, int toAge, double perPersonYear) {

        /** Any age, for residents with {@code condition}. */
        public EventRate(String template, String condition, double perPersonYear) {
            this(template, Optional.of(condition), 0, Integer.MAX_VALUE, perPersonYear);
        }

        public boolean appliesTo(Resident resident) {
            return resident.age() >= fromAge
                    && resident.age() <= toAge
                    && condition.map(resident.conditions()::contains).orElse(true);
        }
    }
}
