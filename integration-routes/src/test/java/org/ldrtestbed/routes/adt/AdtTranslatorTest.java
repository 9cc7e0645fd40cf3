package org.ldrtestbed.routes.adt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Communication;
import org.hl7.fhir.r4.model.Encounter;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;
import org.springframework.core.io.ClassPathResource;

class AdtTranslatorTest {

    private final AdtTranslator translator = new AdtTranslator();

    @Test
    void admissionOpensTheStayAndTellsTheGp() {
        AdtEvent event = translator.toEvent(fixture("adt-a01.hl7"));

        assertThat(event.trigger()).isEqualTo("A01");
        assertThat(event.controlId()).isEqualTo("MSG-A01-1");
        assertThat(event.sendingFacility()).isEqualTo("SYNAC");
        assertThat(event.nhsNumber()).isEqualTo("9990000018");
        assertThat(event.ward()).isEqualTo("SYNAC01-RESP");
        assertThat(event.gpPractice()).isEqualTo("SYNG09");
        // 10:30 in January is 10:30 UTC (GMT).
        assertThat(event.admitted()).isEqualTo(Instant.parse("2026-01-12T10:30:00Z"));

        Bundle filing = AdtNotificationDelivery.filing(event);
        Encounter stay = (Encounter) filing.getEntry().get(0).getResource();
        assertThat(filing.getEntry().get(0).getRequest().getUrl())
                .isEqualTo("Encounter?identifier=" + AdtTranslator.VISIT_SYSTEM + "|SYNAC-V1001");
        assertThat(stay.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);
        assertThat(stay.getLocationFirstRep().getLocation().getReference()).endsWith("|SYNAC01-RESP");
        assertThat(stay.getParticipantFirstRep().getIndividual().getReference()).endsWith("|900000000106");
        assertThat(stay.getPeriod().hasEnd()).isFalse();

        Communication notice = (Communication) filing.getEntry().get(1).getResource();
        assertThat(notice.getRecipientFirstRep().getReference()).endsWith("|SYNG09");
        assertThat(notice.getPayloadFirstRep().getContentStringType().getValue())
                .isEqualTo("Admitted to ward SYNAC01-RESP under Erik Lindqvist on 2026-01-12 10:30");
        assertThat(notice.getEncounter().getReference())
                .isEqualTo(filing.getEntry().get(0).getFullUrl());
        assertThat(filing.getEntry().get(1).getRequest().getIfNoneExist()).endsWith("|SYNAC-MSG-A01-1");
    }

    @Test
    void dischargeFinishesTheSameStay() {
        Bundle filing = AdtNotificationDelivery.filing(translator.read(translator.parse(fixture("adt-a03.hl7"))));

        Encounter stay = (Encounter) filing.getEntry().get(0).getResource();
        assertThat(filing.getEntry().get(0).getRequest().getUrl()).endsWith("|SYNAC-V1001");
        assertThat(stay.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertThat(stay.getPeriod().getEnd()).isEqualTo(java.util.Date.from(Instant.parse("2026-01-17T14:00:00Z")));
        assertThat(((Communication) filing.getEntry().get(1).getResource())
                        .getPayloadFirstRep()
                        .getContentStringType()
                        .getValue())
                .startsWith("Discharged from ward SYNAC01-RESP");
    }

    @Test
    void refusesWhatCannotBeFiled() {
        String a01 = fixture("adt-a01.hl7");
        assertRefused(a01.replace("9990000018", "9990000019"), "Modulus 11");
        assertRefused(a01.replace("^^^NHS^NH", "^^^PAS^MR"), "no NHS number");
        assertRefused(a01.replaceAll("PD1\\|[^\r]*\r", ""), "PD1-3-3");
        assertRefused(a01.replace("ADT^A01", "ORU^R01"), "MSH-9");
        assertRefused(a01.replace("EVN|A01|202601121030", "EVN|A01|yesterday"), "EVN-2");
        assertThatThrownBy(() -> translator.parse("not hl7 at all"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not a valid HL7v2 message");
    }

    private void assertRefused(String er7, String reason) {
        assertThatThrownBy(() -> translator.read(translator.parse(er7)))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining(reason);
    }

    static String fixture(String name) {
        try {
            return new ClassPathResource("hl7v2/samples/" + name).getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
