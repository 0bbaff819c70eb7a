package io.dualsync.emulator;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

import java.util.List;

/**
 * One emulator's HTTP server: mounts the modules in order on a router and listens on loopback.
 * Port 0 picks a free port; {@link EmulatorContext#baseUrl()} then tells which.
 */
public final class EmulatorServer {
    private final EmulatorContext context;
    private final HttpServer server;

    private EmulatorServer(EmulatorContext context, HttpServer server) {
        this.context = context;
        this.server = server;
    }

    public static Future<EmulatorServer> start(EmulatorContext context, int port, List<EmulatorModule> modules) {
        Router router = Router.router(context.vertx());
        for (EmulatorModule m : modules) {
            m.mount(router);
        }
        HttpServerOptions opts = new HttpServerOptions().setHost(context.options().host).setPort(port)
                .setCompressionSupported(true).setMaxInitialLineLength(16 * 1024);
        return context.vertx().createHttpServer(opts).requestHandler(router).listen().map(s -> {
            context.baseUrl("http://" + context.options().host + ":" + s.actualPort());
            return new EmulatorServer(context, s);
        });
    }

    public EmulatorContext context() {
        return context;
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return context.baseUrl();
    }

    public Future<Void> close() {
        return server.close();
    }
}
