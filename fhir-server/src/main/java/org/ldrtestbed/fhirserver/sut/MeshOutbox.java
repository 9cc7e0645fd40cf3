package org.ldrtestbed.fhirserver.sut;

import java.util.Optional;
import java.util.UUID;

/**
 * The sending side of the MESH-like mailboxes: a system posts its message to its own mailbox's outbox, and the testbed
 * takes it as that system's write to the shared record (through the FHIR API, with the system's own token, so every
 * check a write meets is met). The write carries a mark only this server can make, so that it is kept as a {@code
 * mesh} exchange, naming the mailboxes, and no client can pass a direct FHIR write off as one.
 */
public final class MeshOutbox {

    /** Request header of the testbed's own write of an outbox message. */
    public static final String HEADER = "X-Ldr-Mesh-Outbox";

    private final String secret = UUID.randomUUID().toString();

    /** The header value for a message from one mailbox to another. */
    String mark(String from, String to, String messageId) {
        return secret + " " + from + " " + to + " " + messageId;
    }

    /** Where a marked write went over MESH ({@code MESH SYNAC-MBX to SYNG09-MBX, message …}), or empty. */
    Optional<String> route(String header) {
        if (header == null || !header.startsWith(secret + " ")) {
            return Optional.empty();
        }
        String[] parts = header.substring(secret.length() + 1).split(" ");
        if (parts.length != 3) {
            return Optional.empty();
        }
        return Optional.of("MESH outbox " + parts[0] + " to " + parts[1] + ", message " + parts[2]);
    }
}
