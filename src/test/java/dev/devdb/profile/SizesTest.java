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
        "0.5k, 512"
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
    @CsvSource({"1.5, 1500000000", "0.25, 250000000", "2, 2000000000"})
    void nano_cpus_counts_billionths(String text, long nanos) {
        assertEquals(nanos, Sizes.nanoCpus(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "many", ""})
    void nano_cpus_of_something_not_positive_is_null(String text) {
        assertNull(Sizes.nanoCpus(text));
    }
}
