package dev.flotilla.trainer.bench;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import dev.flotilla.core.adapter.TaskType;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.nn.LoraSettings;
import dev.flotilla.model.nn.ModelLoader;
import dev.flotilla.model.nn.TrainableModel;
import dev.flotilla.model.train.Trainer;
import dev.flotilla.model.train.TrainingSettings;
import dev.flotilla.trainer.PeakMemory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Measures one LoRA training step (forward, backward, clipping, AdamW, zeroing) of the shipped
 * training loop on a random model, and the process's peak RSS. Not a unit test: run by {@code
 * trainer-image/bench/run-benchmark.sh}, which runs {@code torch_step.py} with the same shapes.
 *
 * <p>Usage: {@code TrainerBenchmark <tiny|distilbert|decoder> <threads> <work dir>}; prints one
 * JSON line: wall and step-thread CPU time per step, minor page faults per step, peak RSS. With
 * {@code FLOTILLA_PROFILE=<prefix>} it writes a PyTorch profiler trace of the first measured step
 * to {@code <prefix>-djl.json}.
 */
public final class TrainerBenchmark {
  static final int WARMUP = 3;
  static final int MEASURED = 10;

  private TrainerBenchmark() {}

  /** Runs the benchmark named by {@code args[0]}. */
  public static void main(String[] args) throws Exception {
    String name = args[0];
    int threads = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    Shapes s = Shapes.of(name);
    Path model =
        s.decoder()
            ? RandomModels.llama(
                work.resolve(name),
                s.vocab(),
                s.hidden(),
                s.layers(),
                s.heads(),
                s.kvHeads(),
                s.ffn())
            : RandomModels.bert(
                work.resolve(name), s.vocab(), s.hidden(), s.layers(), s.heads(), s.ffn());
    TaskType task = s.decoder() ? TaskType.CAUSAL_LM : TaskType.SEQ_CLS;
    List<String> targets = s.decoder() ? List.of("q_proj", "v_proj") : List.of("query", "value");
    Random random = new Random(3);
    List<EncodedExample> examples = new ArrayList<>();
    for (int i = 0; i < s.batch() * (WARMUP + MEASURED); i++) {
      long[] ids = random.longs(s.seq(), 5, s.vocab()).toArray();
      float[] scored = null;
      if (s.decoder()) {
        scored = new float[s.seq()];
        Arrays.fill(scored, s.seq() / 2, s.seq(), 1f);
      }
      examples.add(new EncodedExample(ids, new long[s.seq()], i % 2, scored));
    }
    long[] stamps = new long[WARMUP + MEASURED + 1];
    long[] cpuStamps = new long[WARMUP + MEASURED + 1];
    long[] faults = new long[WARMUP + MEASURED + 1];
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    String profile = System.getenv("FLOTILLA_PROFILE");
    try (NDManager root = NDManager.newBaseManager();
        TrainableModel trainable =
            ModelLoader.load(
                model, task, 2, new LoraSettings(8, 16, 0.05, targets, 1), null, root)) {
      TrainingSettings settings =
          new TrainingSettings(0, WARMUP + MEASURED, s.batch(), 1e-4, 0.0, 0.0, 1.0, 5);
      stamps[0] = System.nanoTime();
      new Trainer(settings)
          .train(
              trainable,
              examples,
              root,
              step -> {
                stamps[step] = System.nanoTime();
                cpuStamps[step] = cpu.getCurrentThreadCpuTime();
                faults[step] = minorFaults();
                if (profile != null && step == WARMUP) {
                  JniUtils.startProfile(false, true, false);
                } else if (profile != null && step == WARMUP + 1) {
                  JniUtils.stopProfile(profile + "-djl.json");
                }
              });
    }
    double stepMs = (stamps[WARMUP + MEASURED] - stamps[WARMUP]) / 1e6 / MEASURED;
    double cpuMs = (cpuStamps[WARMUP + MEASURED] - cpuStamps[WARMUP]) / 1e6 / MEASURED;
    long faultsPerStep = (faults[WARMUP + MEASURED] - faults[WARMUP]) / MEASURED;
    System.out.printf(
        "{\"impl\": \"djl\", \"model\": \"%s\", \"threads\": %d, \"step_ms\": %.1f,"
            + " \"step_cpu_ms\": %.1f, \"minor_faults_per_step\": %d, \"peak_rss_mb\": %.0f}%n",
        name, threads, stepMs, cpuMs, faultsPerStep, PeakMemory.bytes() / 1048576.0);
  }

  /** Minor page faults of this process so far (field 10 of /proc/self/stat). */
  private static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[7]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Benchmark shapes, mirrored in bench/torch_step.py. */
  record Shapes(
      boolean decoder,
      int vocab,
      int hidden,
      int layers,
      int heads,
      int kvHeads,
      int ffn,
      int batch,
      int seq) {
    static Shapes of(String name) {
      return switch (name) {
        case "tiny" -> new Shapes(false, 30522, 128, 2, 2, 2, 512, 16, 128);
        case "distilbert" -> new Shapes(false, 30522, 768, 6, 12, 12, 3072, 16, 128);
        case "decoder" -> new Shapes(true, 32000, 512, 4, 8, 4, 1408, 8, 128);
        default -> throw new IllegalArgumentException("unknown benchmark " + name);
      };
    }
  }
}
