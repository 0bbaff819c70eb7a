package io.dualsync.emulator.fo;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** URL pieces of the F&O API that are easier to check without a server. */
class FoUrlTest {

    @Test
    void keyPredicatesParseStringsNumbersAndEnumLiterals() {
        ResourcePath p = ResourcePath.parse("CDSContactPersonsV2(dataAreaId='usmf',ContactPersonPartyNumber='O''Brien, Ltd (2)',"
                + "AssociatedContactType=Microsoft.Dynamics.DataEntities.SmmContactPersonCDSAssociatedContactType'Vendor',AssociatedContactNumber='V-1')/FirstName");
        assertThat(p.entitySet()).isEqualTo("CDSContactPersonsV2");
        assertThat(p.keys()).extracting(ResourcePath.KeyPart::value)
                .containsExactly("usmf", "O'Brien, Ltd (2)", "Vendor", "V-1");
        assertThat(p.property()).isEqualTo("FirstName");

        assertThat(ResourcePath.parse("LegalEntities('usmf')").keys().get(0).name()).isNull();
        assertThat(ResourcePath.parse("Things(Id=42)").keys().get(0).value()).isEqualTo(new BigDecimal("42"));
        assertThat(ResourcePath.parse("CustomersV3/$count").count()).isTrue();
        assertThatThrownBy(() -> ResourcePath.parse("CustomersV3(dataAreaId='usmf'")).isInstanceOf(FoError.class);
    }

    @Test
    void wildcardEqualsBecomesContainsStartsWithOrEndsWith() {
        assertThat(FoQuery.wildcards("Name eq '*retail*'")).isEqualTo("contains(Name,'retail')");
        assertThat(FoQuery.wildcards("Name eq 'retail*' and X eq 'a'")).isEqualTo("startswith(Name,'retail') and X eq 'a'");
        assertThat(FoQuery.wildcards("Name ne '*shop'")).isEqualTo("not endswith(Name,'shop')");
    }

    @Test
    void entityTypeNamesAreTheSingularOfTheSetName() {
        assertThat(FoEntity.singular("CustomersV3")).isEqualTo("CustomerV3");
        assertThat(FoEntity.singular("LegalEntities")).isEqualTo("LegalEntity");
        assertThat(FoEntity.singular("CustomerGroups")).isEqualTo("CustomerGroup");
        assertThat(FoEntity.singular("CDSContactPersonsV2")).isEqualTo("CDSContactPersonV2");
    }
}
