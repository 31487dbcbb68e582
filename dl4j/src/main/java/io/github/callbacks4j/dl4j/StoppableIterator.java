package io.github.callbacks4j.dl4j;

import java.util.List;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/** What {@link Dl4jModel#stoppable} returns: the user's iterator, empty once a stop was asked. */
final class StoppableIterator implements DataSetIterator {
  private static final long serialVersionUID = 1L;

  private final transient Dl4jModel model;
  private final DataSetIterator data;

  StoppableIterator(Dl4jModel model, DataSetIterator data) {
    this.model = model;
    this.data = data;
  }

  @Override
  public boolean hasNext() {
    return !model.stopTrainingRequested() && data.hasNext();
  }

  @Override
  public DataSet next() {
    return data.next();
  }

  @Override
  public DataSet next(int num) {
    return data.next(num);
  }

  /**
   * Never: DL4J would wrap an asynchronous iterator in one that reads batches ahead on another
   * thread, and those would still be trained on after a stop.
   */
  @Override
  public boolean asyncSupported() {
    return false;
  }

  @Override
  public int inputColumns() {
    return data.inputColumns();
  }

  @Override
  public int totalOutcomes() {
    return data.totalOutcomes();
  }

  @Override
  public boolean resetSupported() {
    return data.resetSupported();
  }

  @Override
  public void reset() {
    data.reset();
  }

  @Override
  public int batch() {
    return data.batch();
  }

  @Override
  public void setPreProcessor(DataSetPreProcessor preProcessor) {
    data.setPreProcessor(preProcessor);
  }

  @Override
  public DataSetPreProcessor getPreProcessor() {
    return data.getPreProcessor();
  }

  @Override
  public List<String> getLabels() {
    return data.getLabels();
  }

  @Override
  public String toString() {
    return "stoppable(" + data + ")";
  }
}
