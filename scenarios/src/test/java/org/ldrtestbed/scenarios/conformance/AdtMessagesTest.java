package org.ldrtestbed.scenarios.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdtMessagesTest {

    private final AdtMessages adt = new AdtMessages();

    @Test
    void aPromptAsksForWhatTheTestbedWouldHaveSent() throws IOException {
        assertThat(adt.facts(sample(), "run-1"))
                .containsEntry("event", "A01")
                .containsEntry("nhs-number", nhs(sample()))
                .containsEntry("control-id", "run-1")
                .containsKeys("ward", "visit-number", "event-time", "sending-facility", "gp-practice");
    }

    @Test
    void theSampleHasNoErrorsAndItsOdsCodeInPd1IsOnlyAWarning() throws IOException {
        List<FhirValidation.Issue> issues = adt.check(sample(), nhs(sample()));
        assertThat(issues).noneMatch(FhirValidation.Issue::isError);
    }

    @Test
    void anotherPatientIsAnError() throws IOException {
        assertThat(adt.check(sample(), "9990000077"))
                .anyMatch(i -> i.isError()
                        && i.location().equals("PID-3")
                        && i.message().contains("wrong patient"));
    }

    @Test
    void aMissingFieldTheFlowReadsIsAnErrorAtThatField() throws IOException {
        String noVisit = sample().replaceAll("(?m)^(PV1\\|(?:[^|]*\\|){18})[^|]*", "$1");
        assertThat(adt.check(noVisit, nhs(sample())))
                .anyMatch(i -> i.isError() && i.location().equals("PV1-19-1"));
    }

    @Test
    void theNhsNumberIsFoundInWhicheverRepetitionOfPid3CarriesIt() throws IOException {
        String nhs = nhs(sample());
        String hospitalNumberFirst = sample().replace(nhs + "^^^NHS^NH", "RRK123456^^^RRK^MR~" + nhs + "^^^NHS^NH");
        assertThat(adt.check(hospitalNumberFirst, nhs)).noneMatch(FhirValidation.Issue::isError);
        assertThat(adt.facts(hospitalNumberFirst, "run-1")).containsEntry("nhs-number", nhs);
        String noNhsNumber = sample().replace(nhs + "^^^NHS^NH", "RRK123456^^^RRK^MR");
        assertThat(adt.check(noNhsNumber, nhs))
                .anyMatch(i -> i.isError() && i.location().equals("PID-3"));
    }

    @Test
    void theControlIdAndEventAreReadFromMsh() throws IOException {
        assertThat(AdtMessages.controlId(sample())).isEqualTo("MSG-A01-1");
        assertThat(AdtMessages.event(sample())).isEqualTo("A01");
    }

    @Test
    void textThatIsNotHl7v2IsAnError() {
        assertThat(adt.check("hello", "9990000077")).anyMatch(FhirValidation.Issue::isError);
    }

    private static String nhs(String er7) {
        return er7.lines()
                .filter(l -> l.startsWith("PID|"))
                .findFirst()
                .orElseThrow()
                .split("\\|")[3]
                .split("\\^")[0];
    }

    static String sample() throws IOException {
        try (InputStream in = AdtMessagesTest.class.getClassLoader().getResourceAsStream("hl7v2/samples/adt-a01.hl7")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
