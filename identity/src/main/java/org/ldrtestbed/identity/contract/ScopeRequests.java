package org.ldrtestbed.identity.contract;

import java.util.Collection;
import java.util.List;

/** The SMART scopes a testbed client asks for when it signs an actor in. */
public final class ScopeRequests {

    /** What a professional's token asks for through the public client. */
    public static final String PROFESSIONAL = "openid user/*.cruds";

    /** What a patient's (or a proxy's) token asks for through the public client. */
    public static final String PATIENT = "openid patient/*.cruds";

    /** Realm roles whose holders act in a patient's context rather than as a professional. */
    public static final List<String> PATIENT_ROLES = List.of("patient", "proxy");

    /** The scopes to ask for on behalf of a user with these realm roles. */
    public static String requestFor(Collection<String> realmRoles) {
        return realmRoles.stream().anyMatch(PATIENT_ROLES::contains) ? PATIENT : PROFESSIONAL;
    }

    private ScopeRequests() {}
}
