package org.ldrtestbed.scenarios.engine;

import java.net.URI;
import java.net.http.HttpClient;

/** An {@link AdminApi} at a server root, for tests of what reads it. */
public final class AdminApis {

    private AdminApis() {}

    public static AdminApi at(URI serverRoot) {
        return new AdminApi(serverRoot, () -> "test-token", HttpClient.newHttpClient());
    }
}
