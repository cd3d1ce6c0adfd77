package io.lvs.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles and evaluates {@code x-kubernetes-validations} rules the way a 1.25+ API server does:
 * {@code self} is the value at the schema node that carries the rule, objects and maps are CEL
 * maps, integers are CEL ints. Programs are compiled once per rule text.
 */
final class CelRules {
  private final CelCompiler compiler =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addLibraries(CelExtensions.strings())
          .addVar("self", SimpleType.DYN)
          .build();
  private final CelRuntime runtime =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();
  private final Map<String, CelRuntime.Program> programs = new ConcurrentHashMap<>();

  /** Compiles {@code rule}; throws if it does not compile (a defect in the API types). */
  CelRuntime.Program program(String rule) {
    return programs.computeIfAbsent(rule, CelRules.this::compile);
  }

  private CelRuntime.Program compile(String rule) {
    try {
      CelAbstractSyntaxTree ast = compiler.compile(rule).getAst();
      return runtime.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException("CEL rule does not compile: " + rule + ": " + e.getMessage(), e);
    }
  }

  /**
   * Evaluates {@code rule} with {@code self} bound to {@code value}.
   *
   * @return null when the rule holds, else why not (the rule was false, or evaluation failed)
   */
  String check(String rule, JsonNode value) {
    try {
      Object result = program(rule).eval(Map.of("self", toCel(value)));
      if (Boolean.TRUE.equals(result)) {
        return null;
      }
      if (Boolean.FALSE.equals(result)) {
        return "";
      }
      return "rule did not evaluate to a bool (" + result + "): " + rule;
    } catch (CelEvaluationException e) {
      return "rule could not be evaluated: " + e.getMessage();
    }
  }

  /** JSON to the values CEL sees in Kubernetes: int64 for integers, maps and lists. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), toCel(e.getValue()));
        }
      }
      return Collections.unmodifiableMap(map);
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>(node.size());
      node.forEach(n -> list.add(toCel(n)));
      return Collections.unmodifiableList(list);
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asText();
  }
}
