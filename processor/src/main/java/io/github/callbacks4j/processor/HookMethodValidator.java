package io.github.callbacks4j.processor;

import static io.github.callbacks4j.processor.HookAnnotations.display;

import io.github.callbacks4j.Hook;
import io.github.callbacks4j.processor.HookMethod.Argument;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * Checks one hook method's own declaration: modifiers, return type, type parameters and each
 * parameter against each of its hooks. Errors go to the method or to the offending parameter.
 */
final class HookMethodValidator {
  private static final String API = "io.github.callbacks4j.";

  /** Validates {@code method}; returns its model when it produced no error. */
  Optional<HookMethod> validate(ExecutableElement method, ValidationReport report) {
    Set<Hook> hooks = HookAnnotations.hooksOf(method);
    String hookNames = display(hooks);
    String subject = hookNames + " method " + signature(method);
    int errorsBefore = errorCount(report);

    if (method.getModifiers().contains(Modifier.PRIVATE)) {
      report.error(Rule.BAD_MODIFIER, method, subject + " must not be private: the generated adapter"
          + " calls it directly. Allowed: public, protected or package-private instance methods.");
    }
    if (method.getModifiers().contains(Modifier.STATIC)) {
      report.error(Rule.BAD_MODIFIER, method, subject + " must not be static: hooks run on the"
          + " object passed to fit. Allowed: instance methods.");
    }
    if (method.getReturnType().getKind() != TypeKind.VOID) {
      report.error(Rule.BAD_RETURN, method, subject + " must return void, not "
          + method.getReturnType() + ": nothing would receive the result.");
    }
    if (!method.getTypeParameters().isEmpty()) {
      report.error(Rule.GENERIC_METHOD, method, subject + " must not declare type parameters "
          + method.getTypeParameters() + ": the adapter has no types to choose for them.");
    }

    List<Argument> arguments = new ArrayList<>();
    Map<Argument.Kind, VariableElement> seen = new EnumMap<>(Argument.Kind.class);
    for (VariableElement parameter : method.getParameters()) {
      Argument argument = classify(parameter, hooks, subject, report);
      if (argument == null) {
        continue;
      }
      arguments.add(argument);
      boolean single = argument.metricKey() == null;
      VariableElement earlier = seen.putIfAbsent(argument.kind(), parameter);
      if (single && earlier != null) {
        report.error(Rule.DUPLICATE_PARAMETER, parameter, subject + ": parameter '"
            + parameter.getSimpleName() + "' repeats the " + describe(argument.kind())
            + " of parameter '" + earlier.getSimpleName() + "'. Each of int, Logs, Model and"
            + " Params may be declared at most once; any number of @Metric parameters is fine.");
      }
    }
    return errorCount(report) == errorsBefore
        ? Optional.of(new HookMethod(method, hooks, List.copyOf(arguments)))
        : Optional.empty();
  }

  private Argument classify(
      VariableElement parameter, Set<Hook> hooks, String subject, ValidationReport report) {
    TypeMirror type = parameter.asType();
    String name = "'" + parameter.getSimpleName() + "'";
    Optional<String> metricKey = HookAnnotations.metricKeyOf(parameter);
    if (metricKey.isPresent()) {
      return classifyMetric(parameter, metricKey.get(), hooks, subject, report);
    }
    if (type.getKind() == TypeKind.INT) {
      List<Hook> withoutIndex =
          hooks.stream().filter(hook -> hook.index() == Hook.Index.NONE).toList();
      for (Hook hook : withoutIndex) {
        report.error(Rule.BAD_PARAMETER, parameter, subject + " cannot declare int parameter "
            + name + ": " + display(hook) + " has no epoch or batch index. "
            + allowed(hook));
      }
      return withoutIndex.isEmpty() ? Argument.of(Argument.Kind.INDEX) : null;
    }
    String typeName = qualifiedName(type);
    switch (typeName) {
      case API + "Logs":
        return Argument.of(Argument.Kind.LOGS);
      case API + "Model":
        return Argument.of(Argument.Kind.MODEL);
      case API + "Params":
        return Argument.of(Argument.Kind.PARAMS);
      default:
        String hint = typeName.equals("double") || typeName.equals("java.util.OptionalDouble")
            ? " To receive a log value, annotate it with @Metric(\"key\")."
            : "";
        report.error(Rule.BAD_PARAMETER, parameter, subject + " cannot declare parameter " + name
            + " of type " + type + "." + hint + " " + allowed(hooks));
        return null;
    }
  }

