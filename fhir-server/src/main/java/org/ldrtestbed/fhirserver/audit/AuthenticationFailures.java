package org.ldrtestbed.fhirserver.audit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import org.ldrtestbed.identity.audit.AuditRecord;
import org.ldrtestbed.identity.audit.AuditTrail;

/**
 * Puts every request refused for want of a valid token (401) in the audit trail: nobody is known, so the event names
 * the anonymous caller, what they asked for and why it failed. The privacy officer finds them with {@code
 * AuditEvent?altid=anonymous}.
 */
public final class AuthenticationFailures {

    /** Who an unauthenticated request is recorded as. */
    public static final String ANONYMOUS = "anonymous";

    private final AuditTrail trail;
    private final Clock clock;

    public AuthenticationFailures(AuditTrail trail, Clock clock) {
        this.trail = trail;
        this.clock = clock;
    }

    public void record(HttpServletRequest request, String why) {
        String query = request.getQueryString();
        trail.append(new AuditRecord(
                clock.instant(),
                "E",
                "login",
                null,
                request.getMethod() + " " + request.getRequestURI() + (query == null ? "" : "?" + query),
                4,
                why,
                ANONYMOUS,
                List.of(),
                null,
                null,
                null,
                null,
                "TREAT",
                null,
                null,
                null,
                request.getHeader("X-Request-Id")));
    }
}
