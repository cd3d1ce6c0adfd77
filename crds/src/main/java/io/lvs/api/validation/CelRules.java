package io.lvs.api.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
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

/**
 * Compiles and evaluates {@code x-kubernetes-validations} rules the way a 1.25+ API server does:
 * {@code self} is the value at the schema node that carries the rule, objects and maps are CEL
 * maps, integers are CEL ints, and {@code self} is typed from the schema so a rule naming an
 * unknown field does not compile.
 */
final class CelRules {
  private final CelCompiler compiler =
      CelCompilerFactory.standardCelCompilerBuilder()
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addLibraries(CelExtensions.strings())
          .build();
  private final CelRuntime runtime =
      CelRuntimeFactory.standardCelRuntimeBuilder().addLibraries(CelExtensions.strings()).build();

  /**
   * Compiles {@code rule} with {@code self} typed from {@code schema}, as the API server does;
   * throws if it does not compile (a defect in the API types, found when the validator is built).
   */
  CelRuntime.Program compile(String rule, JsonNode schema, String where) {
    SchemaTypes types = new SchemaTypes();
    CelType self = types.typeOf(schema, where);
    try {
      CelAbstractSyntaxTree ast =
          compiler.toCompilerBuilder().setTypeProvider(types).addVar("self", self).build().compile(rule).getAst();
      if (!ast.getResultType().equals(SimpleType.BOOL)) {
        throw new IllegalArgumentException("CEL rule at " + where + " is not a bool: " + rule);
      }
      return runtime.createProgram(ast);
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalArgumentException("CEL rule does not compile at " + where + ": " + rule + ": " + e.getMessage(), e);
    }
  }

  /**
   * Evaluates a compiled rule with {@code self} bound as in {@link #bind}.
   *
   * @return null when the rule holds, "" when it is false, else why evaluation failed
   */
  String check(CelRuntime.Program program, Map<String, Object> bindings) {
    try {
      Object result = program.eval(bindings);
      if (Boolean.TRUE.equals(result)) {
        return null;
      }
      return Boolean.FALSE.equals(result) ? "" : "rule did not evaluate to a bool: " + result;
    } catch (CelEvaluationException e) {
      return "rule could not be evaluated: " + e.getMessage();
    }
  }

  /** The variables of one evaluation: {@code self} as CEL sees {@code value}. */
  static Map<String, Object> bind(JsonNode value) {
    return Map.of("self", toCel(value));
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
