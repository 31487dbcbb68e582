package io.github.callbacks4j;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Callbacks' explanations for classes from class loaders other than the application's: one that
 * cannot see the processor, one that serves no class file, one whose class file cannot be read.
 */
class CallbacksClassLoaderTest {
  private static final String ANNOTATED = HooksWithoutAdapter.class.getName();
  private static final String RESOURCE = ANNOTATED.replace('.', '/') + ".class";

  /**
   * Defines {@link HooksWithoutAdapter} afresh, seeing only the platform's
   * classes (so neither the processor nor an adapter), and answers requests for its class file
   * with {@code classFile}.
   */
  private static final class IsolatingLoader extends ClassLoader {
    private final byte[] bytes;
    private final Function<byte[], InputStream> classFile;

    IsolatingLoader(Function<byte[], InputStream> classFile) {
      super(ClassLoader.getPlatformClassLoader());
      this.classFile = classFile;
      try (InputStream in = HooksWithoutAdapter.class.getClassLoader().getResourceAsStream(RESOURCE)) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      if (!name.equals(ANNOTATED)) {
        throw new ClassNotFoundException(name);
      }
      return defineClass(name, bytes, 0, bytes.length);
    }

    @Override
    public InputStream getResourceAsStream(String name) {
      return name.equals(RESOURCE) ? classFile.apply(bytes) : null;
    }

    Object newAnnotatedObject() throws ReflectiveOperationException {
      var constructor = loadClass(ANNOTATED).getDeclaredConstructor();
      constructor.setAccessible(true);
      return constructor.newInstance();
    }
  }

  private static String failureFor(IsolatingLoader loader) throws ReflectiveOperationException {
    Object annotated = loader.newAnnotatedObject();
    return assertThrows(IllegalArgumentException.class, () -> Callbacks.adapt(annotated))
        .getMessage();
  }

  @Test
  void withoutTheProcessorOnTheClasspathTheLikelyCauseIsAnOldCompilerPlugin() throws Exception {
    String message = failureFor(new IsolatingLoader(ByteArrayInputStream::new));
    assertTrue(message.startsWith(ANNOTATED + " has hook annotations but no generated adapter"
        + " io.github.callbacks4j.HooksWithoutAdapter_Callback: callbacks4j-"
        + "processor did not run when it was compiled. Likely cause: maven-compiler-plugin older"
        + " than 3.5, which ignores <annotationProcessorPaths>"), message);
  }

  @Test
  void aClassWhoseClassFileIsNotServedCountsAsHavingNoHookAnnotations() throws Exception {
    String message = failureFor(new IsolatingLoader(bytes -> null));
    assertTrue(message.startsWith(ANNOTATED
        + " is neither a Callback nor a class with hook annotations"), message);
  }

  @Test
  void aClassWhoseClassFileCannotBeReadCountsAsHavingNoHookAnnotations() throws Exception {
    String message = failureFor(new IsolatingLoader(bytes -> new InputStream() {
      @Override
      public int read() throws IOException {
        throw new IOException("disk gone");
      }
    }));
    assertTrue(message.startsWith(ANNOTATED
        + " is neither a Callback nor a class with hook annotations"), message);
  }
}

/** Top level, so that a loader can define it without its enclosing class. */
class HooksWithoutAdapter {
  @OnEpochEnd
  void epochEnded(int epoch) {}
}
