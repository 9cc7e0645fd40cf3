package org.ldrtestbed.fhirserver.clock;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.routes.clock.RunClock;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts a request from the testbed's journey client on its run's simulated clock: the request's
 * {@value Headers#SIMULATED_TIME} becomes "now" for what it causes, and sets the clock of the
 * run its {@value Headers#JOURNEY} names. Runs after Spring Security, so the token is
 * validated; whom to believe is {@link SimulatedTimeTrust}'s decision. A value the journey client sends that is no
 * usable instant is refused (400, an OperationOutcome) before the request does anything.
 */
public final class SimulatedTimeFilter extends OncePerRequestFilter {

    private final SimulatedTimeTrust trust;
    private final RequestClock requestClock;
    private final RunClock runClock;
    private final java.util.function.Predicate<String> registered;

    /** @param registered whether a run id names a run the testbed administrator registered (its switches) */
    public SimulatedTimeFilter(
            SimulatedTimeTrust trust,
            RequestClock requestClock,
            RunClock runClock,
            java.util.function.Predicate<String> registered) {
        this.trust = trust;
        this.requestClock = requestClock;
        this.runClock = runClock;
        this.registered = registered;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String clientId = SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString("azp")
                : null;
        java.util.Optional<java.time.Instant> simulated;
        try {
            simulated = trust.simulatedInstant(clientId, request.getHeader(Headers.SIMULATED_TIME));
        } catch (IllegalArgumentException e) {
            refuse(response, e.getMessage());
            return;
        }
        simulated.ifPresent(instant -> {
            requestClock.simulate(request, instant);
            // Only a run the testbed administrator registered has a clock: no header can grow the server's runs.
            String run = request.getHeader(Headers.JOURNEY);
            if (registered.test(run)) {
                runClock.set(run, instant);
            }
        });
        chain.doFilter(request, response);
    }

    private static void refuse(HttpServletResponse response, String diagnostics) throws IOException {
        response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
        response.setContentType("application/fhir+json");
        response.getWriter()
                .write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                        + "\"code\":\"value\",\"diagnostics\":"
                        + com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.textNode(diagnostics)
                        + "}]}");
    }
}
