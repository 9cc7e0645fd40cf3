package org.ldrtestbed.fhirserver.sut;

import java.util.Map;
import java.util.Optional;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.routes.sut.mesh.MeshMailbox;
import org.ldrtestbed.routes.sut.mesh.MeshMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The MESH-like mailboxes a receiving system under test polls, on the paths of MESH API v2: list the inbox, download a
 * message (its MESH headers beside the body), acknowledge it. A system client's token may use only its own
 * organisation's mailbox ({@code <ODS>-MBX}); the decisions are {@link MeshMailbox}'s.
 */
@RestController
@RequestMapping(path = "/mesh/messageexchange/{mailbox}")
public class MeshMailboxController {

    private final MeshMailbox mailboxes;

    public MeshMailboxController(MeshMailbox mailboxes) {
        this.mailboxes = mailboxes;
    }

    /** The ids of the messages not yet acknowledged, oldest first. */
    @GetMapping(path = "/inbox", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> inbox(@PathVariable String mailbox) {
        return refusal(mailbox).orElseGet(() -> ResponseEntity.ok(Map.of("messages", mailboxes.inbox(mailbox))));
    }

    /** A message's body, as sent, with its MESH headers; 410 once it has been acknowledged. */
    @GetMapping("/inbox/{id}")
    public ResponseEntity<?> download(@PathVariable String mailbox, @PathVariable String id) {
        return refusal(mailbox)
                .orElseGet(() -> mailboxes
                        .download(mailbox, id)
                        .map(MeshMailboxController::message)
                        .orElseGet(() -> notFound(mailbox, id)));
    }

    /** Takes the message out of the inbox; a repeat answers the same. */
    @PutMapping(path = "/inbox/{id}/status/acknowledged", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<?> acknowledge(@PathVariable String mailbox, @PathVariable String id) {
        return refusal(mailbox)
                .orElseGet(() -> mailboxes
                        .acknowledge(mailbox, id)
                        .<ResponseEntity<?>>map(m -> ResponseEntity.ok(Map.of("messageId", m.id())))
                        .orElseGet(() -> notFound(mailbox, id)));
    }

    private static ResponseEntity<?> message(MeshMessage m) {
        if (m.acknowledged()) {
            return ResponseEntity.status(HttpStatus.GONE)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("error", "message " + m.id() + " has been acknowledged"));
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
                .header("mex-messageid", m.id())
                .header("mex-workflowid", m.workflowId())
                .header("mex-to", m.mailbox())
                .contentType(MediaType.parseMediaType(m.contentType()));
        if (m.senderMailbox() != null) {
            answer.header("mex-from", m.senderMailbox());
        }
        return answer.body(m.body());
    }

    /** Why the caller may not use the mailbox, or empty when it may. */
    private static Optional<ResponseEntity<?>> refusal(String mailbox) {
        String organisation =
                CurrentActor.get().map(ActorIdentity::organisation).orElse(null);
        if (MeshMailbox.owns(organisation, mailbox)) {
            return Optional.empty();
        }
        return Optional.of(ResponseEntity.status(HttpStatus.FORBIDDEN)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of(
                        "error",
                        "mailbox " + mailbox + " is not organisation " + organisation + "'s (its mailbox is "
                                + (organisation == null ? "none" : MeshMailbox.mailboxOf(organisation)) + ")")));
    }

    private static ResponseEntity<?> notFound(String mailbox, String id) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", "mailbox " + mailbox + " has no message " + id));
    }
}
