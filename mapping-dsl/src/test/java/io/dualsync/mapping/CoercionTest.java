package io.dualsync.mapping;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoercionTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 47.606209, -122.332071, 1234567.891, 0.001, 2500.5, 1e-4, 12345678.9, 1e22, 3.0, -0.0})
    void decimal_fromDouble_equalsTheDecimalOfItsText(double d) {
        BigDecimal expected = new BigDecimal(Double.toString(d));
        BigDecimal actual = Coercion.decimal(d);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.scale()).isEqualTo(expected.scale());
    }

    @Test
    void integers_choicesBooleansDatesAndGuids() {
        assertThat(Coercion.convert(7, io.dualsync.mapping.schema.FieldType.INTEGER)).isEqualTo(7L);
        assertThat(Coercion.convert("12", io.dualsync.mapping.schema.FieldType.CHOICE)).isEqualTo(12L);
        assertThat(Coercion.convert("yes", io.dualsync.mapping.schema.FieldType.BOOLEAN)).isEqualTo(true);
        assertThat(Coercion.convert("/Date(1587397230000)/", io.dualsync.mapping.schema.FieldType.DATETIME))
                .isEqualTo("2020-04-20T15:40:30Z");
        assertThat(Coercion.convert("2024-03-01T10:00:00+02:00", io.dualsync.mapping.schema.FieldType.DATE)).isEqualTo("2024-03-01");
        assertThat(Coercion.convert("7A4814F9-B0B8-EA11-A812-000D3A122B89", io.dualsync.mapping.schema.FieldType.GUID))
                .isEqualTo("7a4814f9-b0b8-ea11-a812-000d3a122b89");
        assertThatThrownBy(() -> Coercion.convert(1.5, io.dualsync.mapping.schema.FieldType.INTEGER))
                .isInstanceOf(MappingException.class).hasMessageContaining("1.5 is not a whole number");
        assertThat(Coercion.to(io.dualsync.mapping.schema.FieldType.STRING).apply(Map.of(), new BigDecimal("1.50"))).isEqualTo("1.50");
    }
}
