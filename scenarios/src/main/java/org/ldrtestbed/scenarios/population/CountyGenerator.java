package org.ldrtestbed.scenarios.population;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.ldrtestbed.identity.contract.NhsNumber;

/**
 * Draws a county's residents and their template events from a seed. Each resident's draws come from a stream keyed
 * by the seed and their index, so resident i is the same whatever the size of the population and a later replay can
 * partition by patient.
 */
public final class CountyGenerator {

    /** The population's NHS numbers start here, above the hand-written journeys' 999 000 xxxx numbers. */
    static final long FIRST_NHS_NUMBER_OFFSET = 100_000L;

    /** Valid numbers left in the test range above {@link #FIRST_NHS_NUMBER_OFFSET} (one in eleven has no check digit). */
    public static final int MAX_RESIDENTS = 800_000;

    private static final double DAYS_PER_YEAR = 365.25;
    private static final long SECONDS_PER_DAY = 86_400;

    private final County county;

    public CountyGenerator(County county) {
        this.county = county;
    }

    /**
     * @param residents how many to draw, 1 to {@link #MAX_RESIDENTS}
     * @param days length of the simulated period, for the events
     */
    public Population generate(int residents, int days, long seed) {
        if (residents < 1 || residents > MAX_RESIDENTS) {
            throw new IllegalArgumentException(
                    "residents must be between 1 and " + MAX_RESIDENTS + " (the 999 test range), not " + residents);
        }
        if (days < 0) {
            throw new IllegalArgumentException("days must not be negative, not " + days);
        }
        List<Resident> people = new ArrayList<>(residents);
        NhsNumbers numbers = new NhsNumbers();
        for (int i = 0; i < residents; i++) {
            people.add(resident(i, numbers.next(), Seeds.stream(seed, Population.Purpose.RESIDENT.ordinal(), i)));
        }
        List<TemplateEvent> events = new ArrayList<>();
        for (Resident resident : people) {
            for (County.EventRate rate : county.events()) {
                if (rate.appliesTo(resident)) {
                    events.addAll(events(resident, rate, days, seed));
                }
            }
        }
        events.sort(Comparator.comparing(TemplateEvent::at).thenComparingInt(TemplateEvent::resident));
        return new Population(county.id(), seed, days, people, events);
    }

    private Resident resident(int index, String nhsNumber, SplittableRandom random) {
        County.Locality locality = pick(county.localities(), County.Locality::share, random);
        County.Practice practice = pick(locality.practices(), County.Practice::share, random);
        County.AgeBand band = pick(county.ageBands(), County.AgeBand::share, random);
        int age = random.nextInt(band.from(), band.to() + 1);
        boolean livesAlone = random.nextDouble() < band.livesAlone();
        Set<String> conditions = new TreeSet<>();
        county.conditions().forEach((code, prevalence) -> {
            if (random.nextDouble() < prevalence.get(band.band())) {
                conditions.add(code);
            }
        });
        return new Resident(
                index, nhsNumber, age, band.band(), locality.name(), practice.ods(), livesAlone, conditions);
    }

    /** A Poisson process: exponential gaps with mean one year over the rate, until the period ends. */
    private static List<TemplateEvent> events(Resident resident, County.EventRate rate, int days, long seed) {
        List<TemplateEvent> events = new ArrayList<>();
        if (rate.perPersonYear() <= 0) {
            return events;
        }
        SplittableRandom random = Seeds.stream(
                seed,
                Population.Purpose.EVENTS.ordinal(),
                resident.index(),
                rate.template().hashCode());
        double meanGapSeconds = DAYS_PER_YEAR * SECONDS_PER_DAY / rate.perPersonYear();
        double at = random.nextExponential() * meanGapSeconds;
        while (at < days * (double) SECONDS_PER_DAY) {
            events.add(
                    new TemplateEvent(resident.index(), rate.template(), events.size(), Duration.ofSeconds((long) at)));
            at += random.nextExponential() * meanGapSeconds;
        }
        return events;
    }

    private static <T> T pick(List<T> items, ToDoubleFunction<T> share, SplittableRandom random) {
        double u = random.nextDouble();
        double cumulative = 0;
        for (T item : items) {
            cumulative += share.applyAsDouble(item);
            if (u < cumulative) {
                return item;
            }
        }
        // Shares add up to 1 within rounding; a draw in the gap takes the last.
        return items.get(items.size() - 1);
    }

    /** The valid test-range numbers in order: each candidate's next valid number, skipping repeats. */
    private static final class NhsNumbers {
        private long candidate = FIRST_NHS_NUMBER_OFFSET;
        private String last = "";

        String next() {
            while (true) {
                String number = NhsNumber.syntheticFrom(candidate++);
                if (!number.equals(last)) {
                    last = number;
                    return number;
                }
            }
        }
    }
}
