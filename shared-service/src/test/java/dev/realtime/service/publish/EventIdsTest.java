package dev.realtime.service.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void idsOfOneInstance_areDistinct_andShareItsPrefix() {
        EventIds ids = new EventIds(42L);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
        assertThat(seen).allMatch(id -> id.matches("16-[0-9a-z]+"));
    }

    @Test
    void instancesWithDifferentRandomBits_neverShareAnId() {
        EventIds first = new EventIds(1L);
        EventIds second = new EventIds(-1L);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            assertThat(seen.add(first.next())).isTrue();
            assertThat(seen.add(second.next())).isTrue();
        }
        assertThat(second.next()).startsWith(Long.toUnsignedString(-1L, 36) + "-");
    }
}
