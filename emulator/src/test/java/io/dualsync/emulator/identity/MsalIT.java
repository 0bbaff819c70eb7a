package io.dualsync.emulator.identity;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.IClientCredential;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.TokenSource;
import io.dualsync.emulator.EmulatorContext;
import io.dualsync.emulator.EmulatorModule;
import io.dualsync.emulator.EmulatorOptions;
import io.dualsync.emulator.EmulatorServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * MSAL4J 1.26.1, configured the way the engine must be, gets tokens from the emulator and serves the
 * second request from its own cache.
 */
class MsalIT {
    private static final String AUTHORITY = "https://login.microsoftonline.com/dualsync-dev/";

    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();
    private EmulatorServer server;
    private Identity identity;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        await(vertx.close());
    }

    private void start(Consumer<EmulatorOptions> configure) throws Exception {
        EmulatorOptions options = new EmulatorOptions();
        configure.accept(options);
        EmulatorContext ctx = new EmulatorContext(vertx, options, EmulatorContext.Kind.DATAVERSE);
        identity = new Identity(ctx);
        ctx.authenticator(identity);
        EmulatorModule api = router -> {
            router.route("/api/*").handler(ctx.authGuard());
            router.get("/api/whoami").handler(rc -> rc.end(EmulatorContext.caller(rc).clientId()));
        };
        server = await(EmulatorServer.start(ctx, 0, List.of(identity, api)));
    }

    private ConfidentialClientApplication app(String clientId, IClientCredential credential) throws Exception {
        return ConfidentialClientApplication.builder(clientId, credential)
                .authority(AUTHORITY)
                .instanceDiscovery(false)
                .httpClient(new ForwardingHttpClient(server.baseUrl()))
                .build();
    }

    private ClientCredentialParameters forThisEmulator() {
        return ClientCredentialParameters.builder(Set.of(server.baseUrl() + "/.default")).build();
    }

    @Test
    void devSecret_tokenFromEmulator_thenFromMsalCache() throws Exception {
        start(o -> {
        });
        ConfidentialClientApplication app = app("dualsync-dev", ClientCredentialFactory.createFromSecret("dualsync-dev-secret"));

        IAuthenticationResult first = app.acquireToken(forThisEmulator()).get(30, TimeUnit.SECONDS);
        IAuthenticationResult second = app.acquireToken(forThisEmulator()).get(30, TimeUnit.SECONDS);

        assertThat(first.metadata().tokenSource()).isEqualTo(TokenSource.IDENTITY_PROVIDER);
        assertThat(second.metadata().tokenSource()).isEqualTo(TokenSource.CACHE);
        assertThat(second.accessToken()).isEqualTo(first.accessToken());
        assertThat(identity.tokenRequests()).isEqualTo(1);
        assertThat(whoami(first.accessToken())).isEqualTo("dualsync-dev");
    }

    @Test
    void certificateCredential_signedByMsal_isAccepted() throws Exception {
        TestCertificates cred = new TestCertificates("msal-cert-app");
        Path pem = Files.writeString(dir.resolve("app.crt"), cred.certificatePem());
        start(o -> o.clients.add(new EmulatorOptions.Client("dualsync-dev", "cert-app", null, pem)));
        ConfidentialClientApplication app = app("cert-app",
                ClientCredentialFactory.createFromCertificate(cred.keys.getPrivate(), cred.certificate));

        IAuthenticationResult result = app.acquireToken(forThisEmulator()).get(30, TimeUnit.SECONDS);

        assertThat(whoami(result.accessToken())).isEqualTo("cert-app");
    }

    @Test
    void wrongSecret_surfacesAsMsalServiceException() throws Exception {
        start(o -> {
        });
        ConfidentialClientApplication app = app("dualsync-dev", ClientCredentialFactory.createFromSecret("wrong"));

        assertThatThrownBy(() -> app.acquireToken(forThisEmulator()).get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(MsalServiceException.class)
                .hasMessageContaining("AADSTS7000215")
                .satisfies(e -> assertThat(((MsalServiceException) e).errorCode()).isEqualTo("invalid_client"));
    }

    private String whoami(String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/whoami"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
