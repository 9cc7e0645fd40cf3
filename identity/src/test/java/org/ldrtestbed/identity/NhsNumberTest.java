package org.ldrtestbed.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.ldrtestbed.identity.contract.NhsNumber;

class NhsNumberTest {

    @ParameterizedTest
    @ValueSource(strings = {"9990000018", "9990000077", "9434765919"})
    void acceptsNumbersWithAValidCheckDigit(String number) {
        assertThat(NhsNumber.isValid(number)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9990000019", "9434765918", "999000001", "99900000188", "999000001X", ""})
    void rejectsWrongCheckDigitsAndShapes(String number) {
        assertThat(NhsNumber.isValid(number)).isFalse();
    }

    @Test
    void rejectsNull() {
        assertThat(NhsNumber.isValid(null)).isFalse();
    }

    @Test
    void syntheticNumbersAreValidAndInTheTestRange() {
        for (long seed = -500; seed < 500; seed++) {
            String number = NhsNumber.syntheticFrom(seed * 7919);
            assertThat(number).startsWith("999").hasSize(10);
            assertThat(NhsNumber.isValid(number)).as(number).isTrue();
        }
    }
}
