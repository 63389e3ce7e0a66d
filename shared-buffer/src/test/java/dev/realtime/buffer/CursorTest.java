package dev.realtime.buffer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CursorTest {

    @Test
    void parse_wellFormed_returnsEpochAndSeq() {
        Cursor cursor = Cursor.parse("k3f9.1042");
        assertThat(cursor.epoch()).isEqualTo("k3f9");
        assertThat(cursor.seq()).isEqualTo(1042);
    }

    @Test
    void parse_extremes_areAccepted() {
        assertThat(Cursor.parse("a.0").seq()).isZero();
        assertThat(Cursor.parse("a.9223372036854775807").seq()).isEqualTo(Long.MAX_VALUE);
        assertThat(Cursor.parse("A_b-9".repeat(6) + "xy.1").epoch()).hasSize(32);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", ".", "abc", "abc.", ".12", "abc.-1", "abc.+1", "abc.01", "abc.1.2", "ab c.1", "abc. 1", "abc.1 ",
        "abc.1a", "abc.9223372036854775808", "abc.99999999999999999999", "é.1", "abc.１", "a/b.1",
        "abcdefghijklmnopqrstuvwxyz0123456.1", "null"
    })
    void parse_malformed_isRejected(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> Cursor.parse(text));
    }

    @Test
    void parse_null_isRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> Cursor.parse(null));
    }

    @Test
    void formatThenParse_roundTrips() {
        Random random = new Random(42);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-";
        for (int i = 0; i < 10_000; i++) {
            StringBuilder epoch = new StringBuilder();
            for (int n = 1 + random.nextInt(Cursor.MAX_EPOCH_LENGTH); n > 0; n--) {
                epoch.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Cursor cursor = Cursor.of(epoch.toString(), random.nextLong() & Long.MAX_VALUE);
            assertThat(Cursor.parse(cursor.format())).isEqualTo(cursor);
        }
    }

    @Test
    void compareTo_sameEpoch_ordersBySeq() {
        assertThat(Cursor.of("e", 1)).isLessThan(Cursor.of("e", 2));
        assertThat(Cursor.of("e", 2).compareTo(Cursor.of("e", 2))).isZero();
    }

    @Test
    void compareTo_foreignEpoch_hasNoOrder() {
        assertThatIllegalArgumentException().isThrownBy(() -> Cursor.of("a", 1).compareTo(Cursor.of("b", 2)));
    }

    @Test
    void constructor_rejectsNegativeSeqAndBadEpoch() {
        assertThatIllegalArgumentException().isThrownBy(() -> Cursor.of("a", -1));
        assertThatIllegalArgumentException().isThrownBy(() -> Cursor.of("a.b", 1));
    }
}
