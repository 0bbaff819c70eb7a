package io.dualsync.emulator.identity;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An MSAL4J {@link IHttpClient} that sends what MSAL addresses to {@code https://login.microsoftonline.com}
 * to the emulator over plain HTTP instead (same path and query). MSAL refuses http authorities, and its
 * token cache misses for AAD authorities with a port (PLATFORM.md), so MSAL keeps a port-less cloud
 * authority and this client moves the traffic. Test code: the engine has its own.
 */
final class ForwardingHttpClient implements IHttpClient {
    private static final String CLOUD = "https://login.microsoftonline.com";
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("host", "connection", "content-length", "expect", "upgrade");

    private final String target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    final AtomicInteger forwarded = new AtomicInteger();

    ForwardingHttpClient(String emulatorBaseUrl) {
        this.target = emulatorBaseUrl;
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        String url = request.url().toString();
        if (!url.regionMatches(true, 0, CLOUD, 0, CLOUD.length())) {
            throw new IllegalStateException("MSAL tried to reach " + url + "; only the emulator is reachable in tests");
        }
        forwarded.incrementAndGet();
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(target + url.substring(CLOUD.length())))
                .timeout(Duration.ofSeconds(30));
        if (request.headers() != null) {
            for (Map.Entry<String, String> h : request.headers().entrySet()) {
                if (h.getValue() != null && !RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    b.header(h.getKey(), h.getValue());
                }
            }
        }
        String method = request.httpMethod().name();
        b.method(method, request.body() == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(request.body()));
        java.net.http.HttpResponse<String> r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        HttpResponse out = new HttpResponse().statusCode(r.statusCode()).body(r.body());
        out.addHeaders(r.headers().map());
        return out;
    }
}
