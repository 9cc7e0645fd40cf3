package org.ldrtestbed.fhirserver.contract;

import java.util.Set;

/**
 * The testbed serves AuditEvent with a provider of its own, not HAPI's JPA one: only these search parameters work
 * (a server test holds the provider to this list).
 */
public final class AuditEventSearch {

    public static final Set<String> PARAMETERS = Set.of("patient", "altid", "purpose", "_count", "_offset");

    private AuditEventSearch() {}
}
