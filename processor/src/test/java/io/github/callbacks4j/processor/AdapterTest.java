package io.github.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static io.github.callbacks4j.processor.Compiled.load;
import static io.github.callbacks4j.processor.Compiled.newInstance;
import static io.github.callbacks4j.processor.Compiled.source;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.testing.compile.Compilation;
import io.github.callbacks4j.Callback;
import io.github.callbacks4j.CallbackException;
import io.github.callbacks4j.CallbackList;
import io.github.callbacks4j.Callbacks;
import io.github.callbacks4j.Hook;
import io.github.callbacks4j.LogKey;
import io.github.callbacks4j.Logs;
import io.github.callbacks4j.Model;
import io.github.callbacks4j.ModelState;
import io.github.callbacks4j.Params;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generated adapters call the right methods, with the right arguments, in the right order. */
class AdapterTest {
  private static final String HEADER =
      "import io.github.callbacks4j.*; import java.util.OptionalDouble;"
          + " import static io.github.callbacks4j.processor.Recorder.record;";

  @BeforeEach
  void clear() {
    Recorder.CALLS.clear();
  }

  @Test
  void everyHookIsCalledWithItsIndexAndLogs() {
    ClassLoader loader = load(source("test.All", "package test; " + HEADER,
        "public class All {",
        "  @OnTrainBegin void a(Logs l) { record(\"trainBegin \" + l); }",
        "  @OnTrainEnd void b(Logs l) { record(\"trainEnd \" + l); }",
        "  @OnEpochBegin void c(int e, Logs l) { record(\"epochBegin \" + e + \" \" + l); }",
        "  @OnEpochEnd void d(int e, Logs l) { record(\"epochEnd \" + e + \" \" + l); }",
        "  @OnTrainBatchBegin void e(int b, Logs l) { record(\"trainBatchBegin \" + b + \" \" + l); }",
        "  @OnTrainBatchEnd void f(int b, Logs l) { record(\"trainBatchEnd \" + b + \" \" + l); }",
        "  @OnTestBegin void g(Logs l) { record(\"testBegin \" + l); }",
        "  @OnTestEnd void h(Logs l) { record(\"testEnd \" + l); }",
        "  @OnTestBatchBegin void i(int b, Logs l) { record(\"testBatchBegin \" + b + \" \" + l); }",
        "  @OnTestBatchEnd void j(int b, Logs l) { record(\"testBatchEnd \" + b + \" \" + l); }",
        "  @OnPredictBegin void k(Logs l) { record(\"predictBegin \" + l); }",
        "  @OnPredictEnd void m(Logs l) { record(\"predictEnd \" + l); }",
        "  @OnPredictBatchBegin void n(int b, Logs l) { record(\"predictBatchBegin \" + b + \" \" + l); }",
        "  @OnPredictBatchEnd void o(int b, Logs l) { record(\"predictBatchEnd \" + b + \" \" + l); }",
        "}"));
    Callback callback = Callbacks.adapt(newInstance(loader, "test.All"));
    assertThat(callback.getClass().getName()).isEqualTo("test.All_Callback");
    assertThat(callback.implementedHooks()).containsExactlyElementsIn(EnumSet.allOf(Hook.class));

    Logs logs = Logs.of("loss", 0.5);
    callback.onTrainBegin(logs);
    callback.onEpochBegin(3, logs);
    callback.onTrainBatchBegin(4, logs);
    callback.onTrainBatchEnd(5, logs);
    callback.onTestBegin(logs);
    callback.onTestBatchBegin(6, logs);
    callback.onTestBatchEnd(7, logs);
    callback.onTestEnd(logs);
    callback.onEpochEnd(8, logs);
    callback.onTrainEnd(logs);
    callback.onPredictBegin(logs);
    callback.onPredictBatchBegin(9, logs);
    callback.onPredictBatchEnd(10, logs);
    callback.onPredictEnd(logs);
    assertThat(Recorder.CALLS).containsExactly(
        "trainBegin {loss=0.5}", "epochBegin 3 {loss=0.5}", "trainBatchBegin 4 {loss=0.5}",
        "trainBatchEnd 5 {loss=0.5}", "testBegin {loss=0.5}", "testBatchBegin 6 {loss=0.5}",
        "testBatchEnd 7 {loss=0.5}", "testEnd {loss=0.5}", "epochEnd 8 {loss=0.5}",
        "trainEnd {loss=0.5}", "predictBegin {loss=0.5}", "predictBatchBegin 9 {loss=0.5}",
        "predictBatchEnd 10 {loss=0.5}", "predictEnd {loss=0.5}").inOrder();
  }

