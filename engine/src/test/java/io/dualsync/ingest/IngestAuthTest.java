package io.dualsync.ingest;

import io.vertx.core.MultiMap;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IngestAuthTest {
    private static MultiMap headers(String... pairs) {
        MultiMap m = MultiMap.caseInsensitiveMultiMap();
        for (int i = 0; i < pairs.length; i += 2) {
            m.add(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static final MultiMap NONE = headers();

    @Test
    void httpHeader_acceptsEveryHeaderWithItsValue_namesIgnoringCase() {
        IngestAuth auth = IngestAuth.httpHeader(Map.of("x-api-key", "s3cret", "x-tenant", "a"));

        assertThat(auth.accepts(headers("X-Api-Key", "s3cret", "X-TENANT", "a"), NONE)).isTrue();
        assertThat(auth.accepts(headers("x-api-key", "s3cret"), NONE)).isFalse();
        assertThat(auth.accepts(headers("x-api-key", "s3cret!", "x-tenant", "a"), NONE)).isFalse();
        assertThat(auth.accepts(NONE, headers("x-api-key", "s3cret", "x-tenant", "a"))).isFalse();
    }

    @Test
    void webhookKey_isTheCodeQueryParameter() {
        IngestAuth auth = IngestAuth.webhookKey("k3y");

        assertThat(auth.accepts(NONE, headers("code", "k3y"))).isTrue();
        assertThat(auth.accepts(NONE, headers("code", "K3Y"))).isFalse();
        assertThat(auth.accepts(headers("code", "k3y"), NONE)).isFalse();
    }

    @Test
    void httpQueryString_needsEveryPair() {
        IngestAuth auth = IngestAuth.httpQueryString(Map.of("a", "1", "b", "2"));

        assertThat(auth.accepts(NONE, headers("a", "1", "b", "2"))).isTrue();
        assertThat(auth.accepts(NONE, headers("a", "1"))).isFalse();
    }

    @Test
    void bearer_schemeIgnoringCase_tokenExact() {
        IngestAuth auth = IngestAuth.bearer("t0ken");

        assertThat(auth.accepts(headers("Authorization", "Bearer t0ken"), NONE)).isTrue();
        assertThat(auth.accepts(headers("authorization", "bearer t0ken"), NONE)).isTrue();
        assertThat(auth.accepts(headers("Authorization", "Bearer t0ke"), NONE)).isFalse();
        assertThat(auth.accepts(headers("Authorization", "Basic t0ken"), NONE)).isFalse();
        assertThat(auth.accepts(NONE, NONE)).isFalse();
    }

    @Test
    void anyOf_acceptsWhatOneAccepts() {
        IngestAuth auth = IngestAuth.anyOf(IngestAuth.bearer("t"), IngestAuth.httpHeader("x-key", "k"));

        assertThat(auth.accepts(headers("x-key", "k"), NONE)).isTrue();
        assertThat(auth.accepts(headers("Authorization", "Bearer t"), NONE)).isTrue();
        assertThat(auth.accepts(headers("x-key", "t"), NONE)).isFalse();
    }

    @Test
    void descriptions_neverShowSecrets() {
        assertThat(IngestAuth.httpHeader("x-key", "s3cret").toString()).doesNotContain("s3cret");
        assertThat(IngestAuth.webhookKey("s3cret").toString()).doesNotContain("s3cret");
        assertThat(IngestAuth.bearer("s3cret").toString()).doesNotContain("s3cret");
    }
}
