package org.ldrtestbed.fhirserver.sut;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Only the server's own mark makes a write an outbox message; a client cannot forge one. */
class MeshOutboxTest {

    @Test
    void theServersOwnMarkNamesTheRoute() {
        MeshOutbox outbox = new MeshOutbox();

        assertThat(outbox.route(outbox.mark("SYNAC-MBX", "SYNG09-MBX", "m-1")))
                .hasValue("MESH outbox SYNAC-MBX to SYNG09-MBX, message m-1");
    }

    @Test
    void anyOtherValueIsNoOutboxMessage() {
        MeshOutbox outbox = new MeshOutbox();
        String anotherServers = new MeshOutbox().mark("SYNAC-MBX", "SYNG09-MBX", "m-1");

        assertThat(outbox.route(null)).isEmpty();
        assertThat(outbox.route("SYNAC-MBX SYNG09-MBX m-1")).isEmpty();
        assertThat(outbox.route(anotherServers)).isEmpty();
    }
}