  @Test
  void parametersInAnyOrderReceiveModelParamsAndMetrics() {
    ClassLoader loader = load(source("test.Args", "package test; " + HEADER,
        "public class Args {",
        "  public Object model; public Object params; public Object logs;",
        "  @OnEpochEnd void end(@Metric(\"acc\") OptionalDouble acc, Params p, Logs l, Model m,",
        "      int epoch, @Metric(\"loss\") double loss, @Metric(\"nope\") double nope,",
        "      @Metric(\"nope\") OptionalDouble none) {",
        "    model = m; params = p; logs = l;",
        "    record(epoch + \" \" + acc + \" \" + loss + \" \" + nope + \" \" + none);",
        "  }",
        "}"));
    Object target = newInstance(loader, "test.Args");
    Callback callback = Callbacks.adapt(target);
    Model model = new FixedModel();
    Params params = Params.of(10, 94, 1);
    callback.setModel(model);
    callback.setParams(params);
    Logs logs = Logs.of("loss", 0.25, "acc", 0.875);
    callback.onEpochEnd(2, logs);

    assertThat(Recorder.CALLS)
        .containsExactly("2 OptionalDouble[0.875] 0.25 NaN OptionalDouble.empty");
    assertSame(model, field(target, "model"));
    assertSame(params, field(target, "params"));
    assertSame(logs, field(target, "logs"));
    assertThat(callback.implementedHooks()).containsExactly(Hook.EPOCH_END);
  }

  @Test
  void methodsOfOneHookRunInSourceOrderAndOneMethodMayServeSeveralHooks() {
    ClassLoader loader = load(source("test.Order", "package test; " + HEADER,
        "public class Order {",
        "  @OnEpochEnd void zeta() { record(\"zeta\"); }",
        "  @OnEpochEnd @OnEpochBegin void alpha(int epoch) { record(\"alpha \" + epoch); }",
        "  @OnEpochEnd void mid() { record(\"mid\"); }",
        "}"));
    Callback callback = Callbacks.adapt(newInstance(loader, "test.Order"));
    callback.onEpochBegin(0, new Logs());
    callback.onEpochEnd(0, new Logs());
    assertThat(Recorder.CALLS).containsExactly("alpha 0", "zeta", "alpha 0", "mid").inOrder();
  }

  @Test
  void superclassHooksRunFirstAndAnOverriddenMethodRunsOnce() {
    ClassLoader loader = load(
        source("test.Base", "package test; " + HEADER,
            "public abstract class Base {",
            "  @OnEpochEnd void first() { record(\"Base.first\"); }",
            "  @OnEpochEnd void shared(int epoch) { record(\"Base.shared\"); }",
            "  @OnEpochEnd abstract void hook();",
            "}"),
        source("test.Sub", "package test; " + HEADER,
            "public class Sub extends Base {",
            "  @OnEpochEnd void own() { record(\"Sub.own\"); }",
            "  @Override void shared(int epoch) { record(\"Sub.shared \" + epoch); }",
            "  @Override @OnEpochEnd void hook() { record(\"Sub.hook\"); }",
            "}"),
        source("test.Leaf", "package test; " + HEADER,
            "public class Leaf extends Sub {",
            "  @Override void own() { record(\"Leaf.own\"); }",
            "}"));
    Callback sub = Callbacks.adapt(newInstance(loader, "test.Sub"));
    assertThat(sub.getClass().getName()).isEqualTo("test.Sub_Callback");
    sub.onEpochEnd(1, new Logs());
    assertThat(Recorder.CALLS)
        .containsExactly("Base.first", "Sub.shared 1", "Sub.hook", "Sub.own").inOrder();

    // A subclass with no hook annotations of its own is adapted by its nearest superclass's adapter.
    Recorder.CALLS.clear();
    Callback leaf = Callbacks.adapt(newInstance(loader, "test.Leaf"));
    assertThat(leaf.getClass().getName()).isEqualTo("test.Sub_Callback");
    leaf.onEpochEnd(1, new Logs());
    assertThat(Recorder.CALLS)
        .containsExactly("Base.first", "Sub.shared 1", "Sub.hook", "Leaf.own").inOrder();
  }

