package org.ldrtestbed.identity.contract;

import java.util.Set;

/** Realm roles and clients the testbed's server and its clients agree on. */
public final class Roles {

    /** Realm role that may run the testbed itself: flow switches, message log, people, dead-letter replay. */
    public static final String ADMIN = "testbed-admin";

    /** Realm role that receives emergency-access alerts about its organisation's staff. */
    public static final String PRIVACY_OFFICER = "privacy-officer";

    /** Realm role of the unrestricted system clients (the flows' receiving systems). */
    public static final String SYSTEM = "system";

    /** Roles no journey person may hold: the testbed's administrator and the unrestricted system clients. */
    public static final Set<String> PRIVILEGED = Set.of(ADMIN, SYSTEM);

    /** The realm client journeys' actors sign in with. */
    public static final String TESTBED_CLIENT = "testbed-scenarios";

    private Roles() {}
}
