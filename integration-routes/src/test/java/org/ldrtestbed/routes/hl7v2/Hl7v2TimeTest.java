package org.ldrtestbed.routes.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.ldrtestbed.routes.delivery.InvalidMessageException;

class Hl7v2TimeTest {

    @Test
    void localTimesAreUkTimesAcrossTheClockChange() {
        assertThat(Hl7v2Time.parse("202601121030", "EVN-2")).isEqualTo(Instant.parse("2026-01-12T10:30:00Z"));
        assertThat(Hl7v2Time.parse("20260712103015", "EVN-2")).isEqualTo(Instant.parse("2026-07-12T09:30:15Z"));
        assertThat(Hl7v2Time.parse("20260712103015.25-0500", "EVN-2")).isEqualTo(Instant.parse("2026-07-12T15:30:15Z"));
    }

    @Test
    void whatIsNoTimeIsRefusedNamingTheField() {
        assertThatThrownBy(() -> Hl7v2Time.parse("2026011210", "PV1-44-1"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("PV1-44-1");
        assertThatThrownBy(() -> Hl7v2Time.parse("202613121030", "EVN-2"))
                .isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("not a valid time");
    }

    @Test
    void aFieldIsReadFromItsSegmentFirstComponentOnly() {
        String er7 = "MSH|^~\\&|PAS|SYNAC\rEVN|A01|202601121030^S\rPV1||I\r";
        assertThat(Hl7v2Time.field(er7, "EVN-2")).contains("202601121030");
        assertThat(Hl7v2Time.field(er7, "EVN-5")).isEmpty();
        assertThat(Hl7v2Time.field(er7, "PV1-44")).isEmpty();
        assertThat(Hl7v2Time.field(er7, "ZZZ-1")).isEmpty();
    }
}
