package dev.flotilla.local.spec;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles and evaluates {@code x-kubernetes-validations} rules the way the API server does on
 * create: {@code self} is the value at the rule's schema node; {@code oldSelf} (transition) rules
 * do not apply to a new object and are skipped.
 */
final class CelRules {
  private final Cel cel;
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  CelRules() {
    CelOptions options =
        CelOptions.current()
            .enableHeterogeneousNumericComparisons(true)
            .comprehensionMaxIterations(100_000)
            .build();
    cel =
        CelFactory.standardCelBuilder()
            .setOptions(options)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("self", SimpleType.DYN)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.lists())
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.lists())
            .build();
  }

  /** Whether the rule is a transition rule (refers to {@code oldSelf}). */
  static boolean isTransitionRule(String rule) {
    return rule.matches("(?s).*\\boldSelf\\b.*");
  }

  /**
   * Evaluates {@code rule} with {@code self} bound to {@code value}.
   *
   * @return the rule's result (a Boolean for rules, a String for message expressions)
   * @throws IllegalArgumentException when the rule does not compile or fails to evaluate
   */
  Object evaluate(String rule, Object value) {
    CelRuntime.Program program = programs.computeIfAbsent(rule, this::compile);
    try {
      return program.eval(Map.of("self", value));
    } catch (CelEvaluationException e) {
      throw new IllegalArgumentException("rule " + rule + " failed: " + e.getMessage(), e);
    }
  }

  private CelRuntime.Program compile(String rule) {
    try {
      return cel.createProgram(cel.compile(rule).getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException(
          "rule " + rule + " does not compile: " + e.getMessage(), e);
    }
  }
}
