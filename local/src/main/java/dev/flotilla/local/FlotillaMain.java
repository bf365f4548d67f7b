package dev.flotilla.local;

import ch.qos.logback.classic.Level;
import dev.flotilla.local.check.CheckReport;
import dev.flotilla.local.check.DataCheck;
import dev.flotilla.local.check.Preflight;
import dev.flotilla.local.container.ContainerEngineException;
import dev.flotilla.local.container.ContainerImages;
import dev.flotilla.local.container.ContainerLauncher;
import dev.flotilla.local.container.Podman;
import dev.flotilla.local.report.ProgressDisplay;
import dev.flotilla.local.run.FederationBundle;
import dev.flotilla.local.run.LocalRunner;
import dev.flotilla.local.run.ProcessLauncher;
import dev.flotilla.local.run.Workdir;
import dev.flotilla.local.run.WorkloadLauncher;
import dev.flotilla.local.spec.CrdCatalog;
import dev.flotilla.local.spec.ManifestException;
import dev.flotilla.local.spec.ManifestLoader;
import dev.flotilla.local.spec.Resource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The {@code flotilla} command: runs or validates Federation manifests on this machine. */
@Command(
    name = "flotilla",
    mixinStandardHelpOptions = true,
    description = "Runs Flotilla federations locally with the operator's round protocol.",
    subcommands = {
      FlotillaMain.Run.class,
      FlotillaMain.Validate.class,
      FlotillaMain.CheckData.class
    })
public final class FlotillaMain {
  /** Exit code for a manifest rejected by validation or an unusable work directory. */
  static final int BAD_INPUT = 2;

  /** Entry point. */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code. */
  public static int execute(String... args) {
    return new CommandLine(new FlotillaMain())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .execute(args);
  }

  static List<Resource> load(Path file) throws ManifestException {
    return new ManifestLoader(CrdCatalog.bundled()).load(file);
  }

  /** {@code flotilla validate FILE}. */
  @Command(
      name = "validate",
      mixinStandardHelpOptions = true,
      description = {
        "Validates a manifest against the Flotilla CRDs like the API server does, then checks what",
        "would fail training: the aggregation strategy against the clients' ranks and globalRank,",
        "the base model (architecture, tokenizer, weights) and a sample of every data file.",
        "Exit codes: 0 valid, 2 a problem (each names its field, client, file and line)."
      })
  static final class Validate implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Multi-document YAML manifest.")
    Path file;

    @Option(
        names = "--sample",
        defaultValue = "" + DataCheck.DEFAULT_SAMPLE,
        description = "Examples read from the start of each data file (default ${DEFAULT-VALUE}).")
    int sample;

