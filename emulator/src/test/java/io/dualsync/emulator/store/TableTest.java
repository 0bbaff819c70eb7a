package io.dualsync.emulator.store;

import io.dualsync.mapping.schema.SchemaLoader;
import io.dualsync.mapping.Side;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TableTest {

    @Test
    void keysAreIndexed_versionsOrderEveryWrite_andTheLogTracksChanges() {
        Store store = new Store();
        Table accounts = store.add(SchemaLoader.builtIn().get(Side.DATAVERSE, "accounts"));
        List<String> key = List.of("msdyn_company", "accountnumber");
        long start = store.currentVersion();

        Row a = accounts.insert("AAAA0000-0000-0000-0000-000000000001", Map.of("msdyn_company", "c1", "accountnumber", "A-1"));
        Row b = accounts.insert("aaaa0000-0000-0000-0000-000000000002", Map.of("msdyn_company", "c1", "accountnumber", "A-2"));
        assertThat(accounts.get("aaaa0000-0000-0000-0000-000000000001")).isSameAs(a);
        assertThat(accounts.findByKey(key, Map.of("msdyn_company", "C1", "accountnumber", "a-2"))).isSameAs(b);

        Row a2 = accounts.replace(a, Map.of("msdyn_company", "c1", "accountnumber", "A-9"));
        assertThat(a2.version()).isGreaterThan(b.version());
        assertThat(a2.etag()).isEqualTo("W/\"" + a2.version() + "\"");
        assertThat(accounts.findByKey(key, Map.of("msdyn_company", "c1", "accountnumber", "A-1"))).isNull();
        assertThat(accounts.findByKey(key, Map.of("msdyn_company", "c1", "accountnumber", "A-9"))).isSameAs(a2);

        accounts.delete(b);
        assertThat(accounts.changesSince(start)).extracting(Change::id, Change::deleted).containsExactly(
                org.assertj.core.groups.Tuple.tuple(a.id(), false), org.assertj.core.groups.Tuple.tuple(b.id(), false),
                org.assertj.core.groups.Tuple.tuple(a.id(), false), org.assertj.core.groups.Tuple.tuple(b.id(), true));
        assertThat(accounts.changesSince(a2.version())).singleElement().satisfies(c -> assertThat(c.deleted()).isTrue());
    }
}
