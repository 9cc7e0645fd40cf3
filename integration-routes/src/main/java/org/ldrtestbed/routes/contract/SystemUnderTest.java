package org.ldrtestbed.routes.contract;

import java.util.Objects;
import java.util.Set;

/**
 * One flow of one organisation played, for a journey run, by a supplier's system under test instead of the testbed:
 * where the organisation {@link Direction#RECEIVES} the flow, the flow's route sends its wire message over the system's
 * transport instead of filing it in the shared record; where it {@link Direction#SENDS} it, the engine waits for the
 * system's message instead of sending it. A run registers its systems under test with its switches.
 *
 * @param system the system's name in the systems file (reports and exchanges name it)
 * @param flow flow code of the catalogue
 * @param organisation ODS code of the organisation whose place the system takes
 * @param direction whether the system receives or sends the flow's messages
 * @param transport one of {@link #TRANSPORTS}
 * @param endpoint where the testbed reaches a receiving system: a FHIR base URL for {@code fhir-rest}, {@code
 *     host:port} for {@code mllp}, the FHIR base the operation is invoked at for {@code process-message}, the
 *     system's mailbox id (e.g. {@code SYNG09-MBX}) for {@code mesh}; for a sending system, the FHIR base the testbed
 *     pulls from over {@code gpc-structured-record}, else null (it reaches the testbed)
 * @param authorization an {@code Authorization} header value the testbed sends to the system, or null
 */
public record SystemUnderTest(
        String system,
        String flow,
        String organisation,
        Direction direction,
        String transport,
        String endpoint,
        String authorization) {

    /** FHIR RESTful create of the wire message at the system's FHIR base. */
    public static final String FHIR_REST = "fhir-rest";

    /** HL7v2 over MLLP, acknowledged. */
    public static final String MLLP = "mllp";

    /**
     * A MESH-like mailbox the testbed hosts: the message waits in the system's inbox until the system polls, downloads
     * and acknowledges it (MESH API v2 paths under {@code /mesh/messageexchange/{mailbox}}).
     */
    public static final String MESH = "mesh";

    /** FHIR messaging: the message Bundle posted to the system's {@code $process-message}, answered by an ack. */
    public static final String PROCESS_MESSAGE = "process-message";

    /**
     * GP Connect-style structured record: the testbed pulls what a sending GP system holds, {@code POST
     * [base]/Patient/$gpc.getstructuredrecord}, instead of the system sending it.
     */
    public static final String GPC_STRUCTURED_RECORD = "gpc-structured-record";

    public static final Set<String> TRANSPORTS = Set.of(FHIR_REST, MLLP, MESH, PROCESS_MESSAGE, GPC_STRUCTURED_RECORD);

    public enum Direction {
        RECEIVES,
        SENDS
    }

    /** Never the authorization itself: a binding may be logged. */
    @Override
    public String toString() {
        return "SystemUnderTest[system=" + system + ", flow=" + flow + ", organisation=" + organisation + ", direction="
                + direction + ", transport=" + transport + ", endpoint=" + endpoint + ", authorization="
                + (authorization == null ? "none" : "(set, not shown)") + "]";
    }

    public SystemUnderTest {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(organisation, "organisation");
        Objects.requireNonNull(direction, "direction");
        if (!TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException("transport must be one of " + TRANSPORTS + ", not " + transport);
        }
        if (direction == Direction.RECEIVES && (endpoint == null || endpoint.isBlank())) {
            throw new IllegalArgumentException("a receiving system needs an endpoint");
        }
        if (GPC_STRUCTURED_RECORD.equals(transport) && (endpoint == null || endpoint.isBlank())) {
            throw new IllegalArgumentException(
                    "a system pulled over " + GPC_STRUCTURED_RECORD + " needs its FHIR base");
        }
    }
}