    @Override
    public Integer call() {
      try {
        List<Resource> resources = load(file);
        FederationBundle bundle = FederationBundle.of(file, resources);
        resources.forEach(r -> System.out.println(r.kind() + " " + r.name() + " is valid"));
        return report(Preflight.run(bundle, sample));
      } catch (ManifestException e) {
        System.err.println(e.getMessage());
        return BAD_INPUT;
      }
    }
  }

  /** {@code flotilla check-data FILE}. */
  @Command(
      name = "check-data",
      mixinStandardHelpOptions = true,
      description = {
        "Reads the first examples of every client's data file and of the evaluation set with the",
        "trainer's reader: present, JSON Lines or CSV with a header, fields text and label, labels",
        "in [0, numLabels). Exit codes: 0 all readable, 2 a problem (client, file and line named)."
      })
  static final class CheckData implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Multi-document YAML manifest.")
    Path file;

    @Option(
        names = "--sample",
        defaultValue = "" + DataCheck.DEFAULT_SAMPLE,
        description = "Examples read from the start of each data file (default ${DEFAULT-VALUE}).")
    int sample;

    @Override
    public Integer call() {
      try {
        return report(Preflight.data(FederationBundle.of(file, load(file)), sample));
      } catch (ManifestException e) {
        System.err.println(e.getMessage());
        return BAD_INPUT;
      }
    }
  }

  /** Prints {@code report}; problems go to stderr too. Returns 0, or BAD_INPUT on problems. */
  static int report(CheckReport report) {
    report.print(System.out);
    if (report.problems().isEmpty()) {
      return 0;
    }
    System.err.println(report.problems().size() + " problem(s) would fail training:");
    report.problems().forEach(p -> System.err.println("  " + p));
    return BAD_INPUT;
  }

  /** {@code flotilla run FILE [--resume] [--parallel N] [--workdir D]}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Runs a Federation and its ClientPools: embedded S3 server, trainers and the aggregator as",
        "local processes (or, with --runtime containers, from their images with podman, as the",
        "operator's Jobs run them), driven by the operator's round protocol.",
        "Exit codes: 0 completed, 1 federation failed, 2 invalid manifest or spec, 130 interrupted."
      })
  static final class Run implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "Multi-document YAML manifest.")
    Path file;

    @Option(
        names = "--resume",
        description = "Continue an interrupted run from its work directory.")
    boolean resume;

    @Option(
        names = "--parallel",
        defaultValue = "1",
        description = "Workload processes at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
        names = "--threads",
        defaultValue = "0",
        description = "PyTorch threads per process; 0: cores / parallel.")
    int threads;

    @Option(
        names = "--workdir",
        description = "Work directory (default .flotilla/<federation> in the current directory).")
    Path workdir;

    @Option(
        names = "--runtime",
        defaultValue = "processes",
        description =
            "How workloads run: processes (JVMs of this machine) or containers (their images,"
                + " with the Jobs' security settings; needs podman and the images of"
                + " scripts/build-images.sh). Default ${DEFAULT-VALUE}.")
    RuntimeKind runtime;

    @Option(
        names = "--verbose",
        description = "Also log the embedded S3 server's (s3proxy, jetty) INFO lines.")
    boolean verbose;

    @Option(
        names = "--child-jvm-options",
        split = " ",
        defaultValue = "-Xmx2g",
        description = "JVM options of the workload processes (default ${DEFAULT-VALUE}).")
    List<String> childJvmOptions;

    /** The workload runtimes. */
    enum RuntimeKind {
      PROCESSES,
      CONTAINERS
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
      if (verbose) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("org.gaul")).setLevel(Level.INFO);
      }
      if (parallel < 1) {
        System.err.println("--parallel must be at least 1, got " + parallel);
        return BAD_INPUT;
      }
      FederationBundle bundle;
      try {
        bundle = FederationBundle.of(file, load(file));
      } catch (ManifestException e) {
        System.err.println(e.getMessage());
        return BAD_INPUT;
      }
      Path root = workdir != null ? workdir : Path.of(".flotilla", bundle.name());
      int cores = Runtime.getRuntime().availableProcessors();
      // The machine first (a missing runtime), then the manifest's files.
      WorkloadLauncher.Factory launcher;
      try {
        launcher =
            runtime == RuntimeKind.CONTAINERS
                ? ContainerLauncher.factory(Podman.detect(), ContainerImages.built())
                : ProcessLauncher.factory(childJvmOptions);
      } catch (ContainerEngineException e) {
        System.err.println("flotilla: " + e.getMessage());
        return BAD_INPUT;
      }
      CheckReport preflight = Preflight.run(bundle, DataCheck.DEFAULT_SAMPLE);
      if (!preflight.problems().isEmpty()) {
        System.err.println("flotilla: " + file + " would fail training:");
        preflight.problems().forEach(p -> System.err.println("  " + p));
        return BAD_INPUT;
      }
      int perProcess = threads > 0 ? threads : Math.max(1, cores / parallel);
      Workdir dir;
      try {
        dir = Workdir.open(root);
      } catch (IOException e) {
        System.err.println("flotilla: " + e.getMessage());
        return BAD_INPUT;
      }
      try (dir) {
        if (dir.hasState() && !resume) {
          System.err.println(
              dir.root()
                  + " holds a previous run of "
                  + bundle.name()
                  + ": continue it with --resume, or delete the directory to start over");
          return BAD_INPUT;
        }
        System.out.println(
            "flotilla: federation "
                + bundle.name()
                + " in "
                + dir.root()
                + " ("
                + parallel
                + (runtime == RuntimeKind.CONTAINERS ? " container(s) x " : " process(es) x ")
                + perProcess
                + " thread(s))");
        try {
          return new LocalRunner(
                  bundle,
                  dir,
                  new LocalRunner.Options(parallel, perProcess, launcher),
                  System.out,
                  ProgressDisplay.onStdout())
              .run();
        } catch (ContainerEngineException e) {
          System.err.println("flotilla: " + e.getMessage());
          return BAD_INPUT;
        }
      }
    }
  }
}
