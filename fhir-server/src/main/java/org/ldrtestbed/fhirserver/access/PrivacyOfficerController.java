package org.ldrtestbed.fhirserver.access;

import java.util.List;
import org.ldrtestbed.fhirserver.security.CurrentActor;
import org.ldrtestbed.fhirserver.security.SecurityConfiguration;
import org.ldrtestbed.identity.ActorIdentity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The privacy officer's alert viewer: emergency accesses by their organisation's staff (a digital lead, role
 * {@code testbed-admin}, sees every organisation's).
 */
@RestController
@RequestMapping(path = "/privacy", produces = "application/json")
public class PrivacyOfficerController {

    private final PrivacyAlerts alerts;

    public PrivacyOfficerController(PrivacyAlerts alerts) {
        this.alerts = alerts;
    }

    @GetMapping("/alerts")
    public List<PrivacyAlerts.Alert> alerts() {
        ActorIdentity officer = CurrentActor.get().orElseThrow();
        boolean everyOrganisation = officer.roles().contains(SecurityConfiguration.ADMIN_ROLE);
        return alerts.list(everyOrganisation ? null : officer.organisation());
    }
}
