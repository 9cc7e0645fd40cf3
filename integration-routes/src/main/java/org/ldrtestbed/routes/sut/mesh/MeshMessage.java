package org.ldrtestbed.routes.sut.mesh;

import java.time.Instant;

/**
 * One message in a MESH-like mailbox the testbed hosts, with what ties it to the run that sent it.
 *
 * @param id the MESH message id ({@code mex-messageid}), unique over every mailbox
 * @param mailbox the recipient's mailbox id, e.g. {@code SYNG09-MBX}
 * @param senderMailbox the sender's mailbox id ({@code mex-from}), e.g. {@code SYNAC-MBX}, or null
 * @param run the journey run that sent it, or null
 * @param system the system under test it was sent to (the run's binding), or null
 * @param flow flow code
 * @param messageId the message log's id of the flow message it carries
 * @param nhsNumber the patient's NHS number, as the message says
 * @param workflowId the MESH workflow id ({@code mex-workflowid}), e.g. {@code TOC_FHIR_IP_DISCH}
 * @param contentType the body's media type
 * @param body the message as it goes over the wire
 * @param sentAt when it was put in the inbox, on the run's clock
 * @param downloadedAt when the recipient first downloaded it, or null
 * @param acknowledgedAt when the recipient acknowledged it (it has then left the inbox), or null
 */
public record MeshMessage(
        String id,
        String mailbox,
        String senderMailbox,
        String run,
        String system,
        String flow,
        String messageId,
        String nhsNumber,
        String workflowId,
        String contentType,
        String body,
        Instant sentAt,
        Instant downloadedAt,
        Instant acknowledgedAt) {

    public boolean acknowledged() {
        return acknowledgedAt != null;
    }
}
