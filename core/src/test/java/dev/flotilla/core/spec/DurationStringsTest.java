package dev.flotilla.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationStringsTest {

  @ParameterizedTest
  @CsvSource({
    "30m,1800000",
    "1h30m,5400000",
    "1.5h,5400000",
    "90s,90000",
    "250ms,250",
    "2h0m5s,7205000"
  })
  void parsesGoDurations(String text, long millis) {
    assertThat(DurationStrings.parse("f", text)).isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "30", "m", "-5m", "1d", "0s", "30 m"})
  void rejectsMalformedOrZeroDurationsNamingTheField(String text) {
    assertThatThrownBy(() -> DurationStrings.parse("spec.roundTimeout", text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("spec.roundTimeout must be");
  }
}
