package io.dualsync.auth;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientCredentialsTest {

    @Test
    void scope_isTheResourceWithDefault() {
        assertThat(ClientCredentials.secret("https://login.microsoftonline.com/t/", "app", "s", "https://org.crm.dynamics.com/").scope())
                .isEqualTo("https://org.crm.dynamics.com/.default");
        assertThat(ClientCredentials.secret("https://login.microsoftonline.com/t/", "app", "s", "http://127.0.0.1:7072").scope())
                .isEqualTo("http://127.0.0.1:7072/.default");
    }

    @Test
    void toString_hidesTheSecret() {
        String shown = ClientCredentials.secret("https://login.microsoftonline.com/t/", "app", "hunter2", "https://x").toString();

        assertThat(shown).doesNotContain("hunter2").contains("secret=***").contains("app");
    }

    @Test
    void eitherASecretOrACertificate() {
        assertThatThrownBy(() -> new ClientCredentials("https://a/t/", "app", null, null, null, "https://x"))
                .hasMessageContaining("neither");
        assertThatThrownBy(() -> new ClientCredentials("https://a/t/", "app", "s", Path.of("c.pem"), Path.of("k.pem"), "https://x"))
                .hasMessageContaining("both");
    }

    @Test
    void forwarder_keepsPathAndQuery_onTheLocalHost() throws Exception {
        LocalAuthorityForwarder f = new LocalAuthorityForwarder(URI.create("http://127.0.0.1:7072"), Duration.ofSeconds(5));

        assertThat(f.target(new URL("https://login.microsoftonline.com/dualsync-dev/oauth2/v2.0/token?x=1")))
                .isEqualTo(URI.create("http://127.0.0.1:7072/dualsync-dev/oauth2/v2.0/token?x=1"));
    }

    @Test
    void aPkcs1PrivateKey_isRefusedWithTheCommandThatConvertsIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        java.nio.file.Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");

        assertThatThrownBy(() -> MsalTokenProvider.privateKey(key)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
    }
}
