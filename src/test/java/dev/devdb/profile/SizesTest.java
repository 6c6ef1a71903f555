package dev.devdb.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({
        "2048, 2048",
        "1k, 1024",
        "512m, 536870912",
        "512M, 536870912",
        "64 MB, 67108864",
        "1.5g, 1610612736",
        "2GiB, 2147483648",
        "1t, 1099511627776",
        "0.5k, 512",
        "1.1g, 1181116006",
        "9223372036854775807, 9223372036854775807",
        "8388607t, 9223370937343148032"
    })
    void bytes_reads_binary_units(String text, long bytes) {
        assertEquals(bytes, Sizes.bytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "12x", "1.5.5g", "-1g", "g", "1 g b"})
    void bytes_of_something_else_is_null(String text) {
        assertNull(Sizes.bytes(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "99999999999999999999", "16777217t", "8388608t"})
    void bytes_too_large_for_a_long_is_null(String text) {
        assertNull(Sizes.bytes(text));
    }

    @ParameterizedTest
    @CsvSource({"1.5, 1500000000", "0.25, 250000000", "2, 2000000000"})
    void nano_cpus_counts_billionths(String text, long nanos) {
        assertEquals(nanos, Sizes.nanoCpus(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "many", "", "0.0000000001", "1e-999999999", "9300000000", "1e999999999"})
    void nano_cpus_of_something_not_positive_or_out_of_range_is_null(String text) {
        assertNull(Sizes.nanoCpus(text));
    }
}
