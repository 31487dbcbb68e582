package io.github.callbacks4j.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;
import javax.tools.StandardLocation;
import org.junit.jupiter.api.Test;

/** The generated adapter calls the user's methods directly: no reflection, no method handles. */
class NoReflectionTest {

  @Test
  void generatedAdapterUsesNoReflectionInSourceOrBytecode() throws IOException {
    Compilation compilation = Compiled.compile(Compiled.source("test.Hooks",
        "package test;",
        "import io.github.callbacks4j.*;",
        "import java.util.OptionalDouble;",
        "public class Hooks {",
        "  @OnEpochEnd void end(int epoch, Logs logs, Model model, Params params,",
        "      @Metric(\"loss\") double loss, @Metric(\"acc\") OptionalDouble acc) throws Exception {}",
        "  @OnTrainBatchEnd void batch(int batch) {}",
        "}"));
    assertThat(compilation).succeeded();

    String source = compilation.generatedSourceFile("test.Hooks_Callback").orElseThrow()
        .getCharContent(true).toString();
    for (String forbidden : List.of("java.lang.reflect", "java.lang.invoke", "MethodHandle",
        "Class.forName", "getMethod", "getDeclaredMethod", ".invoke(")) {
      assertThat(source).doesNotContain(forbidden);
    }
    assertThat(source).contains("target.end(epoch, logs, this.model, this.params,"
        + " logs.get(\"loss\", Double.NaN), logs.find(\"acc\"));");
    assertThat(source).contains("target.batch(batch);");

    JavaFileObject classFile = compilation.generatedFile(
        StandardLocation.CLASS_OUTPUT, "test/Hooks_Callback.class").orElseThrow();
    List<String> references;
    try (InputStream in = classFile.openInputStream()) {
      references = referencedClassesAndMethods(in);
    }
    assertThat(references).contains("test/Hooks.end");
    assertThat(references).contains("test/Hooks.batch");
    for (String reference : references) {
      assertThat(reference).doesNotMatch("java/lang/reflect/.*|java/lang/invoke/.*"
          + "|java/lang/Class\\.(forName|getMethod|getDeclaredMethod|getConstructor).*");
    }
  }

  /** The classes and {@code owner.method} pairs named in a class file's constant pool. */
  private static List<String> referencedClassesAndMethods(InputStream classFile) throws IOException {
    DataInputStream in = new DataInputStream(classFile);
    in.readInt(); // magic
    in.readUnsignedShort();
    in.readUnsignedShort();
    int count = in.readUnsignedShort();
    String[] utf8 = new String[count];
    int[] classNameIndex = new int[count];
    int[][] memberRefs = new int[count][];
    int[] nameAndTypeName = new int[count];
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8[i] = in.readUTF();
        case 7 -> classNameIndex[i] = in.readUnsignedShort();
        case 8, 16, 19, 20 -> in.readUnsignedShort();
        case 3, 4 -> in.readInt();
        case 5, 6 -> {
          in.readLong();
          i++;
        }
        case 9, 10, 11 -> memberRefs[i] = new int[] {in.readUnsignedShort(), in.readUnsignedShort()};
        case 12 -> {
          nameAndTypeName[i] = in.readUnsignedShort();
          in.readUnsignedShort();
        }
        case 15 -> {
          in.readUnsignedByte();
          in.readUnsignedShort();
        }
        case 17, 18 -> in.readInt();
        default -> throw new IOException("unknown constant pool tag " + tag);
      }
    }
    List<String> references = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      if (classNameIndex[i] != 0) {
        references.add(utf8[classNameIndex[i]]);
      }
      if (memberRefs[i] != null) {
        String owner = utf8[classNameIndex[memberRefs[i][0]]];
        references.add(owner + "." + utf8[nameAndTypeName[memberRefs[i][1]]]);
      }
    }
    return references;
  }
}
