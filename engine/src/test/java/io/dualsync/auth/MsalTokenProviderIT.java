package io.dualsync.auth;

import io.dualsync.connector.http.Emulated;
import io.dualsync.emulator.EmulatorOptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.dualsync.connector.http.Emulated.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** MSAL4J against the emulators' development identity, over real HTTP. */
class MsalTokenProviderIT {
    private static final String CERT_CLIENT = "dualsync-cert";
    private static Emulated emulated;
    private static Path certificatePem;
    private static Path privateKeyPem;

    @BeforeAll
    static void start(@TempDir Path dir) throws Exception {
        certificatePem = dir.resolve("app.crt.pem");
        privateKeyPem = dir.resolve("app.key.pem");
        selfSignedCertificate(dir, certificatePem, privateKeyPem);
        emulated = Emulated.start(o -> o.clients.add(new EmulatorOptions.Client(Emulated.TENANT, CERT_CLIENT, null, certificatePem)));
    }

    /** A key pair and self-signed certificate, as an administrator would make for the app registration (keytool, then PEM). */
    private static void selfSignedCertificate(Path dir, Path certPem, Path keyPem) throws Exception {
        Path store = dir.resolve("app.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "app", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=dualsync-it",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes());
        Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n"
                + mime.encodeToString(ks.getCertificate("app").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + mime.encodeToString(ks.getKey("app", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    }

    @AfterAll
    static void stop() {
        emulated.close();
    }

    @Test
    void aToken_isAcquiredOnce_andReused() {
        String dv = emulated.dataverseUrl();
        emulated.resetCounters(dv);
        try (MsalTokenProvider tokens = new MsalTokenProvider(emulated.vertx, Emulated.identity(dv))) {
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                seen.add(await(tokens.token()));
            }

            assertThat(seen).hasSize(5).allMatch(t -> t.equals(seen.get(0)));
            assertThat(seen.get(0).split("\\.")).hasSize(3); // a JWT
            assertThat(tokens.acquisitions()).isEqualTo(1);
            assertThat(emulated.responses(dv, "POST", 200)).isEqualTo(1); // the token request
        }
    }

    @Test
    void concurrentCallers_shareOneRequest() {
        String dv = emulated.dataverseUrl();
        try (MsalTokenProvider tokens = new MsalTokenProvider(emulated.vertx, Emulated.identity(dv))) {
            List<io.vertx.core.Future<String>> all = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                all.add(tokens.token());
            }
            await(io.vertx.core.Future.all(all));

            assertThat(all).allMatch(f -> f.result().equals(all.get(0).result()));
            assertThat(tokens.acquisitions()).isEqualTo(1);
        }
    }

    @Test
    void invalidate_getsABrandNewTokenFromTheIdentityProvider() {
        try (MsalTokenProvider tokens = new MsalTokenProvider(emulated.vertx, Emulated.identity(emulated.dataverseUrl()))) {
            String first = await(tokens.token());
            tokens.invalidate();
            String second = await(tokens.token());

            assertThat(second).isNotEqualTo(first);
            assertThat(tokens.acquisitions()).isEqualTo(2);
            assertThat(await(tokens.token())).isEqualTo(second);
        }
    }

    @Test
    void nearItsExpiry_theTokenIsRefreshedInTheBackground_whileTheCurrentOneIsStillServed() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (MsalTokenProvider tokens = new MsalTokenProvider(emulated.vertx, Emulated.identity(emulated.dataverseUrl()),
                Duration.ofMinutes(5), clock)) {
            String first = await(tokens.token());
            now.set(now.get().plus(Duration.ofMinutes(56))); // the token (3599 s) has 4 minutes left

            io.vertx.core.Future<String> during = tokens.token();

            assertThat(during.isComplete()).as("served at once, not after the refresh").isTrue();
            assertThat(during.result()).isEqualTo(first);
            await().atMost(Duration.ofSeconds(30)).until(() -> tokens.acquisitions() == 2);
            assertThat(await(tokens.token())).isNotEqualTo(first);
        }
    }

    @Test
    void aCertificate_signsTheRequest_insteadOfASecret() {
        String dv = emulated.dataverseUrl();
        ClientCredentials cert = ClientCredentials.certificate(dv + "/" + Emulated.TENANT + "/", CERT_CLIENT, certificatePem,
                privateKeyPem, dv);
        try (MsalTokenProvider tokens = new MsalTokenProvider(emulated.vertx, cert)) {
            String token = await(tokens.token());

            assertThat(token.split("\\.")).hasSize(3);
            assertThat(tokens.acquisitions()).isEqualTo(1);
        }
    }

    @Test
    void aWrongSecret_failsWithTheIdentityProvidersReason_andIsNotRetryable() {
        ClientCredentials wrong = ClientCredentials.secret(emulated.dataverseUrl() + "/" + Emulated.TENANT + "/",
                Emulated.CLIENT_ID, "not-the-secret", emulated.dataverseUrl());
        try (MsalTokenProvider tokens = new MsalTokenProvider(emulated.vertx, wrong)) {
            assertThatThrownBy(() -> await(tokens.token()))
                    .isInstanceOf(TokenUnavailableException.class)
                    .hasMessageContaining("AADSTS7000215")
                    .hasMessageNotContaining("not-the-secret")
                    .matches(e -> ((TokenUnavailableException) e).credentialsRejected());
        }
    }
}
