package dev.flotilla.trainer;

import ai.djl.ndarray.NDManager;
import dev.flotilla.core.adapter.AdapterFormatException;
import dev.flotilla.core.adapter.LoraAdapter;
import dev.flotilla.core.adapter.LoraModule;
import dev.flotilla.core.adapter.PeftAdapterReader;
import dev.flotilla.core.adapter.PeftAdapterWriter;
import dev.flotilla.core.storage.ClientMetrics;
import dev.flotilla.core.storage.S3Uri;
import dev.flotilla.core.storage.Sha256;
import dev.flotilla.core.storage.StorageJson;
import dev.flotilla.core.storage.StorageLayout;
import dev.flotilla.model.AdapterPublisher;
import dev.flotilla.model.BadInputException;
import dev.flotilla.model.BaseModel;
import dev.flotilla.model.ModelWorkspace;
import dev.flotilla.model.StorageClient;
import dev.flotilla.model.TransientException;
import dev.flotilla.model.data.DatasetReader;
import dev.flotilla.model.data.EncodedExample;
import dev.flotilla.model.data.Example;
import dev.flotilla.model.data.ExampleEncoder;
import dev.flotilla.model.nn.TrainableModel;
import dev.flotilla.model.train.EvalResult;
import dev.flotilla.model.train.TrainResult;
import dev.flotilla.model.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's round: fetch base model, data and starting adapter; train; evaluate on the held-out
 * {@code --eval-fraction} of its examples (none below {@link #MIN_EVAL_EXAMPLES}); publish the
 * adapter files and then {@code metrics.json}, whose presence marks the upload complete. The
 * client's example count (its aggregation weight) counts the training examples only.
 */
final class TrainJob {
  /** Fewer held-out examples than this make no local evaluation (their accuracy means little). */
  static final int MIN_EVAL_EXAMPLES = 10;

  private static final Logger LOG = LoggerFactory.getLogger(TrainJob.class);
  private final JobConfig config;
  private final StorageClient storage;
  private final ModelWorkspace workspace;
  private final GracefulStop stop;

  TrainJob(JobConfig config, StorageClient storage, GracefulStop stop) {
    this.config = config;
    this.storage = storage;
    this.stop = stop;
    this.workspace = new ModelWorkspace(storage, config.cacheDir(), config.workDir());
  }

  ClientMetrics run() throws IOException {
    long started = System.nanoTime();
    BaseModel base =
        workspace.baseModel(config.baseModel(), config.architecture(), config.tokenizer());
    List<Example> examples = new ArrayList<>();
    DatasetReader reader = new DatasetReader(config.task(), config.numLabels());
    for (Path file : workspace.dataFiles(config.data())) {
      examples.addAll(reader.read(file));
    }
    LoraAdapter start = startingAdapter();
    List<Example> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, new Random(config.training().seed()));
    int evalCount = heldOut(shuffled.size(), config.evalFraction());
    List<Example> eval = shuffled.subList(0, evalCount);
    List<Example> train = shuffled.subList(evalCount, shuffled.size());
    try (NDManager root = NDManager.newBaseManager();
        ExampleEncoder encoder = base.encoder(config.task(), config.maxSeqLength());
        TrainableModel model =
            base.load(config.task(), config.numLabels(), config.lora(), start, root)) {
      LOG.info(
          "client {} round {}: {} train / {} eval examples, rank {}, {} LoRA modules, device {}",
          config.clientId(),
          config.round(),
          train.size(),
          eval.size(),
          config.lora().rank(),
          model.adaptedLayers().size(),
          root.getDevice());
      List<EncodedExample> trainSet = encoder.encodeAll(train);
      int total = config.training().totalSteps(trainSet.size());
      int every = Math.max(1, total / 10);
      TrainResult result =
          new Trainer(config.training())
              .train(
                  model,
                  trainSet,
                  root,
                  step -> {
                    stop.check();
                    if (step % every == 0 || step == total) {
                      LOG.info("step {}/{}", step, total);
                    }
                  });
      Map<String, Double> evalMetrics = new LinkedHashMap<>();
      if (!eval.isEmpty()) {
        EvalResult evaluation =
            Trainer.evaluate(model, encoder.encodeAll(eval), root, config.training().batchSize());
        evalMetrics.put("accuracy", evaluation.accuracy());
        evalMetrics.put("loss", evaluation.loss());
        evalMetrics.put("examples", (double) evaluation.examples());
      }
      int window =
          config.training().maxSteps() > 0
              ? Math.max(1, total / 10)
              : (trainSet.size() + config.training().batchSize() - 1)
                  / config.training().batchSize();
      double wall = (System.nanoTime() - started) / 1e9;
      ClientMetrics metrics =
          new ClientMetrics(
              ClientMetrics.SCHEMA_VERSION,
              config.clientId(),
              config.round(),
              config.attempt(),
              config.lora().rank(),
              train.size(),
              result.steps(),
              result.meanLastLoss(window),
              evalMetrics,
              wall,
              PeakMemory.bytes(),
              null,
              null);
      LOG.info(
          "client {} round {}: first loss {}, final loss {}, eval {}, {} s",
          config.clientId(),
          config.round(),
          result.losses().get(0),
          metrics.trainLoss(),
          evalMetrics,
          String.format("%.1f", wall));
      return publish(model.toAdapter(base.location()), metrics);
    }
  }

  /**
   * The examples of {@code total} held out at {@code fraction}: none when that is fewer than {@link
   * #MIN_EVAL_EXAMPLES} (logged), or when training would keep no example.
   */
  private int heldOut(int total, double fraction) {
    int count = (int) Math.floor(total * fraction);
    if (fraction > 0 && count < MIN_EVAL_EXAMPLES) {
      LOG.info(
          "client {}: no local evaluation: {} of {} examples would be held out at eval fraction {},"
              + " fewer than {}; training on all {}",
          config.clientId(),
          count,
          total,
          fraction,
          MIN_EVAL_EXAMPLES,
          total);
      return 0;
    }
    return count >= total ? 0 : count;
  }

  private LoraAdapter startingAdapter() {
    Path dir = config.workDir().resolve("start-adapter");
    LoraAdapter adapter;
    String where;
    if (config.startAdapter() != null) {
      where = config.startAdapter();
      if (S3Uri.isS3(where)) {
        S3Uri uri = S3Uri.parse(where);
        String prefix = uri.key().endsWith("/") ? uri.key() : uri.key() + "/";
        if (!download(uri.bucket(), prefix, dir)) {
          throw new BadInputException("starting adapter " + where + " does not exist");
        }
      } else {
        dir = Path.of(where);
      }
    } else if (config.bucket() != null && config.baseRound() > 0) {
      String prefix =
          layout().startingAdapterPrefix(config.baseRound(), config.lora().rank()).get();
      where = "s3://" + config.bucket() + "/" + prefix;
      if (!download(config.bucket(), prefix, dir)) {
        throw new BadInputException(
            "no starting adapter for rank " + config.lora().rank() + " at " + where);
      }
    } else {
      return null;
    }
    try {
      adapter = PeftAdapterReader.read(dir);
    } catch (AdapterFormatException e) {
      throw new BadInputException("starting adapter " + where + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BadInputException(
          "starting adapter " + where + " unreadable: " + e.getMessage(), e);
    }
    for (LoraModule module : adapter.modules().values()) {
      if (module.rank() != config.lora().rank()) {
        throw new BadInputException(
            "starting adapter "
                + where
                + ": module "
                + module.name()
                + " has rank "
                + module.rank()
                + ", this client trains rank "
                + config.lora().rank());
      }
    }
    LOG.info("starting adapter {} ({} modules)", where, adapter.modules().size());
    return adapter;
  }

  private boolean download(String bucket, String prefix, Path dir) {
    return workspace.adapter(
        bucket, prefix, dir, StorageLayout.ADAPTER_MODEL, StorageLayout.ADAPTER_CONFIG);
  }

  private StorageLayout layout() {
    return new StorageLayout(config.bucket(), config.prefix(), config.federation());
  }

  /** Uploads the adapter files, then their metrics with the files' SHA-256; returns the metrics. */
  private ClientMetrics publish(LoraAdapter adapter, ClientMetrics trained) throws IOException {
    if (config.outputDir() != null) {
      Path adapterDir = config.workDir().resolve("adapter");
      PeftAdapterWriter.write(adapter, adapterDir);
      Path weights = adapterDir.resolve(StorageLayout.ADAPTER_MODEL);
      Path adapterConfig = adapterDir.resolve(StorageLayout.ADAPTER_CONFIG);
      ClientMetrics metrics =
          trained.withAdapterHashes(Sha256.hex(weights), Sha256.hex(adapterConfig));
      Files.createDirectories(config.outputDir());
      for (Path file : List.of(weights, adapterConfig)) {
        Files.copy(
            file,
            config.outputDir().resolve(file.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      }
      Path temp = Files.createTempFile(config.outputDir(), ".metrics", ".tmp");
      Files.write(temp, StorageJson.write(metrics));
      Files.move(
          temp,
          config.outputDir().resolve(StorageLayout.METRICS),
          StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      return metrics;
    }
    StorageLayout layout = layout();
    String prefix = layout.clientAdapterPrefix(config.round(), config.clientId(), config.attempt());
    ClientMetrics metrics;
    try {
      metrics =
          new AdapterPublisher(storage.bucket(config.bucket()), config.workDir())
              .publishClient(layout, adapter, trained);
    } catch (IOException e) {
      throw new TransientException(
          "cannot upload the adapter to s3://" + config.bucket() + "/" + prefix, e);
    }
    LOG.info("uploaded s3://{}/{} (metrics last)", config.bucket(), prefix);
    return metrics;
  }
}
