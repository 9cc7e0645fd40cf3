package org.ldrtestbed.scenarios;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.ldrtestbed.fhirserver.testsupport.TestDatabase;
import org.ldrtestbed.scenarios.embedded.EmbeddedTestbed;

/**
 * Gives integration tests one embedded testbed on a real PostgreSQL, started once for the whole test run and
 * stopped after it (the testbed first, then its database).
 */
public final class SharedTestbed implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedTestbed.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class)
                .testbed();
    }

    private record Running(TestDatabase database, EmbeddedTestbed testbed)
            implements ExtensionContext.Store.CloseableResource {

        static Running start() {
            TestDatabase database = TestDatabase.create();
            try {
                Path data = Files.createTempDirectory("ldr-testbed-it-");
                return new Running(database, EmbeddedTestbed.start(data, Set.of(), database.springProperties()));
            } catch (Exception e) {
                throw new IllegalStateException("Cannot start the testbed on " + database.describe(), e);
            }
        }

        @Override
        public void close() throws Exception {
            testbed.close();
            database.close();
        }
    }
}
