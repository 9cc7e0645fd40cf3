package org.ldrtestbed.scenarios.conformance;

import java.io.IOException;
import org.ldrtestbed.scenarios.engine.AdminApi;

/**
 * Keeps a conformance session's report on the testbed server ({@code PUT /testbed/conformance/{session}}), so the
 * evidence outlives the folder it was written to. Best effort: a server that cannot keep it (an older one, or
 * another FHIR server) leaves the report on disk only, and says so.
 */
public final class KeptSessions {

    static final String PATH = "testbed/conformance/";

    private final AdminApi admin;

    public KeptSessions(AdminApi admin) {
        this.admin = admin;
    }

    /** Puts the report (its conformance.json text, as written); a line to tell the user what became of it. */
    public String keep(String session, String json) throws InterruptedException {
        try {
            AdminApi.Answer answer = admin.put(PATH + session, json);
            return answer.ok()
                    ? "Session kept on the server: " + admin.serverRoot().resolve(PATH + session)
                    : "The server did not keep the session (HTTP " + answer.status() + "): " + answer.body();
        } catch (IOException e) {
            return "The server did not keep the session: " + e.getMessage();
        }
    }
}
