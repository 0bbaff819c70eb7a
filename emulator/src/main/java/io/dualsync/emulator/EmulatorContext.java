package io.dualsync.emulator;

import io.dualsync.emulator.store.Store;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What every part of one emulator (F&O or Dataverse) shares: its store, options, base URL, the
 * listeners told about writes, and how callers are authenticated. Parts mount their routes with
 * it; all request handling happens on the emulator's event loop.
 */
public final class EmulatorContext {
    /** Which service an emulator stands in for. */
    public enum Kind { FO, DATAVERSE }

    /** RoutingContext key under which the authenticated {@link Caller} is kept. */
    public static final String CALLER = "dualsync.caller";

    private final Vertx vertx;
    private final EmulatorOptions options;
    private final Kind kind;
    private final Store store = new Store();
    private final List<ChangeListener> listeners = new CopyOnWriteArrayList<>();
    private volatile String baseUrl;
    private volatile Authenticator authenticator;

    public EmulatorContext(Vertx vertx, EmulatorOptions options, Kind kind) {
        this.vertx = vertx;
        this.options = options;
        this.kind = kind;
    }

    public Vertx vertx() {
        return vertx;
    }

    public EmulatorOptions options() {
        return options;
    }

    public Kind kind() {
        return kind;
    }

    public Store store() {
        return store;
    }

    /** {@code http://127.0.0.1:PORT}, without a trailing slash; known once the server listens. */
    public String baseUrl() {
        return baseUrl;
    }

    public void baseUrl(String url) {
        this.baseUrl = url;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public void authenticator(Authenticator a) {
        this.authenticator = a;
    }

    public void addListener(ChangeListener l) {
        listeners.add(l);
    }

    /** Tells every listener about a committed write. */
    public void publish(ChangeEvent e) {
        for (ChangeListener l : listeners) {
            l.onChange(e);
        }
    }

    /** The caller of the current request (set by {@link #authGuard()}). */
    public static Caller caller(RoutingContext rc) {
        Caller c = rc.get(CALLER);
        return c == null ? Caller.ANONYMOUS : c;
    }

    /** The last Authorization header and the token in it. */
    private record Bearer(String header, String token) {
    }

    private volatile Bearer lastBearer = new Bearer("", "");

    /**
     * The token of a {@code Bearer} header. A client sends the same header with every request: comparing
     * it with the last one is cheaper than copying a token of a kilobyte or two out of it each time, and
     * hands the authenticator the same token instance again.
     */
    private String token(String header) {
        Bearer last = lastBearer;
        if (last.header().equals(header)) {
            return last.token();
        }
        String token = header.substring(7).trim();
        lastBearer = new Bearer(header, token);
        return token;
    }

    /**
     * Requires {@code Authorization: Bearer} with a valid token for this emulator, or answers 401
     * with {@code WWW-Authenticate}. With {@code auth} off every request is {@link Caller#ANONYMOUS}.
     */
    public Handler<RoutingContext> authGuard() {
        return rc -> {
            if (!options.auth || authenticator == null) {
                rc.put(CALLER, Caller.ANONYMOUS);
                rc.next();
                return;
            }
            String header = rc.request().getHeader("Authorization");
            Caller caller = null;
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                caller = authenticator.verify(token(header));
            }
            if (caller == null) {
                rc.response().setStatusCode(401)
                        .putHeader("WWW-Authenticate", authenticator.challenge())
                        .putHeader("Content-Type", "application/json; charset=utf-8")
                        .end(kind == Kind.DATAVERSE
                                ? "{\"error\":{\"code\":\"0x80072560\",\"message\":\"The user is not authenticated: a valid bearer token for this resource is required.\"}}"
                                : "{\"error\":{\"code\":\"Unauthorized\",\"message\":\"Authentication failed: a valid bearer token for this resource is required.\"}}");
                return;
            }
            rc.put(CALLER, caller);
            rc.next();
        };
    }
}
