package dev.flotilla.images;

import dev.flotilla.local.s3.EmbeddedS3Server;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The quickstart's real inputs (all-MiniLM-L6-v2 imported from its Maven artifact, the UCI
 * sentiment splits from npm; both cached under ~/.cache/flotilla by the project's scripts) placed
 * in a run's embedded object store under {@code inputs/}, as a cluster keeps them in S3, and a
 * Federation of three of the quickstart's clients over them.
 */
final class QuickstartInputs {
  static final String BUCKET = "flotilla";
  static final List<String> CLIENTS = List.of("imdb-0", "yelp-0", "amazon-0");
  static final int[] RANKS = {4, 8, 16};

  private QuickstartInputs() {}

  /** Fetches the model and data (cached) with the project's scripts. */
  static Path[] fetch() throws IOException, InterruptedException {
    Path cache = Path.of(System.getProperty("user.home"), ".cache", "flotilla");
    run(Repo.root().resolve("scripts/fetch-quickstart-data.sh").toString());
    run(Repo.root().resolve("trainer-image/import-model.sh").toString(), "all-minilm-l6-v2");
    return new Path[] {cache.resolve("models/all-minilm-l6-v2"), cache.resolve("data/quickstart")};
  }

  /**
   * Writes the inputs into the store of work directory {@code workdir} (the directory the local
   * runtime's embedded server serves) and the manifest into {@code manifest}.
   */
  static void stage(Path model, Path data, Path workdir, Path manifest, int rounds)
      throws IOException {
    stage(model, data, workdir, manifest, rounds, CLIENTS.size());
  }

  /** As {@link #stage(Path, Path, Path, Path, int)} with the first {@code clients} clients. */
  static void stage(Path model, Path data, Path workdir, Path manifest, int rounds, int clients)
      throws IOException {
    Path bucket = workdir.resolve("s3").resolve(BUCKET);
    // The server's own filesystem layout: the embedded store is started and stopped here so the
    // bucket exists, then the files are copied in as objects.
    try (EmbeddedS3Server server = EmbeddedS3Server.start(workdir.resolve("s3"), BUCKET)) {
      copyTree(model, bucket.resolve("inputs/model"));
      for (String client : CLIENTS) {
        copy(data.resolve(client + ".jsonl"), bucket.resolve("inputs/data/" + client + ".jsonl"));
      }
      copy(data.resolve("test.jsonl"), bucket.resolve("inputs/data/test.jsonl"));
    }
    Files.writeString(manifest, manifest(rounds, clients));
  }

  static String manifest(int rounds) {
    return manifest(rounds, CLIENTS.size());
  }

  static String manifest(int rounds, int clients) {
    StringBuilder text =
        new StringBuilder(
            """
            apiVersion: flotilla.dev/v1alpha1
            kind: Federation
            metadata:
              name: images
            spec:
              baseModel:
                uri: s3://flotilla/inputs/model/
                architecture: BERT
              task:
                type: SEQUENCE_CLASSIFICATION
                numLabels: 2
              rounds: %d
              roundTimeout: 30m
              sampling:
                clientsPerRound: %d
                minClients: %d
                seed: 1
              aggregation:
                strategy: FLEXLORA
                globalRank: 16
                weighting: SAMPLES
              lora:
                alpha: 16
                dropout: 0.05
                targetModules: [query, value]
              training:
                epochs: 1
                batchSize: 16
                learningRate: 0.001
                maxSeqLength: 64
                warmupRatio: 0.1
                seed: 42
              evaluation:
                dataUri: s3://flotilla/inputs/data/test.jsonl
              storage:
                bucket: flotilla
                prefix: runs
              clientPools:
                names: [%s]
            """
                .formatted(
                    rounds,
                    clients,
                    clients,
                    String.join(
                        ", ",
                        IntStream.range(0, clients).mapToObj(i -> "rank-" + RANKS[i]).toList())));
    for (int i = 0; i < clients; i++) {
      text.append(
          """
          ---
          apiVersion: flotilla.dev/v1alpha1
          kind: ClientPool
          metadata:
            name: rank-%d
          spec:
            rank: %d
            resources:
              limits:
                cpu: "1"
            clients:
              list:
                - id: %s
                  dataUri: s3://flotilla/inputs/data/%s.jsonl
          """
              .formatted(RANKS[i], RANKS[i], CLIENTS.get(i), CLIENTS.get(i)));
    }
    return text.toString();
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        copy(file, to.resolve(from.relativize(file).toString()));
      }
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    Files.copy(from, to);
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
