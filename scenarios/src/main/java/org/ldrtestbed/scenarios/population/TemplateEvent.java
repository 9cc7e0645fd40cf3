package org.ldrtestbed.scenarios.population;

import java.time.Duration;

/**
 * A journey template starting for a resident.
 *
 * @param resident the resident's index
 * @param ordinal the event's number among this resident's events of this template, from 0; with the resident and
 *     template it keys the journey's random stream
 * @param at from the start of the simulated period
 */
public record TemplateEvent(int resident, String template, int ordinal, Duration at) {}