  @Test
  void hooksOfASuperclassFromAJarAreIncluded(@TempDir Path dir) throws Exception {
    Compilation library = Compiled.compile(source("lib.Base", "package lib; " + HEADER,
        "public class Base {",
        "  @OnTrainBegin public void start(Params params) { record(\"lib.Base.start \" + params.epochs()); }",
        "  @OnTrainEnd public void end() { record(\"lib.Base.end\"); }",
        "}"));
    com.google.testing.compile.CompilationSubject.assertThat(library).succeeded();
    Compiled.writeClasses(library, dir);
    List<File> classpath = new ArrayList<>(List.of(dir.toFile()));
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      classpath.add(new File(entry));
    }
    Compilation app = Compiled.compileWithClasspath(classpath, source("app.Hooks",
        "package app; " + HEADER,
        "public class Hooks extends lib.Base {",
        "  @OnTrainBegin void mine() { record(\"app.Hooks.mine\"); }",
        "}"));
    com.google.testing.compile.CompilationSubject.assertThat(app).succeeded();
    ClassLoader libraryLoader = new java.net.URLClassLoader(
        new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader());
    ClassLoader loader = Compiled.loaderOf(app, libraryLoader);

    Callback callback = Callbacks.adapt(newInstance(loader, "app.Hooks"));
    callback.setParams(Params.of(5, 10, 0));
    callback.onTrainBegin(new Logs());
    callback.onTrainEnd(new Logs());
    assertThat(Recorder.CALLS)
        .containsExactly("lib.Base.start 5", "app.Hooks.mine", "lib.Base.end").inOrder();
  }

  @Test
  void genericInnerAndNestedClasses() throws Exception {
    ClassLoader loader = load(source("test.Outer", "package test; " + HEADER,
        "public class Outer<T extends Number> {",
        "  @OnEpochEnd void outer(int e) { record(\"Outer \" + e); }",
        "  public class Inner<U> { @OnEpochEnd void inner(int e) { record(\"Inner \" + e); } }",
        "  static class Nested { @OnEpochEnd void nested(int e) { record(\"Nested \" + e); } }",
        "  public Inner<String> inner() { return new Inner<>(); }",
        "}"));
    Object outer = newInstance(loader, "test.Outer");
    Object inner = outer.getClass().getMethod("inner").invoke(outer);
    Callbacks.adapt(outer).onEpochEnd(1, new Logs());
    Callbacks.adapt(inner).onEpochEnd(2, new Logs());
    Callbacks.adapt(newInstance(loader, "test.Outer$Nested")).onEpochEnd(3, new Logs());
    assertThat(Recorder.CALLS).containsExactly("Outer 1", "Inner 2", "Nested 3").inOrder();
    assertThat(Callbacks.adapt(inner).getClass().getName()).isEqualTo("test.Outer_Inner_Callback");
  }

  @Test
  void exceptionsAreWrappedNamingClassMethodAndHook() {
    ClassLoader loader = load(source("test.Failing", "package test; " + HEADER,
        "public class Failing {",
        "  @OnEpochEnd void save() throws java.io.IOException { throw new java.io.IOException(\"disk full\"); }",
        "  @OnTrainBatchEnd void check() { throw new IllegalStateException(\"bad batch\"); }",
        "}"));
    Callback callback = Callbacks.adapt(newInstance(loader, "test.Failing"));

    CallbackException checked =
        assertThrows(CallbackException.class, () -> callback.onEpochEnd(0, new Logs()));
    assertThat(checked.callbackClass()).isEqualTo("test.Failing");
    assertThat(checked.method()).isEqualTo("save");
    assertThat(checked.hook()).isEqualTo(Hook.EPOCH_END);
    assertThat(checked.getCause()).isInstanceOf(java.io.IOException.class);
    assertThat(checked).hasMessageThat()
        .isEqualTo("test.Failing.save failed in @OnEpochEnd: java.io.IOException: disk full");

    CallbackException unchecked =
        assertThrows(CallbackException.class, () -> callback.onTrainBatchEnd(3, new Logs()));
    assertThat(unchecked.hook()).isEqualTo(Hook.TRAIN_BATCH_END);
    assertThat(unchecked.getCause()).hasMessageThat().isEqualTo("bad batch");
  }

  @Test
  void aClassCompiledWithoutTheProcessorGetsTheProcessorPathFix() {
    Compilation compilation = com.google.testing.compile.Compiler.javac().withOptions("-proc:none")
        .compile(source("test.NoProcessor", "package test; " + HEADER,
            "public class NoProcessor { @OnEpochEnd void end() {} }"));
    com.google.testing.compile.CompilationSubject.assertThat(compilation).succeeded();
    Object target = newInstance(Compiled.loaderOf(compilation, getClass().getClassLoader()),
        "test.NoProcessor");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(target));
    // The processor is on this test's classpath, so the likely cause is that it was told not to run.
    assertThat(e).hasMessageThat().startsWith("test.NoProcessor has hook annotations but no"
        + " generated adapter test.NoProcessor_Callback: callbacks4j-processor did not run when it"
        + " was compiled. Likely cause: callbacks4j-processor is on the classpath, but the compiler"
        + " ran no processors (-proc:none, <proc>none</proc>)");
    assertThat(e).hasMessageThat().contains("pin maven-compiler-plugin (3.5 or later reads"
        + " annotationProcessorPaths)");
    // The snippet carries this build's versions, not hard-coded ones.
    assertThat(e).hasMessageThat().contains("\n<plugin>\n"
        + "  <groupId>org.apache.maven.plugins</groupId>\n"
        + "  <artifactId>maven-compiler-plugin</artifactId>\n"
        + "  <version>" + System.getProperty("compilerPluginVersion") + "</version>\n"
        + "  <configuration>\n    <release>17</release>");
    assertThat(e).hasMessageThat().contains("<artifactId>callbacks4j-processor</artifactId>\n"
        + "        <version>" + System.getProperty("projectVersion") + "</version>");
    assertThat(e).hasMessageThat().endsWith("For Gradle (4.6 or later): annotationProcessor("
        + "\"io.github.callbacks4j:callbacks4j-processor:" + System.getProperty("projectVersion")
        + "\")");
  }

  /** Fresh classes, compiled without the processor, each refused with the reason that fits it. */
  @Test
  void whyAnObjectWithoutAnAdapterIsRefused() {
    Compilation compilation = com.google.testing.compile.Compiler.javac().withOptions("-proc:none")
        .compile(source("test.Base", "package test; " + HEADER,
            "public class Base { @OnEpochEnd void end() {} }"),
            source("test.Sub", "package test; public class Sub extends Base {}"),
            source("test.Plain", "package test; public class Plain {}"),
            source("test.Maker", "package test; " + HEADER, "public class Maker {",
                "  public static Object make() { return new Object() { @OnEpochEnd void end() {} }; }",
                "}"));
    com.google.testing.compile.CompilationSubject.assertThat(compilation).succeeded();
    ClassLoader loader = Compiled.loaderOf(compilation, getClass().getClassLoader());
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Callbacks.adapt(newInstance(loader, "test.Sub")))).hasMessageThat()
        .startsWith("test.Base has hook annotations but no generated adapter test.Base_Callback");
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Callbacks.adapt(newInstance(loader, "test.Plain")))).hasMessageThat()
        .startsWith("test.Plain is neither a Callback nor a class with hook annotations");
    Object anonymous;
    try {
      anonymous = loader.loadClass("test.Maker").getMethod("make").invoke(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    assertThat(assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(anonymous)))
        .hasMessageThat().startsWith("test.Maker$1 is a local or anonymous class; hook annotations"
            + " work only on top-level, static nested and inner classes.");
  }

  @Test
  void adaptersAreMarkedGeneratedAndListTheirMetricKeys() {
    Compilation compilation = Compiled.compile(source("test.Keys", "package test; " + HEADER,
        "public class Keys {",
        "  @OnEpochEnd void end(@Metric(\"val_acc\") double a, @Metric(\"loss\") OptionalDouble l) {}",
        "  @OnTrainBatchEnd void batch(@Metric(\"loss\") double l) {}",
        "  public static class Inner { @OnEpochBegin void begin(Logs logs) {} }",
        "}"));
    com.google.testing.compile.CompilationSubject.assertThat(compilation).succeeded();
    com.google.testing.compile.CompilationSubject.assertThat(compilation)
        .generatedSourceFile("test.Keys_Callback").contentsAsUtf8String()
        .contains("@Generated(\"io.github.callbacks4j.processor.CallbacksProcessor\")");
    ClassLoader loader = Compiled.loaderOf(compilation, getClass().getClassLoader());
    Callback keys = Callbacks.adapt(newInstance(loader, "test.Keys"));
    assertThat(keys.logKeys()).containsExactly(
        new LogKey(Hook.EPOCH_END, "val_acc", "test.Keys.end's @Metric"),
        new LogKey(Hook.EPOCH_END, "loss", "test.Keys.end's @Metric"),
        new LogKey(Hook.TRAIN_BATCH_END, "loss", "test.Keys.batch's @Metric")).inOrder();
    Callback inner = Callbacks.adapt(newInstance(loader, "test.Keys$Inner"));
    assertThat(inner.logKeys()).isEmpty();
  }

  @Test
  void anObjectWithoutHooksIsRejectedSayingWhy() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt("not a callback"));
    assertThat(e).hasMessageThat().startsWith("java.lang.String is neither a Callback nor a class"
        + " with hook annotations");
  }

  @Test
  void aClassInTheDefaultPackageGetsAnAdapterThere() {
    ClassLoader loader = load(source("Hooks", HEADER,
        "public class Hooks {",
        "  @OnEpochEnd void end(int epoch) { record(\"epochEnd \" + epoch); }",
        "}"));
    CallbackList list = CallbackList.of(newInstance(loader, "Hooks"));
    assertThat(list.callbacks().get(0).getClass().getName()).isEqualTo("Hooks_Callback");
    list.onEpochEnd(4, new Logs());
    assertThat(Recorder.CALLS).containsExactly("epochEnd 4");
  }

  /** Failures and metric keys name a default-package class without a package prefix. */
  @Test
  void aDefaultPackageClassIsNamedAsItIs() {
    ClassLoader loader = load(source("Hooks", HEADER,
        "public class Hooks {",
        "  @OnEpochEnd void end(@Metric(\"loss\") double loss) { throw new IllegalStateException(\"no\"); }",
        "}"));
    Callback callback = Callbacks.adapt(newInstance(loader, "Hooks"));
    CallbackException e =
        assertThrows(CallbackException.class, () -> callback.onEpochEnd(0, new Logs()));
    assertThat(e.callbackClass()).isEqualTo("Hooks");
    assertThat(e).hasMessageThat()
        .isEqualTo("Hooks.end failed in @OnEpochEnd: java.lang.IllegalStateException: no");
    assertThat(callback.logKeys())
        .containsExactly(new LogKey(Hook.EPOCH_END, "loss", "Hooks.end's @Metric"));
  }

  /**
   * An adapter holds the model and the params only when a method takes them: otherwise it would
   * keep the model reachable for as long as the callback, for nothing.
   */
  @Test
  void anAdapterHoldsOnlyWhatItsMethodsTake() {
    Compilation compilation = Compiled.compile(
        source("test.Neither", "package test; " + HEADER,
            "public class Neither { @OnEpochEnd void end(int epoch, Logs logs) {} }"),
        source("test.ModelOnly", "package test; " + HEADER,
            "public class ModelOnly {",
            "  @OnEpochEnd void end(int epoch) {}",
            "  @OnTrainBegin void start(Logs logs, Model model) {}",
            "}"),
        source("test.ParamsOnly", "package test; " + HEADER,
            "public class ParamsOnly { @OnTrainBegin void start(Params params) {} }"));
    com.google.testing.compile.CompilationSubject.assertThat(compilation).succeeded();
    assertThat(adapterSource(compilation, "test.Neither_Callback")).doesNotContainMatch("Model|Params");
    assertThat(adapterSource(compilation, "test.ModelOnly_Callback")).contains("void setModel(Model model)");
    assertThat(adapterSource(compilation, "test.ModelOnly_Callback")).doesNotContain("Params");
    assertThat(adapterSource(compilation, "test.ParamsOnly_Callback")).contains("void setParams(Params params)");
    assertThat(adapterSource(compilation, "test.ParamsOnly_Callback")).doesNotContain("Model");
  }

  private static String adapterSource(Compilation compilation, String name) {
    try {
      return compilation.generatedSourceFile(name).orElseThrow().getCharContent(true).toString();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Object field(Object target, String name) {
    try {
      return target.getClass().getField(name).get(target);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** A Model that only has an identity: the adapter must pass this very instance through. */
  static final class FixedModel implements Model {
    @Override public void stopTraining() {}
    @Override public boolean stopTrainingRequested() { return false; }
    @Override public double learningRate() { return 0.01; }
    @Override public void setLearningRate(double learningRate) {}
    @Override public ModelState snapshot() { return new ModelState() {}; }
    @Override public void restore(ModelState state) {}
    @Override public void save(Path file) {}
    @Override public void saveWeights(Path file) {}
  }
}
