package org.ldrtestbed.routes.simulators;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.identity.contract.NhsNumber;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.ldrtestbed.routes.delivery.NationalService;
import org.ldrtestbed.routes.delivery.NationalService.ServiceUnavailableException;

/** The simulated national services answer as their stub files say, and sentinel NHS numbers make them misbehave. */
class NationalServicesTest {

    private static NationalServices services;
    // Patient enough that a loaded machine's slow answer is still an answer; the slow sentinel (15 s) outlasts it.
    private static NationalService cpIs;
    private static NationalService impatientCpIs;

    @BeforeAll
    static void start() {
        services = NationalServices.start(0);
        cpIs = new NationalService("CP-IS", services::baseUrl, Duration.ofSeconds(10));
        impatientCpIs = new NationalService("CP-IS", services::baseUrl, Duration.ofSeconds(1));
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void everyStubFileIsLoaded() {
        assertThat(services.stubCount()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void sentinelNumbersAreValidSyntheticNhsNumbers() {
        for (String sentinel : new String[] {"9990000905", "9990000913", "9990000921"}) {
            assertThat(NhsNumber.isValid(sentinel)).as(sentinel).isTrue();
        }
    }

    @Test
    void aChildIsFoundOnlyOnceTheirPlanHasBeenUploaded() {
        String nhs = NhsNumber.syntheticFrom(424242);
        assertThat(cpIs.get(lookup(nhs))).contains("\"total\":0");

        cpIs.post("/cp-is/FHIR/R4/CarePlan", plan(nhs));

        assertThat(cpIs.get(lookup(nhs)))
                .contains("\"total\":1")
                .contains("CPPI")
                .contains(nhs);
        assertThat(cpIs.get(lookup(NhsNumber.syntheticFrom(424243)))).contains("\"total\":0");
    }

    @Test
    void unavailableSentinelIsTransient() {
        assertThatThrownBy(() -> cpIs.get(lookup("9990000905")))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> cpIs.post("/cp-is/FHIR/R4/CarePlan", plan("9990000905")))
                .isInstanceOf(ServiceUnavailableException.class);
    }

    @Test
    void slowSentinelTimesOutAsTransient() {
        assertThatThrownBy(() -> impatientCpIs.get(lookup("9990000913")))
                .isInstanceOf(ServiceUnavailableException.class)
                .hasMessageContaining("did not answer within");
    }

    @Test
    void unknownPatientSentinelIsRefusedForGood() {
        assertThatThrownBy(() -> cpIs.get(lookup("9990000921")))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("HTTP 404");
    }

    @Test
    void epsAcceptsPrescriptionsAndDispenseNotifications() {
        NationalService eps = new NationalService("EPS", services::baseUrl, Duration.ofSeconds(10));
        assertThat(eps.post(
                        "/eps/FHIR/R4/$process-message",
                        "{\"resourceType\":\"Bundle\",\"event\":\"prescription-order\"}"))
                .contains("available for download");
        assertThat(eps.post(
                        "/eps/FHIR/R4/$process-message",
                        "{\"resourceType\":\"Bundle\",\"event\":\"dispense-notification\"}"))
                .contains("Dispense notification accepted");
    }

    private static String lookup(String nhs) {
        return "/cp-is/FHIR/R4/CarePlan?patient:identifier="
                + URLEncoder.encode(NhsNumber.SYSTEM + "|" + nhs, StandardCharsets.UTF_8);
    }

    private static String plan(String nhs) {
        return """
                {"resourceType":"CarePlan","status":"active","intent":"plan",
                 "category":[{"coding":[{"code":"CPPI"}]}],
                 "subject":{"identifier":{"system":"https://fhir.nhs.uk/Id/nhs-number","value":"%s"}},
                 "author":{"identifier":{"system":"https://fhir.nhs.uk/Id/ods-organization-code","value":"SYNLC"}}}
                """.formatted(nhs);
    }
}
