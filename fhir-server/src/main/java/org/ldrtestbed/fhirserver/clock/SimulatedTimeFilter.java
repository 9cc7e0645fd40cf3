package org.ldrtestbed.fhirserver.clock;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.ldrtestbed.fhirserver.flows.FlowTriggerInterceptor;
import org.ldrtestbed.routes.clock.RunClock;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts a request from the testbed's journey client on its run's simulated clock: the request's
 * {@value FlowTriggerInterceptor#SIMULATED_TIME_HEADER} becomes "now" for what it causes, and sets the clock of the
 * run its {@value FlowTriggerInterceptor#JOURNEY_HEADER} names. Runs after Spring Security, so the token is
 * validated; whom to believe is {@link SimulatedTimeTrust}'s decision.
 */
public final class SimulatedTimeFilter extends OncePerRequestFilter {

    private final SimulatedTimeTrust trust;
    private final RequestClock requestClock;
    private final RunClock runClock;

    public SimulatedTimeFilter(SimulatedTimeTrust trust, RequestClock requestClock, RunClock runClock) {
        this.trust = trust;
        this.requestClock = requestClock;
        this.runClock = runClock;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String clientId = SecurityContextHolder.getContext().getAuthentication() instanceof JwtAuthenticationToken jwt
                ? jwt.getToken().getClaimAsString("azp")
                : null;
        trust.simulatedInstant(clientId, request.getHeader(FlowTriggerInterceptor.SIMULATED_TIME_HEADER))
                .ifPresent(simulated -> {
                    requestClock.simulate(request, simulated);
                    runClock.set(request.getHeader(FlowTriggerInterceptor.JOURNEY_HEADER), simulated);
                });
        chain.doFilter(request, response);
    }
}
