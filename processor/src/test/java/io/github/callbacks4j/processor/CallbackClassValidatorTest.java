package io.github.callbacks4j.processor;

import static io.github.callbacks4j.processor.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;
import org.junit.jupiter.api.Test;

/** The class validator run on what javac does not show the processor, and on what it records. */
class CallbackClassValidatorTest {

  private static Optional<CallbackClass> validate(
      Analyzed analyzed, TypeElement type, ValidationReport report) {
    return new CallbackClassValidator(analyzed.elements(), new HookMethodValidator(), t -> true)
        .validate(type, report);
  }

  /**
   * javac gives processors no local or anonymous class (LocalClassHookChecker reports those), but
   * another compiler might: the validator refuses them too, on each hook method.
   */
  @Test
  void refusesLocalAndAnonymousClasses() {
    Analyzed analyzed = Analyzed.of(source("test.Trainer",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public class Trainer {",
        "  void train() {",
        "    class Local { @OnEpochEnd void end() {} @OnTrainEnd void done(Logs logs) {} }",
        "    Object anonymous = new Object() { @OnPredictBegin void begin() {} };",
        "  }",
        "}"));

    ValidationReport local = new ValidationReport();
    assertTrue(validate(analyzed, analyzed.type("Local"), local).isEmpty());
    String why = " is in a local class, for which no adapter can be generated. Declare a"
        + " top-level, static nested or inner class, or implement Callback directly.";
    assertEquals(List.of("[callbacks4j.bad-class] @OnEpochEnd method end()" + why,
        "[callbacks4j.bad-class] @OnTrainEnd method done(Logs)" + why), formatted(local));
    assertEquals(List.of("end", "done"), local.items().stream()
        .map(item -> item.element().getSimpleName().toString()).toList(), "on each method");

    ValidationReport anonymous = new ValidationReport();
    assertTrue(validate(analyzed, analyzed.anonymous(), anonymous).isEmpty());
    assertEquals(List.of("[callbacks4j.bad-class] @OnPredictBegin method begin() is in an"
        + " anonymous class, for which no adapter can be generated. Declare a top-level, static"
        + " nested or inner class, or implement Callback directly."), formatted(anonymous));
  }

  /**
   * The adapter is generated from the class and each superclass that declares hooks, so an
   * incremental build regenerates it when any of them changes; a superclass without hooks is not
   * one of them.
   */
  @Test
  void theAdapterOriginatesFromEveryClassThatDeclaresItsHooks() {
    Analyzed analyzed = Analyzed.of(source("test.Sub",
        "package test;",
        "import io.github.callbacks4j.*;",
        "class Base { @OnTrainBegin void start() {} }",
        "class Middle extends Base {}",
        "public class Sub extends Middle { @OnEpochEnd void end() {} }"));
    TypeElement sub = analyzed.type("Sub");
    ValidationReport report = new ValidationReport();
    CallbackClass valid = validate(analyzed, sub, report).orElseThrow();
    assertEquals(List.of(), report.items());
    List<Element> expected = List.of(analyzed.type("Base"), sub);
    assertEquals(expected, List.copyOf(valid.originatingTypes()));
    assertEquals(expected,
        new AdapterGenerator(true).generate(valid).typeSpec().originatingElements());
  }

  private static List<String> formatted(ValidationReport report) {
    report.items().forEach(item -> assertEquals(Diagnostic.Kind.ERROR, item.kind()));
    return report.items().stream().map(ValidationReport.Item::formatted).toList();
  }
}
