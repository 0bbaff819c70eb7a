package io.dualsync.auth;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How dualsync signs in to one system: an Entra application (client id) in a tenant, with a client
 * secret or a certificate, asking for {@code <resource>/.default}.
 *
 * @param authority      {@code https://login.microsoftonline.com/<tenant>/} for the cloud; a local
 *                       emulator's {@code http://127.0.0.1:<port>/<tenant>/} is accepted too (see
 *                       {@link MsalTokenProvider})
 * @param clientId       the application (client) id
 * @param clientSecret   the secret, or null when a certificate is used
 * @param certificatePem PEM file of the X.509 certificate registered with the application, or null
 * @param privateKeyPem  PEM file of the certificate's unencrypted PKCS#8 private key, or null
 * @param resource       the target's base URL ({@code https://org.crm.dynamics.com}); the scope is
 *                       this plus {@code /.default}
 */
public record ClientCredentials(String authority, String clientId, String clientSecret, Path certificatePem,
                                Path privateKeyPem, String resource) {

    public ClientCredentials {
        Objects.requireNonNull(authority, "authority");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(resource, "resource");
        if ((clientSecret == null) == (certificatePem == null || privateKeyPem == null)) {
            throw new IllegalArgumentException("give either a client secret or a certificate and its private key, not "
                    + (clientSecret == null ? "neither" : "both"));
        }
    }

    public static ClientCredentials secret(String authority, String clientId, String clientSecret, String resource) {
        return new ClientCredentials(authority, clientId, clientSecret, null, null, resource);
    }

    public static ClientCredentials certificate(String authority, String clientId, Path certificatePem, Path privateKeyPem,
                                                String resource) {
        return new ClientCredentials(authority, clientId, null, certificatePem, privateKeyPem, resource);
    }

    /** {@code <resource>/.default}: every permission the application was granted on the resource. */
    public String scope() {
        return (resource.endsWith("/") ? resource.substring(0, resource.length() - 1) : resource) + "/.default";
    }

    /** Never shows the secret. */
    @Override
    public String toString() {
        return "ClientCredentials[authority=" + authority + ", clientId=" + clientId + ", "
                + (clientSecret != null ? "secret=***" : "certificate=" + certificatePem) + ", resource=" + resource + "]";
    }
}
