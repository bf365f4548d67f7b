package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {
  @Test
  void noSeedIsADashAndOneSeedIsItsValue() {
    assertThat(new Spread(List.of()).format()).isEqualTo("—");
    assertThat(new Spread(List.of(0.7125)).format()).isEqualTo("0.713");
  }

  @Test
  void severalSeedsShowMeanSampleSdAndCount() {
    assertThat(new Spread(List.of(0.70, 0.72, 0.74)).format()).isEqualTo("0.720 ± 0.020 (3)");
    Spread two = new Spread(List.of(0.6, 0.8));
    assertThat(two.sd())
        .as("divisor n - 1, not n (0.100)")
        .isCloseTo(Math.sqrt(0.02), within(1e-12));
    assertThat(two.format()).isEqualTo("0.700 ± 0.141 (2)");
  }
}
