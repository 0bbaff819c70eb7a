package io.dualsync.emulator.identity;

import io.dualsync.emulator.EmulatorOptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The directory: tenants and the applications registered in them, with their client secrets and
 * certificate keys. Built once from {@link EmulatorOptions} (the development identity plus
 * {@code options.clients}) and read-only afterwards, so any thread may read it.
 *
 * <p>Tenants are known by name (the path segment callers use, like {@code dualsync-dev}) and by a
 * stable GUID derived from the name, which tokens carry as {@code tid} (Entra tenant ids are GUIDs;
 * the token endpoint accepts "the directory tenant ... in GUID or domain-name format",
 * v2-oauth2-client-creds-grant-flow.md). Client ids and tenant names compare case-insensitively.
 */
final class Registry {
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    record Tenant(String name, UUID id) {
    }

    /**
     * A key an application may sign client assertions with: a certificate (matched by thumbprint, as
     * Entra does) or a bare public key (matched by trying the signature; the emulator's allowance so a
     * test needs only a key pair).
     */
    record Key(PublicKey publicKey, byte[] sha1Thumbprint, byte[] sha256Thumbprint) {
        boolean isCertificate() {
            return sha1Thumbprint != null;
        }
    }

    record App(Tenant tenant, String clientId, List<String> secrets, List<Key> keys) {
    }

    private final Map<String, Tenant> tenants = new LinkedHashMap<>();
    private final Map<String, App> apps = new LinkedHashMap<>();

    Registry(EmulatorOptions options) {
        if (notBlank(options.devTenant) && notBlank(options.devClientId)) {
            add(options.devTenant, options.devClientId, options.devClientSecret, null);
        }
        for (EmulatorOptions.Client c : options.clients) {
            add(c.tenant(), c.clientId(), c.secret(), c.certificatePem());
        }
    }

    /** The tenant a path segment names (by name or GUID), or null. */
    Tenant tenant(String nameOrId) {
        return nameOrId == null ? null : tenants.get(nameOrId.toLowerCase(Locale.ROOT));
    }

    /** The application registered in that tenant, or null. */
    App app(Tenant tenant, String clientId) {
        return clientId == null ? null : apps.get(appKey(tenant, clientId));
    }

    static UUID tenantId(String name) {
        return UUID.nameUUIDFromBytes(("tenant:" + name.toLowerCase(Locale.ROOT)).getBytes(StandardCharsets.UTF_8));
    }

    private void add(String tenantName, String clientId, String secret, Path pem) {
        if (!notBlank(tenantName) || !notBlank(clientId)) {
            throw new IllegalArgumentException("an application registration needs a tenant and a client id");
        }
        Tenant tenant = tenants.computeIfAbsent(tenantName.toLowerCase(Locale.ROOT),
                k -> new Tenant(tenantName, tenantId(tenantName)));
        tenants.putIfAbsent(tenant.id().toString(), tenant);
        App app = apps.computeIfAbsent(appKey(tenant, clientId),
                k -> new App(tenant, clientId, new ArrayList<>(), new ArrayList<>()));
        if (notBlank(secret)) {
            app.secrets().add(secret);
        }
        if (pem != null) {
            app.keys().addAll(readKeys(pem));
        }
    }

    /**
     * Reads every {@code CERTIFICATE} and {@code PUBLIC KEY} block of a PEM file (Entra's
     * keyCredentials are multi-valued: certificate-credentials.md, "Register your certificate").
     */
    static List<Key> readKeys(Path pem) {
        String text;
        try {
            text = Files.readString(pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the certificate of an application: " + pem, e);
        }
        List<Key> keys = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            byte[] der = Base64.getMimeDecoder().decode(m.group(2));
            try {
                if ("CERTIFICATE".equals(m.group(1))) {
                    Certificate cert = CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
                    keys.add(new Key(cert.getPublicKey(), Jwt.sha1(der), Jwt.sha256(der)));
                } else if ("PUBLIC KEY".equals(m.group(1))) {
                    keys.add(new Key(KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der)), null, null));
                }
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an RSA certificate or public key: " + pem, e);
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no CERTIFICATE or PUBLIC KEY block in " + pem);
        }
        return keys;
    }

    private static String appKey(Tenant tenant, String clientId) {
        return tenant.id() + "/" + clientId.toLowerCase(Locale.ROOT);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
