package org.ldrtestbed.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/** {@code testbed reference-sut} refuses what it cannot run, naming what it can, before anything starts. */
class ReferenceSutCommandTest {

    @Test
    void anUnknownRoleExits2NamingTheRoles() {
        CommandOutcome outcome = CommandOutcome.execute("reference-sut", "pharmacy");

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains("pharmacy").contains("gp-practice, ambulance-service, acute-pas, acute-epr");
    }

    @Test
    void anUnknownFaultExits2NamingTheFaults() {
        CommandOutcome outcome = CommandOutcome.execute("reference-sut", "gp-practice", "--faulty", "flaky");

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains("flaky").contains("none, wrong-patient, invalid, silence, 5xx, late");
    }

    @Test
    void fiveHundredsForASenderExits2() {
        CommandOutcome outcome = CommandOutcome.execute("reference-sut", "acute-pas", "--faulty", "5xx");

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains("does not apply to a sender").contains("late");
    }

    @Test
    void lateForTheAcuteEprExits2NamingWhatItCanShow() {
        CommandOutcome outcome = CommandOutcome.execute("reference-sut", "acute-epr", "--faulty", "late");

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains("does not apply to an acute EPR").contains("wrong-patient");
    }

    @Test
    void anMllpAddressWithoutAPortExits2() {
        CommandOutcome outcome = CommandOutcome.execute("reference-sut", "acute-pas", "--mllp", "127.0.0.1");

        assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
        assertThat(outcome.err()).contains("HOST:PORT");
    }

    @Test
    void aTakenPortExits2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandOutcome outcome = CommandOutcome.execute(
                    "reference-sut", "gp-practice", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
            assertThat(outcome.err()).contains("--port " + taken.getLocalPort());
        }
    }

    @Test
    void aTakenMllpPortExits2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandOutcome outcome = CommandOutcome.execute(
                    "reference-sut", "gp-practice", "--mllp-port", String.valueOf(taken.getLocalPort()));

            assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
            assertThat(outcome.err()).contains("--mllp-port " + taken.getLocalPort());
        }
    }

    @Test
    void aTakenPortExits2ForTheAmbulanceServiceToo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            CommandOutcome outcome = CommandOutcome.execute(
                    "reference-sut", "ambulance-service", "--port", String.valueOf(taken.getLocalPort()));

            assertThat(outcome.code()).isEqualTo(TestbedCommand.BAD_INPUT);
            assertThat(outcome.err()).contains("--port " + taken.getLocalPort());
        }
    }
}
