package dev.flotilla.packaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed Dockerfile: its instructions per build stage, with {@code ARG} defaults substituted the
 * way BuildKit does when no {@code --build-arg} is given.
 */
public final class Dockerfile {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

  /**
   * One instruction.
   *
   * @param keyword upper-case instruction, e.g. {@code COPY}
   * @param arguments the rest of the line, variables substituted
   * @param stage index of the build stage it belongs to ({@code -1} before the first FROM)
   */
  public record Instruction(String keyword, String arguments, int stage) {

    /** The whitespace-separated words of {@link #arguments()}. */
    public List<String> words() {
      return List.of(arguments.trim().split("\\s+"));
    }
  }

  private final Path file;
  private final List<Instruction> instructions = new ArrayList<>();
  private final Map<String, String> globalArgs = new LinkedHashMap<>();
  private final Map<String, String> argDefaults = new LinkedHashMap<>();
  private int stages;

  /** Parses {@code file}. */
  public Dockerfile(Path file) {
    this.file = file;
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    Map<String, String> stageArgs = new LinkedHashMap<>();
    StringBuilder logical = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      if (logical.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue; // comment line inside a continued instruction
      }
      if (trimmed.endsWith("\\")) {
        logical.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      logical.append(trimmed);
      String instruction = logical.toString().strip();
      logical.setLength(0);
      if (instruction.isEmpty()) {
        continue;
      }
      String[] parts = instruction.split("\\s+", 2);
      String keyword = parts[0].toUpperCase();
      String arguments = parts.length > 1 ? parts[1] : "";
      if (keyword.equals("FROM")) {
        stages++;
        stageArgs = new LinkedHashMap<>();
        instructions.add(new Instruction(keyword, substitute(arguments, globalArgs), stages - 1));
        continue;
      }
      if (keyword.equals("ARG")) {
        declareArg(arguments, stages == 0 ? globalArgs : stageArgs);
      }
      instructions.add(new Instruction(keyword, substitute(arguments, stageArgs), stages - 1));
    }
  }

  private void declareArg(String arguments, Map<String, String> scope) {
    String[] nameValue = arguments.strip().split("=", 2);
    String name = nameValue[0];
    if (nameValue.length == 2) {
      scope.put(name, substitute(nameValue[1], scope));
      argDefaults.putIfAbsent(name, scope.get(name));
    } else if (scope != globalArgs && globalArgs.containsKey(name)) {
      scope.put(name, globalArgs.get(name)); // a stage re-declares a global ARG to use it
    } else {
      scope.put(name, null);
    }
  }

  private String substitute(String text, Map<String, String> args) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = args.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** The file this was parsed from. */
  public Path file() {
    return file;
  }

  /** The default value of a global (before the first FROM) {@code ARG}, or null. */
  public String globalArg(String name) {
    return globalArgs.get(name);
  }

  /** The default of the first declaration of {@code ARG name} with a value, in any stage. */
  public String argDefault(String name) {
    return argDefaults.get(name);
  }

  /** Number of build stages. */
  public int stages() {
    return stages;
  }

  /** All instructions with {@code keyword}, in order. */
  public List<Instruction> all(String keyword) {
    return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** Instructions with {@code keyword} in the final stage (the image that is shipped). */
  public List<Instruction> inFinalStage(String keyword) {
    return all(keyword).stream().filter(i -> i.stage() == stages - 1).toList();
  }

  /**
   * The build-context sources of every {@code COPY}/{@code ADD} without {@code --from}: the
   * instruction's words except options and the destination.
   */
  public List<String> contextSources() {
    List<String> sources = new ArrayList<>();
    for (Instruction copy : instructions) {
      if (!copy.keyword().equals("COPY") && !copy.keyword().equals("ADD")) {
        continue;
      }
      List<String> words = copy.words();
      if (words.stream().anyMatch(w -> w.startsWith("--from"))) {
        continue;
      }
      List<String> paths = words.stream().filter(w -> !w.startsWith("--")).toList();
      sources.addAll(paths.subList(0, paths.size() - 1));
    }
    return sources;
  }
}
