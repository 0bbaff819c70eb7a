package io.dualsync.connector.http;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ODataTextTest {

    @Test
    void textLiterals_areQuoted_withQuotesDoubled() {
        assertThat(ODataText.literal("A-1")).isEqualTo("'A-1'");
        assertThat(ODataText.literal("O'Brien")).isEqualTo("'O''Brien'");
        assertThat(ODataText.literal("''")).isEqualTo("''''''");
    }

    @Test
    void numbersBooleansAndUuids_areBare() {
        assertThat(ODataText.literal(42L)).isEqualTo("42");
        assertThat(ODataText.literal(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(ODataText.literal(true)).isEqualTo("true");
        UUID id = UUID.fromString("66b93aff-76d8-3362-8734-a288f78cf290");
        assertThat(ODataText.literal(id)).isEqualTo("66b93aff-76d8-3362-8734-a288f78cf290");
    }

    @Test
    void guid_refusesTextThatIsNotAGuid() {
        assertThat(ODataText.guid("66B93AFF-76D8-3362-8734-A288F78CF290")).isEqualTo("66b93aff-76d8-3362-8734-a288f78cf290");
        assertThatThrownBy(() -> ODataText.guid("1) or (1")).hasMessageContaining("not a guid");
    }

    @Test
    void pathEncoding_keepsPredicateSyntax_andEncodesTheRest() {
        assertThat(ODataText.encodePath("accountnumber='A-1',_x_value=1")).isEqualTo("accountnumber='A-1',_x_value=1");
        assertThat(ODataText.encodePath("a='x y/z?#%&'")).isEqualTo("a='x%20y%2Fz%3F%23%25%26'");
        assertThat(ODataText.encodePath("a='Müller 😀'")).isEqualTo("a='M%C3%BCller%20%F0%9F%98%80'");
    }

    @Test
    void queryEncoding_encodesSeparators() {
        assertThat(ODataText.encodeQuery("dualsync:42")).isEqualTo("dualsync:42");
        assertThat(ODataText.encodeQuery("a&b=c+d e")).isEqualTo("a%26b%3Dc%2Bd%20e");
    }
}
