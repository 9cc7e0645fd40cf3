package org.ldrtestbed.fhirserver.directory;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.ldrtestbed.fhirserver.FhirServerProperties;
import org.ldrtestbed.fhirserver.contract.CareSystemDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;

/** Loads the care-system directory into the shared record at start-up, in one idempotent transaction. */
public class DirectoryLoader implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DirectoryLoader.class);

    private final CareSystemDirectory directory;
    private final IFhirSystemDao<Bundle, Meta> systemDao;
    private final FhirServerProperties properties;

    public DirectoryLoader(
            CareSystemDirectory directory, IFhirSystemDao<Bundle, Meta> systemDao, FhirServerProperties properties) {
        this.directory = directory;
        this.systemDao = systemDao;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (!properties.loadDirectory()) {
            return;
        }
        Bundle transaction = DirectoryResources.asTransaction(directory);
        systemDao.transaction(new SystemRequestDetails(), transaction);
        log.info(
                "Care-system directory loaded: {} organisations, {} professionals ({} resources)",
                directory.organisations().size(),
                directory.practitioners().size(),
                transaction.getEntry().size());
    }
}
