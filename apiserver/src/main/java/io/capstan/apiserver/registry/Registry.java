package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.strategy.Strategies;
import io.capstan.apiserver.registry.strategy.Strategy;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.Storage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The generic registry: CRUD of any resource over the storage SPI, with the kind's {@link
 * Strategy}. It owns metadata rules, preconditions, resource versions and namespace lifecycle;
 * the verbs live in {@link Creator}, {@link Updater}, {@link Deleter} and {@link Lister}.
 */
public final class Registry {
  /** How long a read at a future resourceVersion waits for the store to catch up. */
  static final long TOO_LARGE_RV_WAIT_MILLIS = 3000;

  private final Storage storage;
  private final ResourceCatalog catalog;
  private final Clock clock;
  private final Map<ResourceType, Strategy> strategies = new ConcurrentHashMap<>();
  private final Map<String, WriteHook> hooks = new ConcurrentHashMap<>();
  private final NamespaceLifecycle namespaces;
  private final Creator creator;
  private final Updater updater;
  private final Deleter deleter;
  private final Lister lister;

  private final Function<ResourceType, Strategy> strategyFactory;

  /** A registry of built-in kinds only. */
  public Registry(Storage storage, ResourceCatalog catalog, Clock clock) {
    this(storage, catalog, clock, Strategies::of);
  }

  /** @param strategyFactory the strategy of each served type (custom resources included) */
  public Registry(Storage storage, ResourceCatalog catalog, Clock clock, Function<ResourceType, Strategy> strategyFactory) {
    this.storage = storage;
    this.catalog = catalog;
    this.clock = clock;
    this.strategyFactory = strategyFactory;
    this.namespaces = new NamespaceLifecycle(this);
    this.creator = new Creator(this);
    this.updater = new Updater(this);
    this.deleter = new Deleter(this);
    this.lister = new Lister(this);
  }

  public Storage storage() {
    return storage;
  }

  public ResourceCatalog catalog() {
    return catalog;
  }

  Clock clock() {
    return clock;
  }

  public NamespaceLifecycle namespaces() {
    return namespaces;
  }

  Strategy strategy(ResourceType type) {
    return strategies.computeIfAbsent(type, strategyFactory);
  }

  /** Installs the write hooks of a kind (e.g. the Service allocator); one per group/resource. */
  public void setHook(ResourceType type, WriteHook hook) {
    hooks.put(type.qualifiedResource(), hook);
  }

  WriteHook hook(ResourceType type) {
    return hooks.getOrDefault(type.qualifiedResource(), WriteHook.NONE);
  }

  /** The object, at a resourceVersion no older than {@code resourceVersion} when one is given. */
  public ObjectNode get(ResourceType type, String namespace, String name, String resourceVersion) {
    long rv = parseResourceVersion(resourceVersion);
    if (rv > 0) {
      awaitRevision(rv);
    }
    return find(type, namespace, name).map(kv -> present(type, StoredObjects.decode(kv)))
        .orElseThrow(() -> StatusErrors.notFound(type.group(), type.plural(), name));
  }

  /**
   * The object as served by {@code type}: custom resources are stored in whichever of their
   * versions wrote them and served in any (conversion "None": only apiVersion changes).
   */
  public static ObjectNode present(ResourceType type, ObjectNode obj) {
    if (type.isCustom()) {
      obj.put("apiVersion", type.apiVersion());
    }
    return obj;
  }

  Optional<KeyValue> find(ResourceType type, String namespace, String name) {
    return storage.get(type.key(namespace, name), 0);
  }

  public ListPage list(ResourceType type, String namespace, ListOptions options) {
    return lister.list(type, namespace, options);
  }

  public ObjectNode create(ResourceType type, String namespace, ObjectNode body, WriteOptions options) {
    return creator.create(type, namespace, body, options).object();
  }

  /** {@link #create}, with the created object's JSON when the write produced it (to answer with). */
  public Written createWritten(ResourceType type, String namespace, ObjectNode body, WriteOptions options) {
    return creator.create(type, namespace, body, options);
  }

  public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode body, WriteOptions options) {
    return updater.update(type, namespace, name, body, options, false);
  }

  /** PUT on the status subresource: only {@code .status} of the body is taken. */
  public ObjectNode updateStatus(ResourceType type, String namespace, String name, ObjectNode body, WriteOptions options) {
    return updater.update(type, namespace, name, body, options, true);
  }

  /** Read-modify-write retried on conflicts, for server-side changes (binding, scale, lifecycle). */
  public ObjectNode guaranteedUpdate(ResourceType type, String namespace, String name, boolean dryRun,
      UnaryOperator<ObjectNode> mutate) {
    return updater.guaranteedUpdate(type, namespace, name, dryRun, mutate);
  }

  public Deleter.Result delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    return deleter.delete(type, namespace, name, options);
  }

  /** Deletes every object the list options select; returns the deleted (or terminating) ones. */
  public List<ObjectNode> deleteCollection(ResourceType type, String namespace, ListOptions list, DeleteOptions options) {
    return deleter.deleteCollection(type, namespace, list, options);
  }

  /** Parses a resourceVersion parameter: 0 for unset or "0". */
  public static long parseResourceVersion(String rv) {
    if (rv == null || rv.isEmpty() || rv.equals("0")) {
      return 0;
    }
    try {
      long v = Long.parseLong(rv);
      if (v < 0) {
        throw new NumberFormatException();
      }
      return v;
    } catch (NumberFormatException e) {
      throw StatusErrors.badRequest("invalid resource version \"" + rv + "\"");
    }
  }

  /** Waits up to 3 s for the store to reach {@code revision}; 504 ResourceVersionTooLarge after. */
  public void awaitRevision(long revision) {
    long deadline = System.nanoTime() + TOO_LARGE_RV_WAIT_MILLIS * 1_000_000;
    long current = storage.currentRevision();
    while (current < revision) {
      if (System.nanoTime() > deadline) {
        throw StatusErrors.tooLargeResourceVersion(revision, current);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw StatusErrors.tooLargeResourceVersion(revision, current);
      }
      current = storage.currentRevision();
    }
  }

  /** Maps storage read failures to API errors. */
  static RuntimeException translate(RuntimeException e, String tooOldMessage) {
    if (e instanceof CompactedException) {
      return StatusErrors.gone(tooOldMessage);
    }
    if (e instanceof FutureRevisionException f) {
      return StatusErrors.tooLargeResourceVersion(f.requestedRevision(), f.currentRevision());
    }
    return e;
  }
}
