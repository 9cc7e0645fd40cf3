package org.ldrtestbed.routes.adt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ADT message as a GP system under test receives it: the PAS's message, addressed to the practice. */
class AdtNotificationTest {

    private final AdtTranslator translator = new AdtTranslator();

    @Test
    void theWireMessageIsThePassOwnAddressedToTheGpPractice() {
        String received = AdtTranslatorTest.fixture("adt-a01.hl7");

        AdtNotification notification = translator.toNotification(received);

        String[] sent = notification.wire().split("\r");
        String[] asReceived =
                received.strip().replace("\r\n", "\r").replace('\n', '\r').split("\r");
        assertThat(sent[0])
                .startsWith("MSH|^~\\&|PAS|SYNAC|SYNG09|SYNG09|202601121030||ADT^A01^ADT_A01|MSG-A01-1|P|2.4");
        assertThat(sent).hasSameSizeAs(asReceived);
        for (int i = 1; i < sent.length; i++) {
            assertThat(sent[i]).as("segment " + i + " as the PAS sent it").isEqualTo(asReceived[i]);
        }
        assertThat(notification.recipient()).isEqualTo("SYNG09");
        assertThat(notification.nhsNumber()).isEqualTo("9990000018");
        assertThat(notification.sender()).isEqualTo("SYNAC");
        // Still the same message to the testbed's own reading of it.
        assertThat(translator.toEvent(notification.wire())).isEqualTo(notification.event());
    }
}
