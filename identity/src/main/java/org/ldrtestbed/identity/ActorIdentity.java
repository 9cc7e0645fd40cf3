package org.ldrtestbed.identity;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.ldrtestbed.identity.contract.Claims;

/**
 * Who is acting, read from a validated token: the claims every testbed token carries (see the protocol mappers in the
 * realm file).
 *
 * @param username the realm user (or the service account of a system client)
 * @param roles testbed roles, e.g. {@code paramedic}
 * @param organisation ODS-style code of the organisation the actor works for
 * @param practitioner SDS-style user id of the professional, absent for systems and patients
 * @param nrbacRole national RBAC access role code, e.g. {@code R8000}
 * @param patient NHS number of the patient a patient token belongs to, absent for professionals
 * @param proxyFor NHS number of the patient a proxy (e.g. a relative) acts for, absent otherwise
 */
public record ActorIdentity(
        String username,
        List<String> roles,
        String organisation,
        String practitioner,
        String nrbacRole,
        String patient,
        String proxyFor) {

    public static final String CLAIM_USERNAME = Claims.USERNAME;
    public static final String CLAIM_ROLES = Claims.ROLES;
    public static final String CLAIM_ORGANISATION = Claims.ORGANISATION;
    public static final String CLAIM_PRACTITIONER = Claims.PRACTITIONER;
    public static final String CLAIM_NRBAC_ROLE = Claims.NRBAC_ROLE;
    public static final String CLAIM_PATIENT = Claims.PATIENT;
    public static final String CLAIM_PROXY_FOR = Claims.PROXY_FOR;

    /** Reads the actor from token claims; absent claims become null or an empty role list. */
    public static ActorIdentity fromClaims(Map<String, Object> claims) {
        Object roles = claims.get(CLAIM_ROLES);
        List<String> roleList = roles instanceof Collection<?> c
                ? c.stream().map(String::valueOf).toList()
                : List.of();
        return new ActorIdentity(
                string(claims, CLAIM_USERNAME),
                roleList,
                string(claims, CLAIM_ORGANISATION),
                string(claims, CLAIM_PRACTITIONER),
                string(claims, CLAIM_NRBAC_ROLE),
                string(claims, CLAIM_PATIENT),
                string(claims, CLAIM_PROXY_FOR));
    }

    private static String string(Map<String, Object> claims, String name) {
        Object value = claims.get(name);
        return value == null ? null : String.valueOf(value);
    }
}
