package io.dualsync.connector.fo;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FoUrlsTest {

    @Test
    void predicate_listsEveryKeyField_inKeyOrder() {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("dataAreaId", "usmf");
        key.put("CustomerAccount", "O'Neil");

        assertThat(FoUrls.predicate("CustomersV3", key)).isEqualTo("dataAreaId='usmf',CustomerAccount='O''Neil'");
        key.put("dataAreaId", "USRT");
        assertThat(FoUrls.predicate("CustomersV3", key)).as("the company as F&O shows it").startsWith("dataAreaId='usrt',");
    }

    @Test
    void aKeyFieldWithoutValue_isRefused() {
        Map<String, Object> key = new HashMap<>();
        key.put("dataAreaId", null);

        assertThatThrownBy(() -> FoUrls.predicate("CustomersV3", key)).hasMessageContaining("dataAreaId");
    }
}
