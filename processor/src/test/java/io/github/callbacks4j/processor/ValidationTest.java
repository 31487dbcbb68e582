package io.github.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.github.callbacks4j.processor.Compiled.compile;
import static io.github.callbacks4j.processor.Compiled.source;

import com.google.testing.compile.Compilation;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.ForwardingJavaFileObject;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every rule of API.md's "What an annotated method may declare", broken once, on the right line. */
class ValidationTest {

  private static JavaFileObject hooks(String... members) {
    String[] lines = new String[members.length + 5];
    lines[0] = "package test;";
    lines[1] = "import io.github.callbacks4j.*;";
    lines[2] = "import java.util.OptionalDouble;";
    lines[3] = "public class Hooks {";
    System.arraycopy(members, 0, lines, 4, members.length);
    lines[lines.length - 1] = "}";
    return source("test.Hooks", lines);
  }

  /** Fails with exactly one error, carrying {@code rule}'s id and {@code text}, on {@code line}. */
  private static void assertSingleError(JavaFileObject src, String rule, String text, String line) {
    Compilation compilation = compile(src);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[callbacks4j." + rule + "]")
        .inFile(src).onLineContaining(line);
    assertThat(compilation).hadErrorContaining(text).inFile(src).onLineContaining(line);
  }

  @Test
  void privateMethod() {
    assertSingleError(hooks("  @OnEpochEnd private void save() {}"),
        "bad-modifier", "@OnEpochEnd method save() must not be private", "void save()");
  }

  @Test
  void staticMethod() {
    assertSingleError(hooks("  @OnTrainEnd static void done(Logs logs) {}"),
        "bad-modifier", "@OnTrainEnd method done(Logs) must not be static", "void done");
  }

  @Test
  void nonVoidReturn() {
    assertSingleError(hooks("  @OnTrainBatchEnd boolean batch(int b) { return true; }"),
        "bad-return", "@OnTrainBatchEnd method batch(int) must return void, not boolean",
        "boolean batch");
  }

  @Test
  void genericMethod() {
    assertSingleError(hooks("  @OnTestEnd <T> void end(Logs logs) {}"),
        "generic-method", "@OnTestEnd method end(Logs) must not declare type parameters",
        "void end");
  }

  @Test
  void intOnHookWithoutIndexNamesTheHookAndWhatIsAllowed() {
    assertSingleError(hooks("  @OnTrainBegin void start(", "      int epoch) {}"),
        "bad-parameter",
        "@OnTrainBegin method start(int) cannot declare int parameter 'epoch': @OnTrainBegin has no"
            + " epoch or batch index. @OnTrainBegin methods may declare: Logs, Model, Params,"
            + " @Metric(\"key\") double, @Metric(\"key\") OptionalDouble.",
        "int epoch");
  }

  @Test
  void unsupportedParameterType() {
    assertSingleError(hooks("  @OnEpochEnd void end(int epoch,", "      String name) {}"),
        "bad-parameter",
        "cannot declare parameter 'name' of type java.lang.String. @OnEpochEnd methods may"
            + " declare: int (the epoch index), Logs, Model, Params",
        "String name");
  }

  @Test
  void unannotatedOptionalDoubleGetsTheHintToo() {
    assertSingleError(hooks("  @OnEpochEnd void end(OptionalDouble loss) {}"),
        "bad-parameter", "To receive a log value, annotate it with @Metric(\"key\")",
        "OptionalDouble loss");
  }

  @Test
  void boxedIntegerIsNotAnIndex() {
    assertSingleError(hooks("  @OnTrainBatchBegin void begin(Integer batch) {}"),
        "bad-parameter", "int (the batch index)", "Integer batch");
  }

  @Test
  void unannotatedDoubleGetsAHint() {
    assertSingleError(hooks("  @OnEpochEnd void end(double loss) {}"),
        "bad-parameter", "To receive a log value, annotate it with @Metric(\"key\")", "double loss");
  }

  @Test
  void duplicateLogs() {
    assertSingleError(hooks("  @OnEpochEnd void end(Logs a,", "      Logs b) {}"),
        "duplicate-parameter", "parameter 'b' repeats the Logs of parameter 'a'", "Logs b)");
  }

