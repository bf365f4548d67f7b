package dev.flotilla.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Dockerfiles copy exactly what the Maven build of their module produces (checked after that
 * build ran in the same reactor), run as a numeric non-root user, and start the module's main
 * class.
 */
class DockerfileTest {

  /** Each Dockerfile with its build context (the module directory) and the module's main class. */
  static Stream<Arguments> images() {
    Path root = Repo.root();
    return Stream.of(
        Arguments.of(
            root.resolve("operator/src/main/docker/Dockerfile.jvm"),
            root.resolve("operator"),
            null),
        Arguments.of(
            root.resolve("trainer-image/Dockerfile"),
            root.resolve("trainer-image"),
            "dev.flotilla.trainer.TrainerMain"),
        Arguments.of(
            root.resolve("trainer-image/Dockerfile.cuda"),
            root.resolve("trainer-image"),
            "dev.flotilla.trainer.TrainerMain"),
        Arguments.of(
            root.resolve("aggregator-image/Dockerfile"),
            root.resolve("aggregator-image"),
            "dev.flotilla.aggregator.AggregatorMain"));
  }

  @ParameterizedTest
  @MethodSource("images")
  void copiesOnlyPathsTheModuleBuildProduced(Path file, Path context, String mainClass)
      throws IOException {
    Dockerfile dockerfile = new Dockerfile(file);
    List<String> sources = dockerfile.contextSources();

    assertThat(sources).as(file + " COPY sources").isNotEmpty();
    for (String source : sources) {
      assertThat(source).as(file + ": unresolved build argument").doesNotContain("$");
      List<Path> matches = glob(context, source);
      assertThat(matches)
          .as(file + " copies " + source + ", which the module build did not produce")
          .isNotEmpty();
      if (source.endsWith("/")) {
        assertThat(matches.get(0)).isDirectory();
        try (Stream<Path> children = Files.list(matches.get(0))) {
          assertThat(children).as(source + " is empty").isNotEmpty();
        }
      } else {
        assertThat(matches).as(file + ": " + source + " must name one file").hasSize(1);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("images")
  void dockerignoreLetsEveryCopiedPathThrough(Path file, Path context, String mainClass)
      throws IOException {
    Path ignore = file.resolveSibling(file.getFileName() + ".dockerignore");
    List<String> lines =
        Files.readAllLines(ignore).stream()
            .map(String::strip)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();

    assertThat(lines.get(0)).as(ignore + " excludes everything first").isEqualTo("*");
    List<PathMatcher> included =
        lines.stream().filter(l -> l.startsWith("!")).map(l -> matcher(l.substring(1))).toList();
    for (String source : new Dockerfile(file).contextSources()) {
      assertThat(included)
          .as(ignore + " re-includes " + source + " or a directory above it")
          .anySatisfy(m -> assertThat(selfOrAncestorMatches(m, Path.of(source))).isTrue());
    }
  }

  private static boolean selfOrAncestorMatches(PathMatcher matcher, Path path) {
    for (Path p = path; p != null; p = p.getParent()) {
      if (matcher.matches(p)) {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest
  @MethodSource("images")
  void runsAsANumericNonRootUserWithAnExplicitEntrypoint(
      Path file, Path context, String mainClass) {
    Dockerfile dockerfile = new Dockerfile(file);
    List<Dockerfile.Instruction> users = dockerfile.inFinalStage("USER");

    assertThat(users).as(file + " sets USER in its final stage").isNotEmpty();
    String user = users.get(users.size() - 1).arguments().strip();
    assertThat(user).as(file + " USER").matches("[0-9]+(:[0-9]+)?");
    assertThat(Long.parseLong(user.split(":")[0])).as(file + " UID").isPositive();
    assertThat(dockerfile.inFinalStage("ENTRYPOINT")).as(file + " ENTRYPOINT").hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("images")
  void startsTheModulesCompiledMainClass(Path file, Path context, String mainClass) {
    if (mainClass == null) {
      // The Quarkus runner picks its own main class; the fast-jar has it in its manifest.
      assertThat(context.resolve("target/quarkus-app/quarkus-run.jar")).isRegularFile();
      return;
    }
    String entrypoint = new Dockerfile(file).inFinalStage("ENTRYPOINT").get(0).arguments();

    assertThat(entrypoint).as(file + " ENTRYPOINT").contains("\"" + mainClass + "\"");
    assertThat(context.resolve("target/classes/" + mainClass.replace('.', '/') + ".class"))
        .as("compiled " + mainClass)
        .isRegularFile();
  }

  @ParameterizedTest
  @MethodSource("images")
  void takesItsBaseAsABuildArgumentWithAPublicDefaultAndStartsJavaItself(
      Path file, Path context, String mainClass) throws IOException {
    Dockerfile dockerfile = new Dockerfile(file);
    List<String> froms =
        Files.readAllLines(file).stream().filter(l -> l.startsWith("FROM ")).toList();

    // scripts/build-images.sh passes a Debian-built base here; users keep the public default.
    assertThat(froms.get(froms.size() - 1))
        .as(file + " final stage")
        .isEqualTo("FROM ${BASE_IMAGE}");
    assertThat(dockerfile.globalArg("BASE_IMAGE"))
        .as(file + " ARG BASE_IMAGE default")
        .matches("[a-z0-9.-]+(/[a-z0-9._-]+)*:[A-Za-z0-9._-]+");
    assertThat(froms)
        .as(file + ": every stage's base is a build argument")
        .allMatch(f -> f.matches("FROM \\$\\{[A-Z_]+}( AS [a-z]+)?"));
    // No launcher script of one particular base: the same command runs on every Java 17 base.
    assertThat(dockerfile.inFinalStage("ENTRYPOINT").get(0).arguments()).startsWith("[\"java\"");
  }

  @ParameterizedTest
  @MethodSource("images")
  void versionArgumentIsTheProjectVersion(Path file, Path context, String mainClass)
      throws IOException {
    Dockerfile dockerfile = new Dockerfile(file);
    if (dockerfile.all("ARG").stream().noneMatch(a -> a.arguments().startsWith("VERSION"))) {
      return;
    }
    assertThat(dockerfile.argDefault("VERSION"))
        .as(file + " ARG VERSION")
        .isEqualTo(rootProperty("version"));
  }

  @Test
  void cudaImageSwapsTheCpuNativesForTheFlavourThePytorchJniSupports() throws IOException {
    Path context = Repo.root().resolve("trainer-image");
    Dockerfile cuda = new Dockerfile(context.resolve("Dockerfile.cuda"));
    String version = cuda.globalArg("PYTORCH_VERSION");
    String flavor = cuda.globalArg("PYTORCH_FLAVOR");

    assertThat(version).isEqualTo(rootProperty("pytorch.version"));
    assertThat(cuda.all("RUN"))
        .anySatisfy(
            r ->
                assertThat(r.arguments())
                    .contains(
                        "ai.djl.pytorch:pytorch-native-"
                            + flavor
                            + ":"
                            + version
                            + ":jar:linux-x86_64"));
    assertThat(cuda.all("RUN"))
        .anySatisfy(
            r ->
                assertThat(r.arguments())
                    .contains("rm /opt/flotilla/lib/pytorch-native-cpu-*.jar"));
    assertThat(glob(context, "target/lib/pytorch-native-cpu-*.jar")).hasSize(1);

    List<Path> jni = glob(context, "target/lib/pytorch-jni-" + version + "-*.jar");
    assertThat(jni).as("pytorch-jni for PyTorch " + version + " in target/lib").hasSize(1);
    try (JarFile jar = new JarFile(jni.get(0).toFile())) {
      assertThat(jar.getEntry("jnilib/linux-x86_64/" + flavor + "/libdjl_torch.so"))
          .as(jni.get(0).getFileName() + " ships a " + flavor + " JNI library")
          .isNotNull();
    }
  }

  private static String rootProperty(String name) throws IOException {
    String pom = Files.readString(Repo.root().resolve("pom.xml"));
    String body = pom.substring(pom.indexOf("<artifactId>flotilla-parent</artifactId>"));
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(body);
    assertThat(m.find()).as("<" + name + "> in the root pom").isTrue();
    return m.group(1).strip();
  }

  private static PathMatcher matcher(String pattern) {
    return FileSystems.getDefault().getPathMatcher("glob:" + pattern.replaceAll("/$", ""));
  }

  private static List<Path> glob(Path context, String source) throws IOException {
    String pattern = source.replaceAll("/$", "");
    Path parent = context.resolve(pattern).getParent();
    if (!Files.isDirectory(parent)) {
      return List.of();
    }
    PathMatcher matcher = matcher(pattern);
    try (Stream<Path> children = Files.list(parent)) {
      return children.filter(p -> matcher.matches(context.relativize(p))).sorted().toList();
    }
  }
}
