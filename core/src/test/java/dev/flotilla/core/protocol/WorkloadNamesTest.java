package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class WorkloadNamesTest {

  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  @Test
  void plainNamesAreReadable() {
    assertThat(WorkloadNames.trainer("sentiment", 3, "hospital-a", 1))
        .isEqualTo("sentiment-r3-hospital-a");
    assertThat(WorkloadNames.trainer("sentiment", 3, "hospital-a", 2))
        .isEqualTo("sentiment-r3-hospital-a-a2");
    assertThat(WorkloadNames.aggregator("sentiment", 12, 1)).isEqualTo("sentiment-r12-agg");
    assertThat(WorkloadNames.aggregator("sentiment", 12, 3)).isEqualTo("sentiment-r12-agg-a3");
  }

  @Test
  void namesAreDeterministic() {
    assertThat(WorkloadNames.trainer("f", 1, "Client_7", 1))
        .isEqualTo(WorkloadNames.trainer("f", 1, "Client_7", 1));
  }

  @Test
  void alteredIdsCarryAHashSoTheyCannotCollide() {
    String upper = WorkloadNames.trainer("fed", 1, "Client_1", 1);
    String lower = WorkloadNames.trainer("fed", 1, "client-1", 1);

    assertThat(lower).isEqualTo("fed-r1-client-1");
    assertThat(upper).startsWith("fed-r1-client-1-").hasSize("fed-r1-client-1-".length() + 8);
    assertThat(upper).isNotEqualTo(lower);
    assertThat(upper).matches(DNS_1123_LABEL);
  }

  @Test
  void longNamesAreTruncatedToValidUniqueLabelsKeepingTheAttempt() {
    String fed = "a-federation-with-a-rather-long-name-for-testing";
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String id = "client-with-a-long-identifier-" + i + ".";
      String name = WorkloadNames.trainer(fed, 123, id, 7);
      assertThat(name).hasSizeLessThanOrEqualTo(WorkloadNames.MAX_LENGTH);
      assertThat(name).matches(DNS_1123_LABEL).endsWith("-a7");
      names.add(name);
    }
    assertThat(names).hasSize(1000);
    assertThat(WorkloadNames.aggregator("x".repeat(63), 1, 1))
        .hasSize(WorkloadNames.MAX_LENGTH)
        .matches(DNS_1123_LABEL);
  }

  @Test
  void nameOfExactly63CharactersIsKept() {
    String fed = "f".repeat(63 - "-r1-c".length());

    assertThat(WorkloadNames.trainer(fed, 1, "c", 1)).isEqualTo(fed + "-r1-c");
  }
}