  private Argument classifyMetric(
      VariableElement parameter, String key, Set<Hook> hooks, String subject, ValidationReport report) {
    String where = "@Metric(\"" + key + "\") parameter '" + parameter.getSimpleName() + "' of "
        + subject;
    Argument.Kind kind;
    TypeMirror type = parameter.asType();
    if (type.getKind() == TypeKind.DOUBLE) {
      kind = Argument.Kind.METRIC_DOUBLE;
    } else if (qualifiedName(type).equals("java.util.OptionalDouble")) {
      kind = Argument.Kind.METRIC_OPTIONAL;
    } else {
      report.error(Rule.BAD_METRIC_TYPE, parameter, where + " has type " + type
          + ". Allowed: double (NaN when the key is absent) or java.util.OptionalDouble (empty"
          + " when absent).");
      return null;
    }
    if (key.isEmpty()) {
      report.error(Rule.EMPTY_METRIC_KEY, parameter, where + " has an empty key. Name a log key,"
          + " for example @Metric(\"loss\") or @Metric(\"val_accuracy\").");
      return null;
    }
    if (!key.strip().equals(key) || key.chars().anyMatch(Character::isWhitespace)) {
      report.warning(Rule.METRIC_KEY_WHITESPACE, parameter, where + ": the key contains"
          + " whitespace, which log keys never do, so the value will always be missing.");
    }
    if (key.startsWith("val_")) {
      Set<Hook> withoutValidation = hooks.stream()
          .filter(hook -> hook != Hook.EPOCH_END && hook != Hook.TRAIN_END)
          .collect(Collectors.toCollection(() -> EnumSet.noneOf(Hook.class)));
      if (!withoutValidation.isEmpty()) {
        report.warning(Rule.METRIC_NEVER_LOGGED, parameter, where + ": val_ keys appear only in"
            + " @OnEpochEnd and @OnTrainEnd logs, so on " + display(withoutValidation)
            + " the value will always be missing.");
      }
    }
    return new Argument(kind, key);
  }

  /** {@code @OnEpochEnd methods may declare: int (the epoch index), Logs, ...}. */
  static String allowed(Set<Hook> hooks) {
    return hooks.stream().map(HookMethodValidator::allowed).collect(Collectors.joining(" "));
  }

  static String allowed(Hook hook) {
    String index = switch (hook.index()) {
      case EPOCH -> "int (the epoch index), ";
      case BATCH -> "int (the batch index), ";
      case NONE -> "";
    };
    return display(hook) + " methods may declare: " + index + "Logs, Model, Params,"
        + " @Metric(\"key\") double, @Metric(\"key\") OptionalDouble.";
  }

  private static String describe(Argument.Kind kind) {
    return switch (kind) {
      case INDEX -> "int index";
      case LOGS -> "Logs";
      case MODEL -> "Model";
      case PARAMS -> "Params";
      case METRIC_DOUBLE, METRIC_OPTIONAL -> "@Metric";
    };
  }

  /** {@code save(int, Logs)}. */
  static String signature(ExecutableElement method) {
    return method.getSimpleName() + method.getParameters().stream()
        .map(p -> simpleName(p.asType()))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static String simpleName(TypeMirror type) {
    if (type.getKind() == TypeKind.DECLARED) {
      return ((DeclaredType) type).asElement().getSimpleName().toString();
    }
    return type.toString();
  }

  private static String qualifiedName(TypeMirror type) {
    if (type.getKind() == TypeKind.DECLARED) {
      return ((TypeElement) ((DeclaredType) type).asElement()).getQualifiedName().toString();
    }
    return type.toString();
  }

  private static int errorCount(ValidationReport report) {
    return (int) report.items().stream()
        .filter(item -> item.kind() == javax.tools.Diagnostic.Kind.ERROR)
        .count();
  }
}