  @Test
  void duplicateIndex() {
    assertSingleError(hooks("  @OnEpochBegin void begin(int a,", "      int b) {}"),
        "duplicate-parameter", "@OnEpochBegin method begin(int, int): parameter 'b' repeats the int"
            + " index", "int b)");
  }

  @Test
  void duplicateModelAndParams() {
    JavaFileObject src = hooks(
        "  @OnTrainBegin void a(Model m1,", "      Model m2) {}",
        "  @OnTrainEnd void b(Params p1,", "      Params p2) {}");
    Compilation compilation = compile(src);
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("repeats the Model").inFile(src).onLineContaining("Model m2");
    assertThat(compilation).hadErrorContaining("repeats the Params").inFile(src).onLineContaining("Params p2");
  }

  @Test
  void metricOfWrongType() {
    assertSingleError(hooks("  @OnEpochEnd void end(", "      @Metric(\"loss\") float loss) {}"),
        "bad-metric-type",
        "@Metric(\"loss\") parameter 'loss' of @OnEpochEnd method end(float) has type float."
            + " Allowed: double (NaN when the key is absent) or java.util.OptionalDouble",
        "float loss");
  }

  @Test
  void metricOfBoxedDouble() {
    assertSingleError(hooks("  @OnEpochEnd void end(@Metric(\"loss\") Double loss) {}"),
        "bad-metric-type", "has type java.lang.Double", "Double loss");
  }

  @Test
  void emptyMetricKey() {
    assertSingleError(hooks("  @OnTrainBatchEnd void end(@Metric(\"\") double x) {}"),
        "empty-metric-key", "@Metric(\"\") parameter 'x' of @OnTrainBatchEnd method end(double) has"
            + " an empty key", "double x");
  }

  @Test
  void metricOnMethodWithoutHook() {
    assertSingleError(hooks("  void helper(@Metric(\"loss\") double loss) {}"),
        "metric-without-hook", "@Metric on parameter 'loss' of method helper(double) has no effect",
        "double loss");
  }

  @Test
  void metricKeyWithSpacesIsAWarningAndStillGenerates() {
    JavaFileObject src = hooks("  @OnEpochEnd void end(@Metric(\"val loss\") double v) {}");
    Compilation compilation = compile(src);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining("[callbacks4j.metric-key-whitespace]")
        .inFile(src).onLineContaining("double v");
    assertThat(compilation).generatedSourceFile("test.Hooks_Callback");
  }

  @Test
  void validationKeyOnBatchHookIsAWarning() {
    JavaFileObject src = hooks("  @OnTrainBatchEnd @OnEpochEnd void end(@Metric(\"val_loss\") double v) {}");
    Compilation compilation = compile(src);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningContaining(
            "[callbacks4j.metric-never-logged] @Metric(\"val_loss\") parameter 'v' of"
                + " @OnEpochEnd/@OnTrainBatchEnd method end(double): val_ keys appear only in"
                + " @OnEpochEnd and @OnTrainEnd logs, so on @OnTrainBatchEnd")
        .inFile(src).onLineContaining("double v");
  }

  @Test
  void validationKeysOnEpochAndTrainEndAreFine() {
    Compilation compilation = compile(hooks(
        "  @OnEpochEnd @OnTrainEnd void end(@Metric(\"val_loss\") double v) {}"));
    assertThat(compilation).succeededWithoutWarnings();
  }

  /** The hooks are named in their Hook order, the same in every run. */
  @Test
  void validationKeyWarningNamesEachHookWithoutValidationLogs() {
    JavaFileObject src = hooks("  @OnPredictEnd @OnEpochEnd @OnTestBatchEnd @OnTrainBatchBegin",
        "  void end(@Metric(\"val_loss\") OptionalDouble v) {}");
    Compilation compilation = compile(src);
    assertThat(compilation).succeeded();
    assertThat(compilation).hadWarningCount(1);
    assertThat(compilation).hadWarningContaining("[callbacks4j.metric-never-logged]"
            + " @Metric(\"val_loss\") parameter 'v' of"
            + " @OnEpochEnd/@OnTrainBatchBegin/@OnTestBatchEnd/@OnPredictEnd method end(OptionalDouble):"
            + " val_ keys appear only in @OnEpochEnd and @OnTrainEnd logs, so on"
            + " @OnTrainBatchBegin/@OnTestBatchEnd/@OnPredictEnd the value will always be missing.")
        .inFile(src).onLineContaining("OptionalDouble v");
  }

