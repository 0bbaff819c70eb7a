package io.dualsync.auth;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.HttpResponse;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MSAL's HTTP client for a local identity endpoint (the emulators' development identity): MSAL
 * refuses {@code http://} authorities, so it is given the port-less cloud authority and this client
 * sends each of its calls to the local base URL instead, same path and query, over plain HTTP.
 * Runs on MSAL's executor threads, never on an event loop (it blocks).
 */
final class LocalAuthorityForwarder implements IHttpClient {
    /** Headers java.net.http sets itself and refuses from callers. */
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final URI localBase;
    private final Duration timeout;
    private final HttpClient client;

    /** @param localBase scheme, host and port of the local identity endpoint, e.g. {@code http://127.0.0.1:7072} */
    LocalAuthorityForwarder(URI localBase, Duration timeout) {
        this.localBase = localBase;
        this.timeout = timeout;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** The URL MSAL asked for, moved to the local base: same path and query. */
    URI target(URL requested) {
        String file = requested.getFile(); // path and query
        return URI.create(localBase.getScheme() + "://" + localBase.getRawAuthority() + (file.isEmpty() ? "/" : file));
    }

    @Override
    public IHttpResponse send(HttpRequest request) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(target(request.url())).timeout(timeout);
        if (request.headers() != null) {
            for (Map.Entry<String, String> h : request.headers().entrySet()) {
                if (h.getValue() != null && !RESTRICTED.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    b.header(h.getKey(), h.getValue());
                }
            }
        }
        String body = request.body();
        b.method(request.httpMethod().name(), body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        java.net.http.HttpResponse<String> answer = client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        HttpResponse out = new HttpResponse().statusCode(answer.statusCode()).body(answer.body());
        out.addHeaders(answer.headers().map());
        return out;
    }
}
