package io.dualsync.connector.dataverse;

import java.time.Duration;

/**
 * How the Dataverse connector talks to one environment.
 *
 * @param baseUrl          the environment URL, {@code https://org.crm.dynamics.com} (the Web API is
 *                         under {@code /api/data/v9.2/})
 * @param poolSize         HTTP connections (default 64); how many requests are in flight is the
 *                         pipeline's limiter's decision, not this
 * @param requestTimeout   a request with no answer for this long is RETRYABLE (default 30 s)
 * @param lookupCacheSize  resolved lookup ids and related keys kept (default 50,000)
 * @param lookupCacheTtl   how long a resolved lookup is trusted (default 10 minutes)
 */
public record DataverseSettings(String baseUrl, int poolSize, Duration requestTimeout, long lookupCacheSize,
                                Duration lookupCacheTtl) {

    public DataverseSettings {
        if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
            throw new IllegalArgumentException("the Dataverse base URL must be an http(s) URL, was " + baseUrl);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1, was " + poolSize);
        }
    }

    public static DataverseSettings of(String baseUrl) {
        return new DataverseSettings(baseUrl, 64, Duration.ofSeconds(30), 50_000, Duration.ofMinutes(10));
    }

    public DataverseSettings withPoolSize(int n) {
        return new DataverseSettings(baseUrl, n, requestTimeout, lookupCacheSize, lookupCacheTtl);
    }

    public DataverseSettings withRequestTimeout(Duration d) {
        return new DataverseSettings(baseUrl, poolSize, d, lookupCacheSize, lookupCacheTtl);
    }

    /** {@code <baseUrl>/api/data/v9.2/}. */
    String apiRoot() {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + "/api/data/v9.2/";
    }
}