  @Test
  void methodOnSeveralHooksMustFitEach() {
    assertSingleError(hooks("  @OnEpochEnd @OnTrainEnd void both(int epoch) {}"),
        "bad-parameter", "@OnTrainEnd/@OnEpochEnd method both(int) cannot declare int parameter"
            + " 'epoch': @OnTrainEnd has no epoch or batch index", "int epoch");
  }

  @Test
  void privateNestedClass() {
    assertSingleError(hooks("  private static class Nested {", "    @OnEpochEnd void end() {}", "  }"),
        "bad-class", "@OnEpochEnd method end() is in private class test.Hooks.Nested, which the"
            + " generated adapter Hooks_Nested_Callback cannot reach", "void end()");
  }

  @Test
  void classInsidePrivateClass() {
    assertSingleError(
        hooks("  private static class Outer {", "    static class Nested {",
            "      @OnEpochEnd void end() {}", "    }", "  }"),
        "bad-class", "is in private class test.Hooks.Outer", "void end()");
  }

  @Test
  void localClass() {
    assertSingleError(
        hooks("  void train() {", "    class Local {", "      @OnEpochEnd void end() {}", "    }", "  }"),
        "bad-class", "@OnEpochEnd method end is in local class Local, for which no adapter can be"
            + " generated", "void end()");
  }

