package org.ldrtestbed.identity.access;

import java.util.Set;
import org.ldrtestbed.identity.ActorIdentity;

/**
 * What the server knows about one entry and its reader when it decides a read. Plain facts, so the rules can be
 * tested, and the access matrix generated, without a server.
 *
 * @param reader who is reading
 * @param purpose purpose of use: {@link AccessPolicy#TREAT} or {@link AccessPolicy#BREAK_GLASS}
 * @param resourceType the entry's FHIR type
 * @param resourceClass the entry's class in the policy; null when it is not patient data
 * @param sensitiveCategories sensitive categories its security labels stand for
 * @param writtenByReaderOrganisation whether the reader's organisation wrote it
 * @param ownRecord for a patient or proxy token: whether the entry belongs to their patient
 * @param proxyGrantedTypes for a proxy: the resource types the patient granted them
 * @param relationship whether the reader's organisation is involved in the patient's care
 * @param dissent whether an active dissent of the patient covers the reader's organisation and this entry
 */
public record AccessFacts(
        ActorIdentity reader,
        String purpose,
        String resourceType,
        String resourceClass,
        Set<String> sensitiveCategories,
        boolean writtenByReaderOrganisation,
        boolean ownRecord,
        Set<String> proxyGrantedTypes,
        boolean relationship,
        boolean dissent) {}
