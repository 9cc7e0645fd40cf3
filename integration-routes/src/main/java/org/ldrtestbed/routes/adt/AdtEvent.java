package org.ldrtestbed.routes.adt;

import java.time.Instant;

/**
 * What the testbed reads from an HL7v2 ADT message (v2.4 field positions, as NHS trusts' patient administration
 * systems send them).
 *
 * @param trigger A01 admit, A02 transfer, A03 discharge
 * @param controlId MSH-10, unique per message: receipt is idempotent on it
 * @param sendingFacility MSH-4, the sending trust's ODS code
 * @param nhsNumber PID-3 with assigning authority NHS or identifier type NH
 * @param visitNumber PV1-19, the hospital stay
 * @param ward PV1-3-1, the point of care (a unit code of the directory)
 * @param attendingId PV1-7-1, the attending doctor's SDS user id (may be null)
 * @param attendingName PV1-7 family and given names, for the notification text
 * @param admitted PV1-44, or the event time
 * @param discharged PV1-45 (A03), or the event time
 * @param eventTime EVN-2
 * @param gpPractice PD1-3-3, the registered GP practice's ODS code
 */
public record AdtEvent(
        String trigger,
        String controlId,
        String sendingFacility,
        String nhsNumber,
        String visitNumber,
        String ward,
        String attendingId,
        String attendingName,
        Instant admitted,
        Instant discharged,
        Instant eventTime,
        String gpPractice) {}
