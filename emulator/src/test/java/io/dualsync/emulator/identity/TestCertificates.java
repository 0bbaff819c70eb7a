package io.dualsync.emulator.identity;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * Test credentials made with JDK APIs only: an RSA key pair, its public key as PEM, and a minimal
 * self-signed X.509 v1 certificate (DER written by hand: serial, sha256WithRSA, CN issuer/subject,
 * validity, the key) for the certificate registration path and MSAL's certificate credential.
 */
final class TestCertificates {
    final KeyPair keys;
    final X509Certificate certificate;

    TestCertificates(String commonName) throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        this.keys = gen.generateKeyPair();
        this.certificate = selfSigned(keys, commonName);
    }

    String publicKeyPem() {
        return pem("PUBLIC KEY", keys.getPublic().getEncoded());
    }

    String certificatePem() throws Exception {
        return pem("CERTIFICATE", certificate.getEncoded());
    }

    /** base64url SHA-1 of the certificate's DER: the {@code x5t} header. */
    String x5t() throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-1").digest(certificate.getEncoded()));
    }

    /** base64url SHA-256 of the certificate's DER: the {@code x5t#S256} header. */
    String x5tS256() throws Exception {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate selfSigned(KeyPair keys, String cn) throws Exception {
        byte[] sha256WithRsa = tlv(0x30, tlv(0x06, new byte[] {0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x01, 0x0B}),
                tlv(0x05));
        byte[] name = tlv(0x30, tlv(0x31, tlv(0x30, tlv(0x06, new byte[] {0x55, 0x04, 0x03}),
                tlv(0x0C, cn.getBytes(StandardCharsets.UTF_8)))));
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        byte[] validity = tlv(0x30, tlv(0x17, utc.format(now.minusDays(1)).getBytes(StandardCharsets.US_ASCII)),
                tlv(0x17, utc.format(now.plusYears(1)).getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = tlv(0x30, tlv(0x02, BigInteger.valueOf(System.nanoTime()).abs().toByteArray()), sha256WithRsa, name, validity, name,
                keys.getPublic().getEncoded());
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update(tbs);
        byte[] sig = s.sign();
        byte[] bits = new byte[sig.length + 1];
        System.arraycopy(sig, 0, bits, 1, sig.length);
        byte[] der = tlv(0x30, tbs, sha256WithRsa, tlv(0x03, bits));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** One DER tag-length-value; the parts are concatenated as the value. */
    private static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            value.writeBytes(p);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = value.size();
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len & 0xFF);
        }
        out.writeBytes(value.toByteArray());
        return out.toByteArray();
    }
}
