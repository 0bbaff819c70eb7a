package io.dualsync.auth;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.TokenSource;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Client-credentials tokens from Microsoft Entra ID through MSAL4J, for one application and one
 * resource. Keeps the current token and starts getting the next one {@code refreshBefore} (5 minutes)
 * ahead of its expiry, in the background: callers keep getting the current token meanwhile, and
 * concurrent callers share one request to the identity provider. MSAL's blocking calls run on this
 * provider's own daemon threads; {@link #token()} never blocks the caller.
 *
 * <p>Local emulators: MSAL refuses {@code http://} authorities, so for an authority such as
 * {@code http://127.0.0.1:7072/dualsync-dev/} the application is built with the port-less cloud
 * authority {@code https://login.microsoftonline.com/dualsync-dev/} and instance discovery off, and its
 * HTTP calls are forwarded to {@code http://127.0.0.1:7072} (same path) by {@link LocalAuthorityForwarder}.
 * A port-less authority is also what keeps MSAL's token cache working (MSAL4J issue 529).
 *
 * <p>Thread-safe. {@link #close()} stops its threads.
 */
public final class MsalTokenProvider implements TokenProvider, AutoCloseable {
    public static final Duration DEFAULT_REFRESH_BEFORE = Duration.ofMinutes(5);
    static final String CLOUD_INSTANCE = "https://login.microsoftonline.com";
    /** After a failed background refresh, the current token is used this long before trying again. */
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(10);
    private static final Duration HTTP_TIMEOUT = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(MsalTokenProvider.class);

    private final Vertx vertx;
    private final ClientCredentials credentials;
    private final Duration refreshBefore;
    private final Clock clock;
    private final ExecutorService executor;
    private final ConfidentialClientApplication app;
    private final LongAdder acquisitions = new LongAdder();

    private final Object lock = new Object();
    private volatile AccessToken current;
    /** The request to the identity provider in progress, shared by every caller; guarded by lock. */
    private CompletableFuture<AccessToken> inflight;
    private boolean inflightSkipsCache;
    /** Bumped by {@link #invalidate()}: a request started before it may not install its token. */
    private int generation;
    private boolean skipCacheNext;
    private volatile Instant pausedUntil = Instant.MIN;

    public MsalTokenProvider(Vertx vertx, ClientCredentials credentials) {
        this(vertx, credentials, DEFAULT_REFRESH_BEFORE, Clock.systemUTC());
    }

    /** With an injected clock (tests) and refresh lead time. */
    MsalTokenProvider(Vertx vertx, ClientCredentials credentials, Duration refreshBefore, Clock clock) {
        this.vertx = vertx;
        this.credentials = credentials;
        this.refreshBefore = refreshBefore;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dualsync-msal-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            this.app = build(credentials, executor);
        } catch (RuntimeException e) {
            executor.shutdownNow();
            throw e;
        }
    }

    private static ConfidentialClientApplication build(ClientCredentials c, ExecutorService executor) {
        ConfidentialClientApplication.Builder b = ConfidentialClientApplication.builder(c.clientId(), credential(c))
                .executorService(executor);
        URI authority = URI.create(c.authority().endsWith("/") ? c.authority() : c.authority() + "/");
        try {
            if ("http".equalsIgnoreCase(authority.getScheme())) {
                URI local = URI.create("http://" + authority.getRawAuthority());
                b.authority(CLOUD_INSTANCE + authority.getRawPath())
                        .instanceDiscovery(false)
                        .httpClient(new LocalAuthorityForwarder(local, HTTP_TIMEOUT));
            } else {
                b.authority(authority.toString());
            }
            return b.build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("authority " + c.authority() + " is not a valid URL: " + e.getMessage(), e);
        }
    }

    private static IClientCredential credential(ClientCredentials c) {
        if (c.clientSecret() != null) {
            return ClientCredentialFactory.createFromSecret(c.clientSecret());
        }
        List<X509Certificate> chain = certificates(c.certificatePem());
        PrivateKey key = privateKey(c.privateKeyPem());
        return chain.size() == 1 ? ClientCredentialFactory.createFromCertificate(key, chain.get(0))
                : ClientCredentialFactory.createFromCertificateChain(key, chain);
    }

    static List<X509Certificate> certificates(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (java.security.cert.Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) cert);
            }
            if (out.isEmpty()) {
                throw new IllegalArgumentException("no certificate in " + pem);
            }
            return out;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the certificate " + pem + ": " + e.getMessage(), e);
        }
    }

    static PrivateKey privateKey(Path pem) {
        String text;
        try {
            text = Files.readString(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the private key " + pem + ": " + e.getMessage(), e);
        }
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
                || text.contains("BEGIN ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key " + pem + " must be an unencrypted PKCS#8 PEM "
                    + "(-----BEGIN PRIVATE KEY-----); convert it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8.pem");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("no -----BEGIN PRIVATE KEY----- block in " + pem);
        }
        byte[] der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        for (String algorithm : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException("the private key " + pem + " is neither an RSA nor an EC PKCS#8 key");
    }

    @Override
    public Future<String> token() {
        Instant now = clock.instant();
        AccessToken t = current;
        if (t != null && t.usable(now)) {
            if (t.dueForRefresh(now, refreshBefore) && !now.isBefore(pausedUntil)) {
                refresh(); // in the background: this caller goes on with the current token
            }
            return Future.succeededFuture(t.value());
        }
        Context context = vertx.getOrCreateContext();
        return Future.fromCompletionStage(refresh(), context).map(AccessToken::value);
    }

    @Override
    public void invalidate() {
        synchronized (lock) {
            generation++;
            current = null;
            if (inflight != null && inflightSkipsCache) {
                return; // a request for a brand-new token is already on its way: share it
            }
            inflight = null;
            skipCacheNext = true;
        }
    }

    /** How many tokens came from the identity provider (not from MSAL's cache) so far. */
    public long acquisitions() {
        return acquisitions.sum();
    }

    private CompletableFuture<AccessToken> refresh() {
        synchronized (lock) {
            if (inflight != null) {
                return inflight;
            }
            // A token of ours that is near its expiry or was rejected is also what MSAL's cache holds.
            boolean skipCache = skipCacheNext || current != null;
            skipCacheNext = false;
            int startedIn = generation;
            Instant startedAt = clock.instant();
            CompletableFuture<AccessToken> promise = new CompletableFuture<>();
            inflight = promise;
            inflightSkipsCache = skipCache;
            CompletableFuture<IAuthenticationResult> call;
            try {
                call = app.acquireToken(ClientCredentialParameters.builder(Set.of(credentials.scope()))
                        .skipCache(skipCache).build());
            } catch (RuntimeException e) {
                call = CompletableFuture.failedFuture(e);
            }
            call.whenComplete((result, error) -> finish(promise, startedIn, startedAt, result, error));
            return promise;
        }
    }

    private void finish(CompletableFuture<AccessToken> promise, int startedIn, Instant startedAt,
                        IAuthenticationResult result, Throwable error) {
        AccessToken token = null;
        if (error == null) {
            token = new AccessToken(result.accessToken(), startedAt, result.expiresOnDate().toInstant());
            if (result.metadata() == null || result.metadata().tokenSource() != TokenSource.CACHE) {
                acquisitions.increment();
            }
        }
        synchronized (lock) {
            if (inflight == promise) {
                inflight = null;
            }
            if (token != null && startedIn == generation) {
                current = token;
            }
        }
        if (token != null) {
            pausedUntil = Instant.MIN;
            LOG.debug("token for {} obtained, expires at {}", credentials.scope(), token.expiresAt());
            promise.complete(token);
        } else {
            pausedUntil = clock.instant().plus(RETRY_PAUSE);
            TokenUnavailableException failure = failure(error);
            LOG.warn("no token for {} ({}): {}", credentials.scope(), credentials.clientId(), failure.getMessage());
            promise.completeExceptionally(failure);
        }
    }

    private TokenUnavailableException failure(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        boolean rejected = false;
        String detail = cause.getMessage();
        if (cause instanceof MsalServiceException service) {
            Integer status = service.statusCode();
            // 400 invalid_client / unauthorized_client / invalid_scope and 401: the credentials are wrong.
            rejected = status != null && (status == 400 || status == 401);
            detail = service.errorCode() + ": " + service.getMessage();
        }
        return new TokenUnavailableException("cannot get a token for " + credentials.scope() + " as application "
                + credentials.clientId() + " from " + credentials.authority() + ": " + detail, rejected, cause);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