  /**
   * The local-class check reads each source again, after javac parsed it; when that read fails,
   * the file is scanned anyway rather than skipped.
   */
  @Test
  void localClassInASourceThatCannotBeReadASecondTime() {
    JavaFileObject src = hooks("  void train() {", "    class Local {",
        "      @OnEpochEnd void end() {}", "    }", "  }");
    JavaFileObject failingSecondRead = new ForwardingJavaFileObject<>(src) {
      private int reads;

      @Override
      public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
        if (++reads == 2) {
          throw new IOException("source gone");
        }
        return super.getCharContent(ignoreEncodingErrors);
      }
    };
    assertSingleError(failingSecondRead, "bad-class",
        "@OnEpochEnd method end is in local class Local", "void end()");
  }

  @Test
  void localClassWithATestHook() {
    assertSingleError(
        hooks("  void evaluate() {", "    class Local {", "      @OnTestEnd void end() {}", "    }", "  }"),
        "bad-class", "@OnTestEnd method end is in local class Local", "void end()");
  }

  @Test
  void anonymousClassWithAPredictHook() {
    assertSingleError(
        hooks("  Object cb = new Object() {", "    @OnPredictBegin void begin() {}", "  };"),
        "bad-class", "@OnPredictBegin method begin is in an anonymous class", "void begin()");
  }

  @Test
  void anonymousClass() {
    assertSingleError(
        hooks("  Object cb = new Object() {", "    @OnTrainBatchEnd void batch(int b) {}", "  };"),
        "bad-class", "@OnTrainBatchEnd method batch is in an anonymous class", "void batch");
  }

  @Test
  void interfaceMethods() {
    JavaFileObject src = source("test.Hooks",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public interface Hooks {",
        "  @OnEpochEnd default void end() {}",
        "}");
    assertSingleError(src, "bad-class", "@OnEpochEnd method end() is declared in interface Hooks."
        + " Hook methods belong in a class", "void end()");
  }

  @Test
  void annotationTypeMembers() {
    JavaFileObject src = source("test.Hooks",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public @interface Hooks {",
        "  @OnEpochEnd int end();",
        "}");
    assertSingleError(src, "bad-class", "@OnEpochEnd method end() is declared in annotation Hooks."
        + " Hook methods belong in a class", "int end()");
  }

  @Test
  void inheritedNonPublicMethodFromAnotherPackage() {
    JavaFileObject base = source("other.Base",
        "package other;",
        "import io.github.callbacks4j.*;",
        "public class Base {",
        "  @OnEpochEnd protected void end() {}",
        "}");
    JavaFileObject sub = source("test.Sub",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public class Sub extends other.Base {",
        "  @OnTrainEnd void done() {}",
        "}");
    Compilation compilation = compile(base, sub);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[callbacks4j.inaccessible-method] @OnEpochEnd method"
            + " end() inherited from other.Base is not public, so the adapter in test cannot call it."
            + " Make it public in Base, or override it in Sub.")
        .inFile(sub).onLineContaining("class Sub");
  }

  @Test
  void invalidHookInheritedFromAJarIsReportedOnTheSubclass(@TempDir Path dir) throws Exception {
    // A superclass compiled without the processor, as a jar on the classpath would ship it.
    JavaFileObject base = source("lib.Base",
        "package lib;",
        "import io.github.callbacks4j.*;",
        "public class Base {",
        "  @OnTrainBegin public void start(int epoch) {}",
        "}");
    Compilation library = com.google.testing.compile.Compiler.javac()
        .withOptions("-proc:none").compile(base);
    assertThat(library).succeeded();
    Compiled.writeClasses(library, dir);
    JavaFileObject sub = source("test.Sub",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public class Sub extends lib.Base {",
        "  @OnTrainEnd void done() {}",
        "}");
    Compilation compilation = Compiled.compileWithClasspath(classpathWith(dir), sub);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[callbacks4j.bad-parameter] Sub inherits an invalid"
            + " hook: @OnTrainBegin method start(int) cannot declare int parameter")
        .inFile(sub).onLineContaining("class Sub");
  }

  @Test
  void invalidHookInheritedFromSourceIsReportedOnceOnTheSuperclass() {
    JavaFileObject base = source("test.Base",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public class Base {",
        "  @OnTrainBegin void start(int epoch) {}",
        "}");
    JavaFileObject sub = source("test.Sub",
        "package test;",
        "import io.github.callbacks4j.*;",
        "public class Sub extends Base {",
        "  @OnTrainEnd void done() {}",
        "}");
    Compilation compilation = compile(base, sub);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[callbacks4j.bad-parameter]")
        .inFile(base).onLineContaining("int epoch");
  }

  @Test
  void everyErrorOfACompilationIsReported() {
    JavaFileObject src = hooks(
        "  @OnEpochEnd private void a() {}",
        "  @OnTrainBegin void b(int i) {}",
        "  @OnTestEnd int c() { return 0; }",
        "  @OnPredictBatchEnd void d(@Metric(\"\") double x) {}");
    Compilation compilation = compile(src);
    assertThat(compilation).hadErrorCount(4);
    assertThat(compilation).hadErrorContaining("bad-modifier").inFile(src).onLineContaining("void a()");
    assertThat(compilation).hadErrorContaining("bad-parameter").inFile(src).onLineContaining("void b(");
    assertThat(compilation).hadErrorContaining("bad-return").inFile(src).onLineContaining("int c()");
    assertThat(compilation).hadErrorContaining("empty-metric-key").inFile(src).onLineContaining("void d(");
  }

  @Test
  void generatesOnlyForValidClassesAndGoesOnAfterErrors(@TempDir Path dir) throws Exception {
    JavaFileObject bad = source("test.Bad", "package test;", "import io.github.callbacks4j.*;",
        "public class Bad {", "  @OnEpochEnd static void end() {}", "}");
    JavaFileObject good = source("test.Good", "package test;", "import io.github.callbacks4j.*;",
        "public class Good {", "  @OnEpochEnd void end() {}", "}");
    Compiled.Run run = Compiled.javac(dir, bad, good);
    assertThat(run.succeeded()).isFalse();
    assertThat(run.messages(Diagnostic.Kind.ERROR))
        .containsExactly("[callbacks4j.bad-modifier] @OnEpochEnd method end() must not be static:"
            + " hooks run on the object passed to fit. Allowed: instance methods.");
    assertThat(run.generatedSource("test.Good_Callback")).isTrue();
    assertThat(run.generatedSource("test.Bad_Callback")).isFalse();
  }

  /**
   * The subclass's adapter would call the superclass's invalid method: it is not generated, and the
   * error is not repeated on the subclass (the superclass, compiled now, reports it).
   */
  @Test
  void aSubclassOfAnInvalidClassGetsNoAdapter(@TempDir Path dir) throws Exception {
    JavaFileObject base = source("test.Base", "package test;", "import io.github.callbacks4j.*;",
        "public class Base {", "  @OnTrainBegin void start(int epoch) {}", "}");
    JavaFileObject sub = source("test.Sub", "package test;", "import io.github.callbacks4j.*;",
        "public class Sub extends Base {", "  @OnTrainEnd void done() {}", "}");
    Compiled.Run run = Compiled.javac(dir, base, sub);
    assertThat(run.succeeded()).isFalse();
    assertThat(run.messages(Diagnostic.Kind.ERROR)).containsExactly("[callbacks4j.bad-parameter]"
        + " @OnTrainBegin method start(int) cannot declare int parameter 'epoch': @OnTrainBegin has"
        + " no epoch or batch index. @OnTrainBegin methods may declare: Logs, Model, Params,"
        + " @Metric(\"key\") double, @Metric(\"key\") OptionalDouble.");
    assertThat(run.generatedSource("test.Base_Callback")).isFalse();
    assertThat(run.generatedSource("test.Sub_Callback")).isFalse();
  }

  @Test
  void undefinedParameterTypeIsLeftToJavacAndNamed() {
    JavaFileObject src = hooks("  @OnEpochEnd void end(Missing m) {}");
    Compilation compilation = compile(src);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining("cannot find symbol");
    assertThat(compilation).hadErrorContaining("[callbacks4j.undefined-type] did not generate test.Hooks's adapter");
  }

  @Test
  void undefinedSuperclassIsLeftToJavacAndNamed() {
    JavaFileObject src = source("test.Hooks", "package test;", "import io.github.callbacks4j.*;",
        "public class Hooks extends Missing {", "  @OnEpochEnd void end() {}", "}");
    Compilation compilation = compile(src);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(src)
        .onLineContaining("extends Missing");
    assertThat(compilation).hadErrorContaining("[callbacks4j.undefined-type] did not generate"
            + " test.Hooks's adapter because its hook methods reference types that do not exist;"
            + " fix the other compile errors first.")
        .inFile(src).onLineContaining("class Hooks");
  }

  /** Type-use annotations (JSpecify's @Nullable, say) do not change what a parameter receives. */
  @Test
  void typeUseAnnotatedParametersAreAccepted() {
    Compilation compilation = compile(hooks(
        "  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE_USE)",
        "  @interface Nullable {}",
        "  @OnEpochEnd void end(@Nullable Logs logs, @Nullable Model model, @Nullable Params params,",
        "      @Metric(\"acc\") @Nullable OptionalDouble acc) {}"));
    assertThat(compilation).succeededWithoutWarnings();
    assertThat(compilation).generatedSourceFile("test.Hooks_Callback");
  }

  @Test
  void validClassesCompileWithoutWarnings() {
    Compilation compilation = compile(hooks(
        "  @OnEpochEnd public void a(int epoch, Logs logs, Model model, Params params,",
        "      @Metric(\"loss\") double loss, @Metric(\"acc\") OptionalDouble acc) {}",
        "  @OnTrainBegin protected void b() throws java.io.IOException {}",
        "  abstract static class Nested { @OnPredictEnd abstract void c(); }"));
    assertThat(compilation).succeededWithoutWarnings();
    List<Diagnostic.Kind> kinds = compilation.diagnostics().stream().map(Diagnostic::getKind).toList();
    assertThat(kinds).doesNotContain(Diagnostic.Kind.ERROR);
  }

  private static List<File> classpathWith(Path dir) {
    List<File> classpath = new java.util.ArrayList<>();
    classpath.add(dir.toFile());
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    return classpath;
  }
}
