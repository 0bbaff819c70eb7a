package io.dualsync.connector.http;

import io.dualsync.auth.TokenProvider;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.time.Duration;

/**
 * The HTTP side of a connector: a Vert.x web client with a bounded connection pool, a bearer token
 * on every request, a timeout, and one retry with a new token when the target answers 401 (the token
 * expired or was revoked). Every other answer is handed back as it came; a request that gets no
 * answer fails the future (connection error, timeout, no token). Futures complete on the caller's
 * context. Thread-safe.
 */
public final class ODataHttp implements AutoCloseable {
    private final WebClient client;
    private final TokenProvider tokens;
    private final long timeoutMillis;

    /**
     * @param poolSize connections per host: in-flight requests beyond it queue in the client (the
     *                 pipeline's own limit is what keeps Dataverse under its 52 concurrent requests)
     * @param timeout  a request with no data from the target for this long fails (RETRYABLE)
     */
    public ODataHttp(Vertx vertx, int poolSize, Duration timeout, TokenProvider tokens) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1, was " + poolSize);
        }
        this.client = WebClient.create(vertx, new WebClientOptions()
                        .setUserAgent("dualsync")
                        .setKeepAlive(true)
                        .setDecompressionSupported(true)
                        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis())),
                new PoolOptions().setHttp1MaxSize(poolSize));
        this.tokens = tokens;
        this.timeoutMillis = timeout.toMillis();
    }

    /** What the target answered. */
    public record Answer(int status, MultiMap headers, Buffer body) {
        public String header(String name) {
            return headers.get(name);
        }

        /** The body as text, or null when empty. */
        public String text() {
            return body == null || body.length() == 0 ? null : body.toString();
        }

        /** The body as a JSON object, or an empty object when there is none. */
        public JsonObject json() {
            return body == null || body.length() == 0 ? new JsonObject() : new JsonObject(body);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * Sends one request.
     *
     * @param url     absolute URL, already percent-encoded
     * @param headers request headers besides Authorization (may be null)
     * @param body    JSON body, or null for none
     */
    public Future<Answer> send(HttpMethod method, String url, MultiMap headers, Buffer body) {
        return attempt(method, url, headers, body).compose(answer -> {
            if (answer.status() != 401) {
                return Future.succeededFuture(answer);
            }
            tokens.invalidate();
            return attempt(method, url, headers, body);
        });
    }

    private Future<Answer> attempt(HttpMethod method, String url, MultiMap headers, Buffer body) {
        return tokens.token().compose(token -> {
            HttpRequest<Buffer> request = client.requestAbs(method, url)
                    .idleTimeout(timeoutMillis)
                    .putHeader("Authorization", "Bearer " + token)
                    .putHeader("Accept", "application/json")
                    .putHeader("OData-MaxVersion", "4.0")
                    .putHeader("OData-Version", "4.0");
            if (headers != null) {
                request.putHeaders(headers);
            }
            Future<HttpResponse<Buffer>> sent;
            if (body == null) {
                sent = request.send();
            } else {
                request.putHeader("Content-Type", "application/json; charset=utf-8");
                sent = request.sendBuffer(body);
            }
            return sent.map(r -> new Answer(r.statusCode(), r.headers(), r.body()));
        });
    }

    @Override
    public void close() {
        client.close();
    }
}
