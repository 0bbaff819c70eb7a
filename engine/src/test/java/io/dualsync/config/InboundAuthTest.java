package io.dualsync.config;

import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The webhook, events and admin authentication check, as the ingest and admin routes use it. */
class InboundAuthTest {
    /** Header lookups ignore the name's case, as HTTP (and Vert.x's MultiMap) do. */
    private static Function<String, String> headers(String... pairs) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m::get;
    }

    private static Function<String, String> params(String... pairs) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m::get;
    }

    private static final Function<String, String> NOTHING = name -> null;

    @Test
    void httpHeader_needsTheHeaderWithItsValue_nameIgnoringCase() {
        InboundAuth auth = InboundAuth.httpHeader("X-Api-Key", "s3cret");

        assertThat(auth.accepts(headers("x-api-key", "s3cret"), NOTHING)).isTrue();
        assertThat(auth.accepts(headers("X-Api-Key", "s3cret!"), NOTHING)).isFalse();
        assertThat(auth.accepts(headers("X-Api-Key", "s3cre"), NOTHING)).isFalse();
        assertThat(auth.accepts(NOTHING, params("X-Api-Key", "s3cret"))).as("not in the query").isFalse();
        assertThat(auth.where()).isEqualTo("header X-Api-Key");
    }

    @Test
    void webhookKey_isTheCodeQueryParameter() {
        InboundAuth auth = InboundAuth.webhookKey("k3y");

        assertThat(auth.accepts(NOTHING, params("code", "k3y"))).isTrue();
        assertThat(auth.accepts(NOTHING, params("code", "K3Y"))).isFalse();
        assertThat(auth.accepts(headers("code", "k3y"), NOTHING)).isFalse();
        assertThat(auth.where()).isEqualTo("query parameter code");
    }

    @Test
    void httpQueryString_needsTheNamedParameter() {
        InboundAuth auth = InboundAuth.httpQueryString("sig", "abc");

        assertThat(auth.accepts(NOTHING, params("sig", "abc"))).isTrue();
        assertThat(auth.accepts(NOTHING, params("code", "abc"))).isFalse();
    }

    @Test
    void none_letsEveryoneIn() {
        assertThat(InboundAuth.NONE.accepts(NOTHING, NOTHING)).isTrue();
    }

    @Test
    void descriptions_neverShowTheSecret() {
        assertThat(InboundAuth.httpHeader("x-key", "s3cret")).hasToString("HttpHeader x-key ****");
        assertThat(InboundAuth.webhookKey("s3cret").toString()).doesNotContain("s3cret");
        assertThat(InboundAuth.httpQueryString("sig", "s3cret").toString()).doesNotContain("s3cret");
    }

    @Test
    void incompleteSettings_areRefused() {
        assertThatThrownBy(() -> new InboundAuth(InboundAuth.Type.HTTP_HEADER, null, Secret.of("v")))
                .hasMessageContaining("HttpHeader needs the header or parameter name");
        assertThatThrownBy(() -> new InboundAuth(InboundAuth.Type.WEBHOOK_KEY, null, null))
                .hasMessageContaining("WebhookKey needs a value");
    }
}
