package io.capstan.controllers.scheduler;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mutable amount of node resources in the units the scheduler compares: cpu in millicores,
 * memory and ephemeral-storage in bytes, any other (extended) resource as an integer count.
 */
final class Resources {
  static final String CPU = "cpu";
  static final String MEMORY = "memory";
  static final String EPHEMERAL_STORAGE = "ephemeral-storage";
  static final String PODS = "pods";

  long milliCpu;
  long memory;
  long ephemeralStorage;
  /** Extended resources (and {@code pods} for allocatable), by name. */
  final Map<String, Long> scalars = new TreeMap<>();

  /** The resources of a Kubernetes resource list (requests, limits, allocatable); null is empty. */
  static Resources of(Map<String, Quantity> list) {
    Resources r = new Resources();
    if (list == null) {
      return r;
    }
    list.forEach((name, q) -> r.set(name, q));
    return r;
  }

  /** Sets one resource from its quantity; an unparsable quantity counts as zero. */
  void set(String name, Quantity q) {
    long value;
    try {
      BigDecimal amount = Quantity.getAmountInBytes(q);
      value = CPU.equals(name) ? amount.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact()
          : amount.setScale(0, RoundingMode.CEILING).longValueExact();
    } catch (RuntimeException e) {
      value = 0;
    }
    switch (name) {
      case CPU -> milliCpu = value;
      case MEMORY -> memory = value;
      case EPHEMERAL_STORAGE -> ephemeralStorage = value;
      default -> scalars.put(name, value);
    }
  }

  long get(String name) {
    return switch (name) {
      case CPU -> milliCpu;
      case MEMORY -> memory;
      case EPHEMERAL_STORAGE -> ephemeralStorage;
      default -> scalars.getOrDefault(name, 0L);
    };
  }

  void add(Resources other) {
    milliCpu += other.milliCpu;
    memory += other.memory;
    ephemeralStorage += other.ephemeralStorage;
    other.scalars.forEach((k, v) -> scalars.merge(k, v, Long::sum));
  }

  void subtract(Resources other) {
    milliCpu -= other.milliCpu;
    memory -= other.memory;
    ephemeralStorage -= other.ephemeralStorage;
    other.scalars.forEach((k, v) -> scalars.merge(k, -v, Long::sum));
  }

  /** Each resource raised to at least {@code other}'s (the init-container rule). */
  void max(Resources other) {
    milliCpu = Math.max(milliCpu, other.milliCpu);
    memory = Math.max(memory, other.memory);
    ephemeralStorage = Math.max(ephemeralStorage, other.ephemeralStorage);
    other.scalars.forEach((k, v) -> scalars.merge(k, v, Math::max));
  }

  @Override
  public String toString() {
    return "cpu=" + milliCpu + "m memory=" + memory + " ephemeral-storage=" + ephemeralStorage + " " + scalars;
  }
}
