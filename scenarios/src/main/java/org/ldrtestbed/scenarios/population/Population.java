package org.ldrtestbed.scenarios.population;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A county's residents and the template events they have over a number of days, drawn from one seed.
 *
 * @param events ordered by time, then resident
 */
public record Population(String county, long seed, int days, List<Resident> residents, List<TemplateEvent> events) {

    public Population {
        residents = List.copyOf(residents);
        events = List.copyOf(events);
    }

    /**
     * The journey {@code event} makes of {@code template}: expanded for the resident, from a stream keyed by the
     * seed, the resident, the template and the event's ordinal (the same event always gives the same journey).
     */
    public ExpandedJourney journey(TemplateEvent event, JourneyTemplate template) {
        if (!Objects.equals(event.template(), template.id())) {
            throw new IllegalArgumentException("Event is of template " + event.template() + ", not " + template.id());
        }
        Resident resident = residents.get(event.resident());
        Map<String, Object> attributes = resident.attributes();
        return TemplateExpansion.expand(
                template,
                attributes,
                Seeds.stream(
                        seed,
                        Purpose.JOURNEY.ordinal(),
                        event.resident(),
                        event.template().hashCode(),
                        event.ordinal()));
    }

    /**
     * What a random stream is for, so that streams for different purposes never coincide. The ordinals key the
     * streams: add new purposes at the end, or every seed's population changes.
     */
    enum Purpose {
        RESIDENT,
        EVENTS,
        JOURNEY
    }
}
