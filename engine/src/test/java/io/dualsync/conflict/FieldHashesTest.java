package io.dualsync.conflict;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldHashesTest {

    @Test
    void changed_comparesWithTheKeptValue_byValueForNumbers() {
        FieldHashes h = FieldHashes.of(Map.of("name", "Contoso", "creditlimit", 1000));
        assertThat(h.changed("name", "Contoso")).isFalse();
        assertThat(h.changed("name", "contoso")).isTrue();
        assertThat(h.changed("creditlimit", new BigDecimal("1000.0"))).isFalse();
        assertThat(h.changed("telephone1", null)).as("never synced counts as changed").isTrue();
    }

    @Test
    void with_replacesKnownFields_andAddsNewOnes() {
        FieldHashes h = FieldHashes.of(Map.of("a", 1, "b", 2));
        FieldHashes partial = h.with(Map.of("b", 3));
        assertThat(partial.changed("a", 1)).isFalse();
        assertThat(partial.changed("b", 3)).isFalse();
        assertThat(h.changed("b", 2)).as("immutable").isFalse();
        FieldHashes grown = partial.with(Map.of("c", "x", "a", 9));
        assertThat(grown.size()).isEqualTo(3);
        assertThat(grown.changed("a", 9)).isFalse();
        assertThat(grown.changed("c", "x")).isFalse();
    }

    @Test
    void encodedForm_roundTrips_andMatchesTheValuesFingerprint() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("msdyn_customergroupid.msdyn_groupid", "10");
        values.put("name", "Contoso");
        values.put("creditlimit", -5);
        FieldHashes h = FieldHashes.of(values);
        assertThat(FieldHashes.decode(h.encode())).isEqualTo(h);
        assertThat(h.fingerprint()).isEqualTo(Fingerprint.of(values));
        assertThat(FieldHashes.decode("")).isEqualTo(FieldHashes.EMPTY);
        assertThat(h.asMap()).containsOnlyKeys("creditlimit", "msdyn_customergroupid.msdyn_groupid", "name");
        assertThatThrownBy(() -> FieldHashes.decode("name")).hasMessageContaining("not a field hash");
    }
}
