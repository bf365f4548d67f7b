package dev.flotilla.local.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds {@code java -cp <classpath> <main> <args>} command lines for child JVMs. */
public final class JavaCommand {
  private final String javaBinary;
  private final String classpath;
  private final List<String> jvmOptions;

  /** Child JVMs using {@code javaBinary}, {@code classpath} and {@code jvmOptions}. */
  public JavaCommand(String javaBinary, String classpath, List<String> jvmOptions) {
    this.javaBinary = javaBinary;
    this.classpath = classpath;
    this.jvmOptions = List.copyOf(jvmOptions);
  }

  /** Child JVMs with this JVM's java binary and class path. */
  public static JavaCommand ofCurrentJvm(List<String> jvmOptions) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new JavaCommand(java, System.getProperty("java.class.path"), jvmOptions);
  }

  /** The command line running {@code mainClass} with {@code args}. */
  public List<String> command(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }
}
