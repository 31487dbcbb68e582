package io.github.callbacks4j.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.ToolProvider;

/** Compiles test sources through the real processor and loads the resulting classes. */
final class Compiled {
  private Compiled() {}

  static JavaFileObject source(String qualifiedName, String... lines) {
    return JavaFileObjects.forSourceLines(qualifiedName, lines);
  }

  static Compilation compile(JavaFileObject... sources) {
    return Compiler.javac().withProcessors(new CallbacksProcessor()).compile(sources);
  }

  static Compilation compileWithClasspath(List<java.io.File> classpath, JavaFileObject... sources) {
    return Compiler.javac()
        .withProcessors(new CallbacksProcessor())
        .withClasspath(classpath)
        .compile(sources);
  }

  /**
   * What javac with the processor reported and wrote, failed compilations included (compile-testing
   * hides the outputs of a failed compilation).
   */
  record Run(boolean succeeded, List<Diagnostic<? extends JavaFileObject>> diagnostics, Path generated) {
    /** The messages of the diagnostics of {@code kind}, in order. */
    List<String> messages(Diagnostic.Kind kind) {
      return diagnostics.stream().filter(d -> d.getKind() == kind).map(d -> d.getMessage(null)).toList();
    }

    boolean generatedSource(String qualifiedName) {
      return Files.exists(generated.resolve(qualifiedName.replace('.', '/') + ".java"));
    }
  }

  /** Runs javac with the processor, writing classes and generated sources under {@code dir}. */
  static Run javac(Path dir, JavaFileObject... sources) throws IOException {
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Path generated = Files.createDirectories(dir.resolve("generated"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    JavaCompiler.CompilationTask task = javac.getTask(null, null, diagnostics,
        List.of("-d", classes.toString(), "-s", generated.toString(),
            "-cp", System.getProperty("java.class.path")),
        null, List.of(sources));
    task.setProcessors(List.of(new CallbacksProcessor()));
    boolean succeeded = task.call();
    return new Run(succeeded, diagnostics.getDiagnostics(), generated);
  }

  /** Compiles, asserts success, and returns a class loader over the compiled classes. */
  static ClassLoader load(JavaFileObject... sources) {
    Compilation compilation = compile(sources);
    assertThat(compilation).succeeded();
    return loaderOf(compilation, Compiled.class.getClassLoader());
  }

  static ClassLoader loaderOf(Compilation compilation, ClassLoader parent) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length())
            .replace(".class", "")
            .replace('/', '.');
        try (InputStream in = file.openInputStream()) {
          classes.put(name, in.readAllBytes());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return new ClassLoader(parent) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }

      @Override
      public InputStream getResourceAsStream(String name) {
        byte[] bytes = classes.get(name.replace(".class", "").replace('/', '.'));
        return bytes != null ? new java.io.ByteArrayInputStream(bytes) : super.getResourceAsStream(name);
      }
    };
  }

  /** Writes the compiled classes to a directory, as a jar on the classpath would hold them. */
  static Path writeClasses(Compilation compilation, Path dir) throws IOException {
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() == JavaFileObject.Kind.CLASS) {
        String path = file.toUri().getPath();
        Path target = dir.resolve(path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length()));
        Files.createDirectories(target.getParent());
        try (InputStream in = file.openInputStream()) {
          Files.write(target, in.readAllBytes());
        }
      }
    }
    return dir;
  }

  /** A new instance of {@code name} through its no-argument (or outer-instance) constructor. */
  static Object newInstance(ClassLoader loader, String name, Object... outer) {
    try {
      Class<?> type = loader.loadClass(name);
      Constructor<?> constructor = type.getDeclaredConstructors()[0];
      constructor.setAccessible(true);
      return constructor.newInstance(outer);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
