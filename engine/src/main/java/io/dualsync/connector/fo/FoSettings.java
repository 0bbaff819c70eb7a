package io.dualsync.connector.fo;

import java.time.Duration;

/**
 * How the F&O connector talks to one environment.
 *
 * @param baseUrl        the environment URL, {@code https://org.operations.dynamics.com} (OData under {@code /data/})
 * @param poolSize       HTTP connections (default 64)
 * @param requestTimeout a request with no answer for this long is RETRYABLE (default 30 s)
 */
public record FoSettings(String baseUrl, int poolSize, Duration requestTimeout) {

    public FoSettings {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("the F&O base URL must be an http(s) URL, was " + baseUrl);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
    }

    public static FoSettings of(String baseUrl) {
        return new FoSettings(baseUrl, 64, Duration.ofSeconds(30));
    }

    public FoSettings withRequestTimeout(Duration d) {
        return new FoSettings(baseUrl, poolSize, d);
    }

    /** {@code <baseUrl>/data/}. */
    String dataRoot() {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/data/";
    }
}
