package io.dualsync.config;

import io.dualsync.mapping.Side;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How to reach and authenticate to one system (F&O or Dataverse), as configured under {@code fo.*}
 * or {@code dataverse.*}. Exactly one credential is present: a client secret, or a certificate (key
 * and cert). {@code toString()} never shows the secret.
 *
 * @param side            which system
 * @param baseUrl         the environment's URL, without a trailing slash ({@code https://contoso.crm.dynamics.com})
 * @param tenant          Entra tenant id or domain
 * @param clientId        the application (client) id
 * @param clientSecret    the client secret, when the application authenticates with one
 * @param certificateKey  PEM private key (PKCS#8), when it authenticates with a certificate
 * @param certificateCert PEM certificate, with {@code certificateKey}
 * @param authority       the Entra authority, always https and ending with {@code /}
 * @param tokenHost       where token requests really go (local emulators), or empty for the authority itself
 * @param scope           the client-credentials scope ({@code <resource>/.default})
 */
public record SystemConfig(Side side, URI baseUrl, String tenant, String clientId, Optional<Secret> clientSecret,
                           Optional<Path> certificateKey, Optional<Path> certificateCert, URI authority,
                           Optional<URI> tokenHost, String scope) {
}
