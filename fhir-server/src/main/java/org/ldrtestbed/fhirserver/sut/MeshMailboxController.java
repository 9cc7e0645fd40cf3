package org.ldrtestbed.fhirserver.sut;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.ldrtestbed.fhirserver.contract.Headers;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.identity.ActorIdentity;
import org.ldrtestbed.routes.sut.mesh.MeshMailbox;
import org.ldrtestbed.routes.sut.mesh.MeshMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The MESH-like mailboxes a system under test uses, on the paths of MESH API v2: a receiving system lists its inbox,
 * downloads a message (its MESH headers beside the body) and acknowledges it; a sending system posts to its outbox. A system client's token may use only its own
 * organisation's mailbox ({@code <ODS>-MBX}); the decisions are {@link MeshMailbox}'s.
 */
@RestController
@RequestMapping(path = "/mesh/messageexchange/{mailbox}")
public class MeshMailboxController {

    private final MeshMailbox mailboxes;
    private final MeshOutbox outbox;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public MeshMailboxController(MeshMailbox mailboxes, MeshOutbox outbox) {
        this.mailboxes = mailboxes;
        this.outbox = outbox;
    }

    /**
     * Sends a message from the caller's own mailbox to {@code mex-to}: the testbed takes it as the caller's FHIR write
     * (its body, with the caller's own token), so the flow it starts carries it to the recipient as any other;
     * {@code mex-localid} names the journey run, as {@value Headers#JOURNEY} does on a FHIR write. Answered 202 with
     * the message id once written; else the write's status and its OperationOutcome. Whatever the caller accepts:
     * MESH clients ask for their own media types.
     */
    @PostMapping(path = "/outbox")
    public ResponseEntity<?> send(
            @PathVariable String mailbox,
            @RequestHeader(name = "mex-to", required = false) String to,
            @RequestHeader(name = "mex-localid", required = false) String localId,
            @RequestHeader(name = "Authorization") String authorization,
            @RequestHeader(name = "Content-Type", defaultValue = "application/fhir+json") String contentType,
            @RequestBody String body,
            HttpServletRequest request)
            throws IOException, InterruptedException {
        Optional<ResponseEntity<?>> refused = refusal(mailbox);
        if (refused.isPresent()) {
            return refused.get();
        }
        if (to == null || !to.matches("[A-Za-z0-9]+" + MeshMailbox.SUFFIX)) {
            return ResponseEntity.badRequest()
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of(
                            "error",
                            "mex-to must name the recipient's mailbox (<ODS>" + MeshMailbox.SUFFIX + "), was " + to));
        }
        String messageId = UUID.randomUUID().toString();
        String address =
                request.getLocalAddr().contains(":") ? "[" + request.getLocalAddr() + "]" : request.getLocalAddr();
        HttpRequest.Builder write = HttpRequest.newBuilder(URI.create(request.getScheme() + "://" + address + ":"
                        + request.getLocalPort() + request.getContextPath() + "/fhir/Bundle"))
                .header("Authorization", authorization)
                .header("Content-Type", contentType)
                .header("Accept", "application/fhir+json")
                .header(MeshOutbox.HEADER, outbox.mark(mailbox, to, messageId))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (localId != null && !localId.isBlank()) {
            write.header(Headers.JOURNEY, localId);
        }
        HttpResponse<String> written = http.send(write.build(), HttpResponse.BodyHandlers.ofString());
        if (written.statusCode() / 100 == 2) {
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(Map.of("messageID", messageId));
        }
        return ResponseEntity.status(written.statusCode())
                .contentType(MediaType.parseMediaType("application/fhir+json"))
                .body(written.body());
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
