package io.github.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static io.github.callbacks4j.processor.Compiled.newInstance;
import static io.github.callbacks4j.processor.Compiled.source;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import io.github.callbacks4j.Callbacks;
import io.github.callbacks4j.Logs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.TypeElement;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The processor among other processors, over several rounds, and outside javac. */
class CallbacksProcessorTest {
  private static final String HEADER =
      "import io.github.callbacks4j.*; import static io.github.callbacks4j.processor.Recorder.record;";

  @BeforeEach
  void clear() {
    Recorder.CALLS.clear();
  }

  /** The hook annotations mean nothing to other processors: they are not offered them. */
  @Test
  void claimsTheHookAnnotations() {
    SeesAll seesAll = new SeesAll();
    Compilation compilation = Compiler.javac()
        .withProcessors(new CallbacksProcessor(), seesAll)
        .compile(source("test.Hooks", "package test;", "import io.github.callbacks4j.*;",
            "public class Hooks {",
            "  @Deprecated @OnEpochEnd void end(@Metric(\"loss\") double loss) {}",
            "}"));
    assertThat(compilation).succeeded();
    assertThat(seesAll.offered).contains("java.lang.Deprecated");
    assertThat(seesAll.offered)
        .containsNoneOf("io.github.callbacks4j.OnEpochEnd", "io.github.callbacks4j.Metric");
  }

  /**
   * A class whose superclass another processor generates waits a round for it, then gets one
   * adapter that runs the superclass's hooks too.
   */
  @Test
  void aSuperclassGeneratedByAnotherProcessorIsWaitedFor() {
    Compilation compilation = Compiler.javac()
        // First: the callbacks processor claims the hook annotations, the only ones in the source,
        // and javac calls no later processor for nothing.
        .withProcessors(new GeneratesBase(), new CallbacksProcessor())
        .compile(source("test.Hooks", "package test; " + HEADER,
            "public class Hooks extends GeneratedBase {",
            "  @OnTrainBegin void own() { record(\"Hooks.own\"); }",
            "}"));
    assertThat(compilation).succeededWithoutWarnings();
    ClassLoader loader = Compiled.loaderOf(compilation, getClass().getClassLoader());
    Callbacks.adapt(newInstance(loader, "test.Hooks")).onTrainBegin(new Logs());
    assertThat(Recorder.CALLS).containsExactly("GeneratedBase.start", "Hooks.own").inOrder();
  }

  /** {@code Outer.Inner} and {@code Outer_Inner} would share one adapter: the second is refused. */
  @Test
  void twoClassesWithOneAdapterName() {
    JavaFileObject nested = source("test.Outer", "package test;", "import io.github.callbacks4j.*;",
        "public class Outer {", "  public static class Inner { @OnEpochEnd void end() {} }", "}");
    JavaFileObject flat = source("test.Outer_Inner", "package test;",
        "import io.github.callbacks4j.*;", "public class Outer_Inner {",
        "  @OnEpochEnd void end() {}", "}");
    Compilation compilation = Compiled.compile(nested, flat);
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[callbacks4j.write-failed] could not write"
        + " test.Outer_Inner_Callback: javax.annotation.processing.FilerException");
  }

  /**
   * Another compiler: no javac trees, so the processor says local classes go unchecked, and it
   * cannot tell which superclasses are compiled now, so it reports an invalid inherited hook on
   * the subclass as well.
   */
  @Test
  void outsideJavac() {
    JavaFileObject base = source("test.Base", "package test;", "import io.github.callbacks4j.*;",
        "public class Base {", "  @OnTrainBegin void start(int epoch) {}", "}");
    JavaFileObject sub = source("test.Sub", "package test;", "import io.github.callbacks4j.*;",
        "public class Sub extends Base {", "  @OnTrainEnd void done() {}", "}");
    Compilation compilation = Compiler.javac().withProcessors(new OutsideJavac()).compile(base, sub);
    assertThat(compilation).hadNoteContaining("callbacks4j: not running inside javac, so hook"
        + " methods in local and anonymous classes are not reported");
    assertThat(compilation).hadErrorCount(2);
    assertThat(compilation).hadErrorContaining("[callbacks4j.bad-parameter] @OnTrainBegin method")
        .inFile(base).onLineContaining("int epoch");
    assertThat(compilation).hadErrorContaining("[callbacks4j.bad-parameter] Sub inherits an"
            + " invalid hook: @OnTrainBegin method start(int) cannot declare int parameter")
        .inFile(sub).onLineContaining("class Sub");
  }

  /** A bug of the processor (here: an unchecked failure it does not expect) fails the build, saying so. */
  @Test
  void anUnexpectedFailureIsReportedAsAnInternalError() {
    Compilation compilation = Compiler.javac()
        .withProcessors(new OutsideJavac("the disk went away"))
        .compile(source("test.Hooks", "package test;", "import io.github.callbacks4j.*;",
            "public class Hooks { @OnEpochEnd void end() {} }"));
    assertThat(compilation).hadErrorCount(1);
    assertThat(compilation).hadErrorContaining("[callbacks4j.internal-error] callbacks4j-processor"
        + " failed; please report it: java.lang.IllegalStateException: the disk went away");
    // With the stack trace, which says where.
    assertThat(compilation).hadErrorContaining(
        "at io.github.callbacks4j.processor.CallbacksProcessor.process(");
  }

  /** Records the annotation types it is offered; claims none. */
  private static final class SeesAll extends AbstractProcessor {
    final Set<String> offered = new TreeSet<>();

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      annotations.forEach(annotation -> offered.add(annotation.getQualifiedName().toString()));
      return false;
    }
  }

  /** Writes {@code test.GeneratedBase}, a class with a hook method, in the first round. */
  private static final class GeneratesBase extends AbstractProcessor {
    private boolean written;

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      if (!written) {
        written = true;
        try (Writer out = processingEnv.getFiler().createSourceFile("test.GeneratedBase").openWriter()) {
          out.write("package test; " + HEADER + " public class GeneratedBase {"
              + " @OnTrainBegin public void start() { record(\"GeneratedBase.start\"); } }");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      return false;
    }
  }

  /**
   * The processor as another compiler runs it: javac's services, through an environment that is
   * not javac's own, optionally with a file system that fails.
   */
  private static final class OutsideJavac extends AbstractProcessor {
    private final CallbacksProcessor processor = new CallbacksProcessor();
    private final String filerFailure;

    OutsideJavac() {
      this(null);
    }

    /** @param filerFailure the message of what every call to the Filer throws; null: javac's Filer */
    OutsideJavac(String filerFailure) {
      this.filerFailure = filerFailure;
    }

    @Override
    public synchronized void init(ProcessingEnvironment env) {
      super.init(env);
      Filer failing = proxy(Filer.class, (method, args) -> {
        throw new IllegalStateException(filerFailure);
      });
      processor.init(proxy(ProcessingEnvironment.class, (method, args) ->
          filerFailure != null && method.getName().equals("getFiler")
              ? failing
              : method.invoke(env, args)));
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
      return processor.getSupportedAnnotationTypes();
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
      return processor.getSupportedSourceVersion();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
      return processor.process(annotations, round);
    }

    private interface Call {
      Object invoke(Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Call call) {
      return type.cast(Proxy.newProxyInstance(OutsideJavac.class.getClassLoader(),
          new Class<?>[] {type}, (proxy, method, args) -> {
            try {
              return call.invoke(method, args);
            } catch (InvocationTargetException e) {
              throw e.getCause();
            }
          }));
    }
  }
}
