package org.ldrtestbed.scenarios.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.ldrtestbed.routes.contract.MllpClient;
import org.ldrtestbed.scenarios.journey.Step.SendHl7v2;

/**
 * Runs a {@code send-hl7v2} action: fills the message's templates and sends it over MLLP, as the actor's hospital
 * system would; anything but an AA acknowledgement fails the action with the receiver's reason.
 */
final class SendHl7v2Executor {

    private final Templates templates;
    private final URI mllp;

    SendHl7v2Executor(Templates templates, URI mllp) {
        this.templates = templates;
        this.mllp = mllp;
    }

    String execute(SendHl7v2 send, Templates.Scope scope) {
        if (mllp == null) {
            throw new IllegalStateException("the server under test has no MLLP endpoint (give --mllp)");
        }
        String message = templates.render(send.message(), scope);
        try {
            String ack = new MllpClient(mllp).send(message);
            String code = MllpClient.acknowledgementCode(ack);
            if (!"AA".equals(code)) {
                throw new IllegalStateException(
                        "the receiver answered " + code + ": " + MllpClient.acknowledgementText(ack));
            }
            return "sent " + message.lines().findFirst().orElse("") + " to " + mllp + " for flow " + send.flow()
                    + ": AA";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot send HL7v2 to " + mllp + ": " + e.getMessage(), e);
        }
    }
}
