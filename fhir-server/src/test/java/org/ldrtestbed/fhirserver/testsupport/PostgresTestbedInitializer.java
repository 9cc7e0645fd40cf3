package org.ldrtestbed.fhirserver.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * Points a Spring test context at a fresh {@link TestDatabase} and a fresh data folder (broker journal). The
 * database is registered as the context's first disposable bean, so it is closed last, after HAPI's background jobs
 * have stopped using it.
 */
public final class PostgresTestbedInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestDatabase database = TestDatabase.create();
        Map<String, Object> properties = new LinkedHashMap<>(database.springProperties());
        try {
            properties.put(
                    "testbed.data-dir",
                    Files.createTempDirectory("ldr-testbed-it-").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        properties.put("testbed.routes.mllp-port", freePort());
        context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test-postgres", properties));
        DisposableBean closeDatabase = database::close;
        ((DefaultListableBeanFactory) context.getBeanFactory()).registerDisposableBean("testDatabase", closeDatabase);
    }

    /** A port nothing listens on now; several test contexts share a JVM, so none may use the fixed MLLP port. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
