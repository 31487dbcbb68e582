package io.github.callbacks4j.benchmarks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Fashion-MNIST from its standard IDX files (gzipped or not): pixels scaled to 0..1, one-hot labels. */
public record FashionMnist(INDArray trainX, INDArray trainY, INDArray testX, INDArray testY) {

  public static FashionMnist load(Path directory) throws IOException {
    return new FashionMnist(
        images(directory, "train-images-idx3-ubyte"), labels(directory, "train-labels-idx1-ubyte"),
        images(directory, "t10k-images-idx3-ubyte"), labels(directory, "t10k-labels-idx1-ubyte"));
  }

  private static INDArray images(Path directory, String name) throws IOException {
    try (DataInputStream in = open(directory, name)) {
      expect(in.readInt(), 0x803, name);
      int count = in.readInt();
      int pixels = in.readInt() * in.readInt();
      byte[] raw = in.readNBytes(count * pixels);
      float[] scaled = new float[raw.length];
      for (int i = 0; i < raw.length; i++) {
        scaled[i] = (raw[i] & 0xff) / 255f;
      }
      return Nd4j.create(scaled, new long[] {count, pixels}, DataType.FLOAT);
    }
  }

  private static INDArray labels(Path directory, String name) throws IOException {
    try (DataInputStream in = open(directory, name)) {
      expect(in.readInt(), 0x801, name);
      int count = in.readInt();
      byte[] raw = in.readNBytes(count);
      INDArray oneHot = Nd4j.zeros(DataType.FLOAT, count, 10);
      for (int i = 0; i < count; i++) {
        oneHot.putScalar(i, raw[i], 1f);
      }
      return oneHot;
    }
  }

  private static DataInputStream open(Path directory, String name) throws IOException {
    Path gz = directory.resolve(name + ".gz");
    InputStream in = Files.exists(gz)
        ? new GZIPInputStream(Files.newInputStream(gz), 1 << 16)
        : Files.newInputStream(directory.resolve(name));
    return new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
  }

  private static void expect(int magic, int expected, String name) throws IOException {
    if (magic != expected) {
      throw new IOException(name + " is not an IDX file (magic " + Integer.toHexString(magic) + ")");
    }
  }
}
