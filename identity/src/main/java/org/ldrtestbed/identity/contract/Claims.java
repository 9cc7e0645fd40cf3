package org.ldrtestbed.identity.contract;

/** The token claims that say who an actor is, as the realm's mappers put them and the server reads them. */
public final class Claims {

    public static final String USERNAME = "preferred_username";
    public static final String ROLES = "roles";
    public static final String ORGANISATION = "organisation";
    public static final String PRACTITIONER = "practitioner";
    public static final String NRBAC_ROLE = "nrbac_role";
    public static final String PATIENT = "patient";
    public static final String PROXY_FOR = "proxy_for";

    private Claims() {}
}
