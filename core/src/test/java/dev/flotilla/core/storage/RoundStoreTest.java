package dev.flotilla.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flotilla.core.spec.AggregationStrategy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundStoreTest {

  private final InMemoryObjectStore objects = new InMemoryObjectStore();
  private final StorageLayout layout = new StorageLayout("b", "flotilla", "fed");
  private final RoundStore store = new RoundStore(objects, layout);

  static RoundManifest manifest(int round) {
    return new RoundManifest(
        RoundManifest.SCHEMA_VERSION,
        "fed",
        round,
        1,
        round - 1,
        "2026-01-01T00:00:00Z",
        AggregationStrategy.FLEXLORA,
        16,
        List.of(
            new RoundManifest.AcceptedClient(
                "a", 4, 100, 0.25, 0.5, 100, Sha256.hex(new byte[] {1}), Sha256.hex(new byte[2])),
            new RoundManifest.AcceptedClient(
                "b", 8, 300, 0.75, 0.4, 300, Sha256.hex(new byte[] {3}), Sha256.hex(new byte[4]))),
        List.of(new RoundManifest.RejectedClient("c", "non-finite values in lora_B")),
        List.of(new RoundManifest.FailedClient("d", "DeadlineExceeded")),
        "flotilla/fed/rounds/000" + round + "/global/",
        Map.of(8, "flotilla/fed/rounds/000" + round + "/ranks/8/", 4, "x/4/"),
        new RoundManifest.AggregationDiagnostics(
            "factored-qr-svd", 1.5e-7, Map.of("layer.1.query", 1e-7, "layer.0.query", 1.5e-7)),
        Map.of("accuracy", 0.81, "loss", 0.42),
        0.425,
        0,
        Map.of(
            "flotilla/fed/rounds/000" + round + "/global/adapter_model.safetensors",
            Sha256.hex(new byte[5])));
  }

  @Test
  void manifestRoundTripsThroughJson() throws IOException {
    RoundManifest written = manifest(2);
    store.createManifest(written);

    assertThat(store.readManifest(2)).contains(written);
    assertThat(store.isCommitted(2)).isTrue();
    assertThat(store.isCommitted(3)).isFalse();
    String json = new String(objects.getBytes(layout.manifestKey(2)), StandardCharsets.UTF_8);
    assertThat(json).contains("\"schemaVersion\" : 1").contains("\"strategy\" : \"FLEXLORA\"");
    assertThat(store.readManifest(2).orElseThrow().rankAdapterPrefixes().keySet())
        .containsExactly(4, 8);
  }

  @Test
  void planAndMetricsRoundTrip() throws IOException {
    RoundPlan plan =
        new RoundPlan(
            RoundPlan.SCHEMA_VERSION,
            "fed",
            1,
            1,
            0,
            16,
            List.of(new RoundPlan.PlannedClient("a", "pool", 4, "s3://d/a.jsonl", null)));
    ClientMetrics metrics =
        new ClientMetrics(
            ClientMetrics.SCHEMA_VERSION,
            "a",
            1,
            1,
            4,
            100,
            25,
            0.61,
            Map.of("accuracy", 0.7),
            12.5,
            1L << 30,
            Sha256.hex(new byte[] {1}),
            Sha256.hex(new byte[] {2}));
    store.writePlan(plan);
    store.writeClientMetrics(metrics);

    assertThat(store.readPlan(1)).contains(plan);
    assertThat(store.readClientMetrics(1, "a", 1)).contains(metrics);
    assertThat(objects.exists(layout.clientMetrics(1, "a", 1))).isTrue();
    assertThat(store.readClientMetrics(1, "b", 1)).isEmpty();
  }

  @Test
  void latestCommittedProbesDownwards() throws IOException {
    store.createManifest(manifest(1));
    store.createManifest(manifest(3));

    assertThat(store.latestCommitted(5, 1).map(RoundManifest::round)).contains(3);
    assertThat(store.latestCommitted(2, 1).map(RoundManifest::round)).contains(1);
    assertThat(store.latestCommitted(2, 2)).isEmpty();
  }

  @Test
  void latestCommittedOfTenThousandRoundsIsOneListingAndAFewReads() throws IOException {
    CountingObjectStore counted = new CountingObjectStore();
    RoundStore rounds = new RoundStore(counted, layout);
    rounds.createManifest(manifest(1));
    rounds.createManifest(manifest(2));
    counted.put(layout.planKey(3), new byte[] {'{', '}'});

    assertThat(rounds.latestCommitted(10_000, 1).map(RoundManifest::round)).contains(2);
    assertThat(counted.listings.get()).as("listings").isEqualTo(1);
    assertThat(counted.reads.get())
        .as("object reads: the started round 3, then round 2")
        .isEqualTo(2);
  }

  @Test
  void unknownFieldsFromNewerWritersAreIgnored() throws IOException {
    String json =
        new String(StorageJson.write(manifest(1)), StandardCharsets.UTF_8)
            .replaceFirst("\\{", "{ \"addedLater\" : 5,");
    objects.put(layout.manifestKey(1), json.getBytes(StandardCharsets.UTF_8));

    assertThat(store.readManifest(1)).contains(manifest(1));
  }

  @Test
  void metricsOfSchemaVersion1WithoutHashesStillParse() throws IOException {
    objects.put(
        layout.clientMetrics(1, "a", 1),
        ("{\"schemaVersion\":1,\"clientId\":\"a\",\"round\":1,\"attempt\":1,\"rank\":4,"
                + "\"numSamples\":3,\"steps\":1,\"trainLoss\":0.5,\"wallTimeSeconds\":1,"
                + "\"peakMemoryBytes\":1}")
            .getBytes(StandardCharsets.UTF_8));

    ClientMetrics metrics = store.readClientMetrics(1, "a", 1).orElseThrow();
    assertThat(metrics.schemaVersion()).isEqualTo(1);
    assertThat(metrics.adapterModelSha256()).isNull();
    assertThat(metrics.adapterConfigSha256()).isNull();
  }

  @Test
  void metricsWithMalformedHashesAreInvalid() throws IOException {
    objects.put(
        layout.clientMetrics(1, "a", 1),
        ("{\"schemaVersion\":2,\"clientId\":\"a\",\"round\":1,\"attempt\":1,\"rank\":4,"
                + "\"numSamples\":3,\"steps\":1,\"trainLoss\":0.5,\"wallTimeSeconds\":1,"
                + "\"peakMemoryBytes\":1,\"adapterModelSha256\":\"not-hex\"}")
            .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.readClientMetrics(1, "a", 1))
        .hasMessageContaining("adapter hashes must be 64 lower-case hex digits");
  }

  @Test
  void missingNumberNamesTheField() throws IOException {
    objects.put(
        layout.clientMetrics(1, "a", 1),
        "{\"schemaVersion\":1,\"clientId\":\"a\",\"round\":1}".getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.readClientMetrics(1, "a", 1))
        .hasMessageContaining(layout.clientMetrics(1, "a", 1))
        .hasMessageContaining("attempt");
  }

  @Test
  void newerSchemaVersionIsAClearError() throws IOException {
    String json =
        new String(StorageJson.write(manifest(1)), StandardCharsets.UTF_8)
            .replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 2");
    objects.put(layout.manifestKey(1), json.getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.readManifest(1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(layout.manifestKey(1))
        .hasMessageContaining("schemaVersion 2 is not supported");
  }

  @Test
  void malformedMetricsNameTheKeyAndField() throws IOException {
    objects.put(
        layout.clientMetrics(1, "a", 1),
        ("{\"schemaVersion\":1,\"round\":1,\"attempt\":1,\"rank\":4,\"numSamples\":3,"
                + "\"steps\":1,\"trainLoss\":0.5,\"wallTimeSeconds\":1,\"peakMemoryBytes\":1}")
            .getBytes(StandardCharsets.UTF_8));

    assertThatThrownBy(() -> store.readClientMetrics(1, "a", 1))
        .hasMessageContaining(layout.clientMetrics(1, "a", 1))
        .hasMessageContaining("clientId is required");
  }

  @Test
  void aRoundIsCommittedOnce() throws IOException {
    assertThat(store.createManifest(manifest(1))).isTrue();
    RoundManifest second = manifest(1);

    assertThat(store.createManifest(second)).as("a racing aggregator").isFalse();
    assertThat(store.readManifest(1)).contains(manifest(1));
  }

  @Test
  void aManifestNamingAnotherFederationOrRoundIsRefused() throws IOException {
    objects.put(layout.manifestKey(1), StorageJson.write(manifest(99)));
    assertThatThrownBy(() -> store.latestCommitted(3, 1))
        .isInstanceOf(ForeignDataException.class)
        .hasMessageContaining("round 99");

    RoundStore other = new RoundStore(objects, new StorageLayout("b", "flotilla", "other"));
    objects.put(
        new StorageLayout("b", "flotilla", "other").manifestKey(2), StorageJson.write(manifest(2)));
    assertThatThrownBy(() -> other.readManifest(2))
        .isInstanceOf(ForeignDataException.class)
        .hasMessageContaining("federation fed");
  }

  @Test
  void aPrefixOwnedByAnotherFederationIsNotAdopted() throws IOException {
    FederationOwner first = FederationOwner.of("team-a", "fed", "uid-1");
    store.claim(first);
    store.claim(first);

    assertThatThrownBy(() -> store.claim(FederationOwner.of("team-b", "fed", "uid-2")))
        .isInstanceOf(ForeignDataException.class)
        .hasMessageContaining("team-a/fed (uid uid-1)");
  }
}
