package dev.flotilla.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ClientSplitterTest {
  private static List<LabelledText> examples() {
    List<LabelledText> rows = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      rows.add(new LabelledText("text " + i, i % 3 == 0 ? 1 : 0, "domain-" + (i % 4)));
    }
    return rows;
  }

  private static void assertExactCover(List<List<LabelledText>> parts, List<LabelledText> all) {
    List<LabelledText> union = parts.stream().flatMap(List::stream).toList();
    assertThat(union).containsExactlyInAnyOrderElementsOf(all);
  }

  @Test
  void everyPartitionUsesEachExampleExactlyOnceInEqualParts() {
    List<LabelledText> all = examples();
    for (Partition p : Partition.values()) {
      List<List<LabelledText>> parts = ClientSplitter.split(all, 8, p, 7);
      assertThat(parts).as(p.name()).hasSize(8).allSatisfy(part -> assertThat(part).hasSize(12));
      assertExactCover(parts, all);
      assertThat(ClientSplitter.split(all, 8, p, 7)).as("deterministic").isEqualTo(parts);
    }
  }

  @Test
  void labelSkewGivesEachClientTwoSingleLabelShardsAndIidGivesAllBothLabels() {
    List<LabelledText> balanced = new ArrayList<>();
    for (int i = 0; i < 96; i++) {
      balanced.add(new LabelledText("text " + i, i % 2, "d"));
    }
    List<List<LabelledText>> skewed = ClientSplitter.split(balanced, 8, Partition.LABEL_SKEW, 7);
    assertThat(skewed)
        .allSatisfy(
            part ->
                assertThat(part.stream().filter(e -> e.label() == 1).count() % 6)
                    .as("positives come in whole shards of 6")
                    .isZero());
    assertThat(skewed.stream().filter(part -> labels(part).size() == 1).count()).isPositive();
    assertThat(ClientSplitter.split(balanced, 8, Partition.IID, 7))
        .allSatisfy(part -> assertThat(labels(part)).containsExactlyInAnyOrder(0, 1));
  }

  @Test
  void domainSplitGivesEachOfFourClientsOneDomain() {
    assertThat(ClientSplitter.split(examples(), 4, Partition.DOMAIN, 7))
        .allSatisfy(
            part ->
                assertThat(part.stream().map(LabelledText::domain).collect(Collectors.toSet()))
                    .hasSize(1));
  }

  @Test
  void heavyTailRanksFollowTheQuantiles() {
    assertThat(RankProfile.HEAVY_TAIL.ranks(8)).containsExactly(2, 2, 2, 2, 4, 4, 8, 16);
    assertThat(RankProfile.HEAVY_TAIL.ranks(32)).filteredOn(r -> r == 2).hasSize(16);
    assertThat(RankProfile.HOMOGENEOUS.ranks(4)).containsOnly(8);
  }

  private static Set<Integer> labels(List<LabelledText> part) {
    return part.stream().map(LabelledText::label).collect(Collectors.toSet());
  }
}
