package io.dualsync.conflict;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintTest {

    @Test
    void numbers_hashByValue_whateverTheirJavaType() {
        long five = Fingerprint.ofValue(5);
        assertThat(Fingerprint.ofValue(5L)).isEqualTo(five);
        assertThat(Fingerprint.ofValue(5.0)).isEqualTo(five);
        assertThat(Fingerprint.ofValue(new BigDecimal("5.00"))).isEqualTo(five);
        assertThat(Fingerprint.ofValue(new BigDecimal("0.000"))).isEqualTo(Fingerprint.ofValue(0));
        assertThat(Fingerprint.ofValue(5.5)).isNotEqualTo(five);
    }

    @Test
    void strings_hashExactly_andDifferFromNumbersAndNull() {
        assertThat(Fingerprint.ofValue("Contoso")).isEqualTo(Fingerprint.ofValue("Contoso"))
                .isNotEqualTo(Fingerprint.ofValue("contoso"));
        assertThat(Fingerprint.ofValue("5")).isNotEqualTo(Fingerprint.ofValue(5));
        assertThat(Fingerprint.ofValue("")).isNotEqualTo(Fingerprint.ofValue(null));
        assertThat(Fingerprint.ofValue(true)).isNotEqualTo(Fingerprint.ofValue("true"));
    }

    @Test
    void maps_hashIndependentlyOfOrder_andTellFieldsApart() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", "Contoso");
        a.put("creditlimit", 1000);
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("creditlimit", new BigDecimal("1000.0"));
        b.put("name", "Contoso");
        assertThat(Fingerprint.of(a)).isEqualTo(Fingerprint.of(b));
        assertThat(Fingerprint.of(Map.of("a", "bc"))).isNotEqualTo(Fingerprint.of(Map.of("ab", "c")));
        assertThat(Fingerprint.ofValue(List.of(1, 2))).isNotEqualTo(Fingerprint.ofValue(List.of(2, 1)));
    }

    @Test
    void hashesOfFields_combineLikeTheValues() {
        Map<String, Object> values = Map.of("name", "Contoso", "creditlimit", 1000);
        assertThat(Fingerprint.ofHashes(Map.of("name", Fingerprint.ofValue("Contoso"),
                "creditlimit", Fingerprint.ofValue(1000)))).isEqualTo(Fingerprint.of(values));
    }

    @Test
    void hashes_neverChange_becauseTheStateStoreKeepsThemOnDisk() {
        // Golden values: if these change, every stored sync state turns into false "changed" fields.
        assertThat(Long.toHexString(Fingerprint.ofValue("Contoso"))).isEqualTo("611a1fed2ad0f18e");
        assertThat(Long.toHexString(Fingerprint.of(Map.of("creditlimit", 1000, "name", "Contoso"))))
                .isEqualTo("60b93b69d7cadc22");
    }
}
