package dev.flotilla.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientSamplerTest {

  static List<ClientRef> clients(int n) {
    List<ClientRef> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(new ClientRef(String.format("c%05d", i), "pool", 4, "/data/" + i));
    }
    return clients;
  }

  @Test
  void sampleIsDeterministicSortedAndDistinct() {
    List<ClientRef> all = clients(100);

    List<ClientRef> first = ClientSampler.sample(all, 42, 3, 10);
    List<ClientRef> again = ClientSampler.sample(all, 42, 3, 10);

    assertThat(first).isEqualTo(again).hasSize(10).doesNotHaveDuplicates();
    assertThat(first).isSortedAccordingTo(Comparator.comparing(ClientRef::id));
  }

  @Test
  void roundAndSeedChangeTheSample() {
    List<ClientRef> all = clients(100);

    assertThat(ClientSampler.sample(all, 42, 1, 10))
        .isNotEqualTo(ClientSampler.sample(all, 42, 2, 10))
        .isNotEqualTo(ClientSampler.sample(all, 43, 1, 10));
  }

  @Test
  void everyClientIsSampledAtTheExpectedRate() {
    int n = 50;
    int k = 10;
    int rounds = 5000;
    int[] hits = new int[n];
    List<ClientRef> all = clients(n);
    for (int round = 1; round <= rounds; round++) {
      for (ClientRef c : ClientSampler.sample(all, 7, round, k)) {
        hits[Integer.parseInt(c.id().substring(1))]++;
      }
    }
    double expected = (double) rounds * k / n;
    double chiSquare = 0;
    for (int h : hits) {
      chiSquare += (h - expected) * (h - expected) / expected;
    }
    // 49 degrees of freedom: P(chi2 > 85) < 0.001 for a uniform sampler.
    assertThat(chiSquare).isLessThan(85);
  }

  @Test
  void sampleSizeFollowsCountFractionAndQuorum() {
    assertThat(ClientSampler.sampleSize(100, 8, null, 1)).isEqualTo(8);
    assertThat(ClientSampler.sampleSize(5, 8, null, 1)).isEqualTo(5);
    assertThat(ClientSampler.sampleSize(10, null, 0.3, 1)).isEqualTo(3);
    assertThat(ClientSampler.sampleSize(10, null, 0.31, 1)).isEqualTo(4);
    assertThat(ClientSampler.sampleSize(10, null, 0.1, 4)).isEqualTo(4);
    assertThat(ClientSampler.sampleSize(10_000, null, 0.1, 1)).isEqualTo(1000);
    assertThat(ClientSampler.sampleSize(3, null, 0.1, 5)).isEqualTo(3);
  }

  @Test
  void samplingTenThousandClientsIsCheap() {
    List<ClientRef> all = clients(10_000);
    List<ClientRef> sample = ClientSampler.sample(all, 1, 1, 1000);

    assertThat(sample).hasSize(1000).doesNotHaveDuplicates();
    assertThat(ClientSampler.sample(all, 1, 1, 10_000)).isEqualTo(all);
  }

  @Test
  void oversizedSampleIsRejected() {
    assertThatThrownBy(() -> ClientSampler.sample(clients(3), 1, 1, 4))
        .hasMessageContaining("cannot sample 4 of 3");
  }
}
