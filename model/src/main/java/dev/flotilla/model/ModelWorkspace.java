package dev.flotilla.model;

import dev.flotilla.core.spec.ModelArchitecture;
import dev.flotilla.core.storage.NoSuchObjectException;
import dev.flotilla.core.storage.ObjectStore;
import dev.flotilla.core.storage.S3Uri;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a model workload (a trainer, the aggregator's evaluation) finds its inputs: resolves them
 * to local files — local paths as they are, {@code s3://} keys and prefixes of any bucket of the
 * storage endpoint downloaded (base models into a cache reused across runs, complete or absent;
 * everything else into the work directory) — and sets up the PyTorch engine.
 */
public final class ModelWorkspace {
  private static final String COMPLETE = ".flotilla-complete";
  private static final String TOKENIZER = "tokenizer.json";
  private final BucketStores storage;
  private final Path cacheDir;
  private final Path workDir;

  /**
   * A workspace downloading through {@code storage}, caching base models under {@code cacheDir} and
   * writing other downloads under {@code workDir}.
   */
  public ModelWorkspace(BucketStores storage, Path cacheDir, Path workDir) {
    this.storage = storage;
    this.cacheDir = cacheDir;
    this.workDir = workDir;
  }

  /** {@code configured}, or the default cache {@code ~/.cache/flotilla} when it is null. */
  public static Path cacheDir(Path configured) {
    return configured != null
        ? configured
        : Path.of(System.getProperty("user.home"), ".cache", "flotilla");
  }

  /**
   * Sets the PyTorch thread counts (read once when the engine starts; {@code threads} 0 = all
   * cores) and keeps DJL offline with its native cache under {@code cacheDir/djl} unless
   * DJL_CACHE_DIR is set.
   */
  public static void configureEngine(int threads, Path cacheDir) {
    int intraOp = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(intraOp));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    System.setProperty("ai.djl.offline", "true");
    if (System.getenv("DJL_CACHE_DIR") == null && System.getProperty("DJL_CACHE_DIR") == null) {
      String djl = cacheDir.resolve("djl").toString();
      System.setProperty("DJL_CACHE_DIR", djl);
      System.setProperty("ENGINE_CACHE_DIR", djl);
    }
  }

  /** The architecture family named by an {@code --architecture} value: auto, bert or llama. */
  public static ModelArchitecture architecture(String value) {
    try {
      return ModelArchitecture.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new BadInputException(
          "--architecture must be auto, bert or llama, got '" + value + "'", e);
    }
  }

  /**
   * The base model at {@code location} (a Hugging Face directory or an s3 prefix, cached), read as
   * {@code architecture}, with the {@code tokenizer.json} at {@code tokenizer} (see {@link
   * #tokenizerFile}) or, when that is null, the one in the model directory.
   */
  public BaseModel baseModel(String location, ModelArchitecture architecture, String tokenizer) {
    Path directory = modelDirectory(location);
    return BaseModel.open(
        location, directory, architecture, tokenizer == null ? null : tokenizerFile(tokenizer));
  }

  /** A local model directory: {@code location} itself, or the cached copy of an s3 prefix. */
  Path modelDirectory(String location) {
    if (!S3Uri.isS3(location)) {
      Path dir = Path.of(location);
      if (!Files.isDirectory(dir)) {
        throw new BadInputException("base model directory " + dir + " does not exist");
      }
      return dir;
    }
    S3Uri uri = parse(location, "base model");
    String prefix = uri.key().isEmpty() || uri.key().endsWith("/") ? uri.key() : uri.key() + "/";
    Path target = cacheDir.resolve("models").resolve("s3").resolve(uri.bucket()).resolve(prefix);
    if (Files.isRegularFile(target.resolve(COMPLETE))) {
      return target;
    }
    try {
      Files.createDirectories(target.getParent());
      Path temp = Files.createTempDirectory(target.getParent(), ".download-");
      List<String> keys = list(uri.bucket(), prefix);
      if (keys.isEmpty()) {
        throw new BadInputException("base model " + location + " has no objects");
      }
      for (String key : keys) {
        String relative = key.substring(prefix.length());
        if (relative.isEmpty() || relative.contains("..")) {
          continue;
        }
        Path file = temp.resolve(relative);
        Files.createDirectories(file.getParent());
        fetch(uri.bucket(), key, file);
      }
      Files.writeString(temp.resolve(COMPLETE), location);
      if (Files.exists(target)) {
        FileTrees.deleteRecursively(target);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } catch (IOException e) {
      throw new TransientException("cannot cache base model " + location, e);
    }
  }

  /**
   * The local {@code tokenizer.json} for {@code location}: a file, a directory holding one, an s3
   * key, or an s3 prefix ending in {@code /} holding one (downloaded into the work directory).
   */
  Path tokenizerFile(String location) {
    if (!S3Uri.isS3(location)) {
      Path path = Path.of(location);
      Path file = Files.isDirectory(path) ? path.resolve(TOKENIZER) : path;
      if (!Files.isRegularFile(file)) {
        throw new BadInputException("tokenizer " + file + " does not exist");
      }
      return file;
    }
    S3Uri uri = parse(location, "tokenizer");
    String key = uri.key().isEmpty() || uri.key().endsWith("/") ? uri.key() + TOKENIZER : uri.key();
    Path file = workDir.resolve("tokenizer").resolve(TOKENIZER);
    try {
      Files.createDirectories(file.getParent());
    } catch (IOException e) {
      throw new TransientException("cannot prepare work directory " + workDir, e);
    }
    fetch(uri.bucket(), key, file);
    return file;
  }

  /**
   * The data files for {@code location}: an existing local file, an s3 key, or every object under
   * an s3 prefix ending in {@code /} (key order).
   */
  public List<Path> dataFiles(String location) {
    if (!S3Uri.isS3(location)) {
      Path file = Path.of(location);
      if (!Files.isRegularFile(file)) {
        throw new BadInputException("data file " + file + " does not exist or is not a file");
      }
      return List.of(file);
    }
    S3Uri uri = parse(location, "data");
    List<String> keys =
        uri.key().endsWith("/") ? list(uri.bucket(), uri.key()) : List.of(uri.key());
    if (keys.isEmpty()) {
      throw new BadInputException("data location " + location + " has no objects");
    }
    List<Path> files = new ArrayList<>();
    try {
      Path dir = Files.createDirectories(workDir.resolve("data"));
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        Path file = dir.resolve(i + "-" + key.substring(key.lastIndexOf('/') + 1));
        fetch(uri.bucket(), key, file);
        files.add(file);
      }
    } catch (IOException e) {
      throw new TransientException("cannot prepare work directory " + workDir, e);
    }
    return files;
  }

  /**
   * Downloads the two PEFT files under {@code s3://bucket/prefix} into {@code dir}; false when the
   * adapter is absent.
   */
  public boolean adapter(String bucket, String prefix, Path dir, String weights, String config) {
    try {
      Files.createDirectories(dir);
      fetch(bucket, prefix + config, dir.resolve(config));
      fetch(bucket, prefix + weights, dir.resolve(weights));
      return true;
    } catch (MissingObject e) {
      return false;
    } catch (IOException e) {
      throw new TransientException("cannot prepare " + dir, e);
    }
  }

  private List<String> list(String bucket, String prefix) {
    try {
      return storage.bucket(bucket).list(prefix).stream().sorted().toList();
    } catch (IOException e) {
      throw new TransientException("cannot list s3://" + bucket + "/" + prefix, e);
    }
  }

  private void fetch(String bucket, String key, Path file) {
    ObjectStore store = storage.bucket(bucket);
    try {
      store.getToFile(key, file);
    } catch (NoSuchObjectException e) {
      throw new MissingObject("s3://" + bucket + "/" + key + " does not exist", e);
    } catch (IOException e) {
      throw new TransientException("cannot download s3://" + bucket + "/" + key, e);
    }
  }

  private static S3Uri parse(String location, String what) {
    try {
      return S3Uri.parse(location);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(what + " location " + location + ": " + e.getMessage(), e);
    }
  }

  /** A referenced object does not exist (bad input unless the caller expects it). */
  static final class MissingObject extends BadInputException {
    private static final long serialVersionUID = 1L;

    MissingObject(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
