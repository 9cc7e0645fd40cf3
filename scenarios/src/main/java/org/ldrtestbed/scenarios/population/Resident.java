package org.ldrtestbed.scenarios.population;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One synthetic resident of a county.
 *
 * @param index the resident's place in the population, which keys their random streams
 * @param nhsNumber from the 999 test range, valid Modulus 11, unique in the population
 * @param practice directory code of the practice they are registered with
 * @param conditions long-term condition codes, sorted
 */
public record Resident(
        int index,
        String nhsNumber,
        int age,
        String ageBand,
        String locality,
        String practice,
        boolean livesAlone,
        Set<String> conditions) {

    public Resident {
        conditions = Collections.unmodifiableSortedSet(new TreeSet<>(conditions));
    }

    /** What a template may read of the resident, by attribute name. */
    public Map<String, Object> attributes() {
        return Map.of(
                "age", (long) age,
                "age-band", ageBand,
                "locality", locality,
                "practice", practice,
                "lives-alone", livesAlone);
    }
}
