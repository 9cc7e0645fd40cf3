package org.ldrtestbed.fhirserver.clock;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * "Now" for what a request causes: the simulated instant a trusted testbed client sent with it
 * ({@link SimulatedTimeFilter}), moving on with the wall clock while the request runs; the server's clock for every
 * other request and outside requests. A {@link Clock}, so components that take one stand on the journey's clock
 * without knowing of journeys.
 */
public final class RequestClock extends Clock {

    /** Request attribute holding the request's {@link SimulatedInstant}. */
    public static final String ATTRIBUTE = RequestClock.class.getName();

    private final Clock wall;

    public RequestClock(Clock wall) {
        this.wall = wall;
    }

    /** A request's simulated instant and the server's instant when it arrived. */
    public record SimulatedInstant(Instant simulated, Instant arrived) {}

    /** Marks a request as happening at this simulated instant. */
    public void simulate(HttpServletRequest request, Instant simulated) {
        request.setAttribute(ATTRIBUTE, new SimulatedInstant(simulated, wall.instant()));
    }

    /** Now for this request, which HAPI may serve on a thread of its own (a batch entry). */
    public Instant instant(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet && servlet.getServletRequest() != null) {
            return at(servlet.getServletRequest().getAttribute(ATTRIBUTE));
        }
        return instant();
    }

    /** Now for the request this thread serves, if any. */
    @Override
    public Instant instant() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
            return at(attributes.getRequest().getAttribute(ATTRIBUTE));
        }
        return wall.instant();
    }

    private Instant at(Object attribute) {
        return attribute instanceof SimulatedInstant s
                ? s.simulated().plus(Duration.between(s.arrived(), wall.instant()))
                : wall.instant();
    }

    @Override
    public ZoneId getZone() {
        return wall.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new RequestClock(wall.withZone(zone));
    }
}
