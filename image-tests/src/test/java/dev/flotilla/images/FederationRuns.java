package dev.flotilla.images;

import dev.flotilla.core.storage.RoundManifest;
import dev.flotilla.core.storage.RoundStore;
import dev.flotilla.core.storage.S3ObjectStore;
import dev.flotilla.core.storage.S3Settings;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.local.report.ProgressDisplay;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.run.LocalRunner;
import dev.flotilla.local.run.Workdir;
import dev.flotilla.local.run.WorkloadLauncher;
import dev.flotilla.local.s3.EmbeddedS3Server;
import dev.flotilla.local.spec.CrdCatalog;
import dev.flotilla.local.spec.ManifestLoader;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs a manifest with the local runtime and a given launcher, and reads its committed rounds. */
final class FederationRuns {
  private FederationRuns() {}

  /**
   * Runs {@code manifest} in {@code workdir} ({@code parallel} workloads of one thread each),
   * console output to {@code workdir/../<name>.out}.
   *
   * @return the runner's exit code
   */
  static int run(Path manifest, Path workdir, WorkloadLauncher.Factory launcher, int parallel)
      throws Exception {
    FederationBundle bundle =
        FederationBundle.of(manifest, new ManifestLoader(CrdCatalog.bundled()).load(manifest));
    Path out = workdir.resolveSibling(workdir.getFileName() + ".out");
    try (PrintStream console = new PrintStream(Files.newOutputStream(out), true);
        Workdir dir = Workdir.open(workdir)) {
      return new LocalRunner(
              bundle,
              dir,
              new LocalRunner.Options(parallel, 1, launcher),
              console,
              new ProgressDisplay(console, false))
          .run();
    }
  }

  /** The console output of the run in {@code workdir}. */
  static String output(Path workdir) throws java.io.IOException {
    return Files.readString(workdir.resolveSibling(workdir.getFileName() + ".out"));
  }

  /** Held-out accuracy after each committed round 1..rounds of federation {@code name}. */
  static List<Double> accuracies(Path workdir, String name, int rounds) throws Exception {
    try (EmbeddedS3Server server =
            EmbeddedS3Server.start(workdir.resolve("s3"), QuickstartInputs.BUCKET);
        S3ObjectStore store =
            S3ObjectStore.open(
                new S3Settings(
                    server.endpoint(),
                    "us-east-1",
                    server.accessKey(),
                    server.secretKey(),
                    QuickstartInputs.BUCKET,
                    true,
                    false))) {
      RoundStore store2 =
          new RoundStore(store, new StorageLayout(QuickstartInputs.BUCKET, "runs", name));
      List<Double> accuracies = new ArrayList<>();
      for (int round = 1; round <= rounds; round++) {
        RoundManifest manifest = store2.readManifest(round).orElseThrow();
        accuracies.add(manifest.evalMetrics().get("accuracy"));
      }
      return accuracies;
    }
  }
}
