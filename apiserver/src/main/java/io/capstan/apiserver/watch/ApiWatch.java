package io.capstan.apiserver.watch;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.ListOptions;
import io.capstan.apiserver.registry.ListPage;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.selection.Selection;
import io.capstan.apiserver.storage.CompactedException;
import io.capstan.apiserver.storage.FutureRevisionException;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.StorageException;
import io.capstan.apiserver.storage.StorageTimeoutException;
import io.capstan.apiserver.storage.StorageUnavailableException;
import io.capstan.apiserver.storage.Watch;
import io.capstan.apiserver.storage.WatchEvent;
import io.capstan.apiserver.storage.WatchListener;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One API watch: the initial state (when no resourceVersion is given), then every change after
 * it, filtered by selectors, with bookmarks and a timeout. A change that makes an object enter
 * or leave the selection is sent as ADDED or DELETED, as kube-apiserver does.
 */
public final class ApiWatch implements WatchListener, AutoCloseable {
  private final ResourceType type;
  private final Selection selection;
  private final WatchSink sink;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Watch storageWatch;
  private volatile long lastRevision;
  private ScheduledFuture<?> bookmarkTask;
  private ScheduledFuture<?> timeoutTask;
  private volatile Runnable onClosed = () -> { };

  private ApiWatch(ResourceType type, Selection selection, WatchSink sink) {
    this.type = type;
    this.selection = selection;
    this.sink = sink;
  }

  /**
   * Starts a watch. Errors that kube-apiserver reports inside the stream (410 Expired, too large
   * resourceVersion) are sent as an ERROR event; invalid options throw before anything is sent.
   */
  public static ApiWatch start(Registry registry, ResourceType type, String namespace, ListOptions o,
      WatchSink sink, ScheduledExecutorService timers, long timeoutSeconds, long bookmarkSeconds) {
    Selection selection = Selection.parse(type, o.labelSelector(), o.fieldSelector());
    ApiWatch w = new ApiWatch(type, selection, sink);
    long rv = Registry.parseResourceVersion(o.resourceVersion());
    boolean initial = o.sendInitialEvents() != null ? o.sendInitialEvents() : rv == 0;
    try {
      long from;
      if (initial) {
        ListPage page = registry.list(type, namespace, ListOptions.selecting(o.labelSelector(), o.fieldSelector()));
        for (ObjectNode item : page.items()) {
          sink.event("ADDED", WatchObject.of(item));
        }
        from = page.revision();
        if (Boolean.TRUE.equals(o.sendInitialEvents())) {
          sink.bookmark(from, true);
        }
      } else {
        long current = registry.storage().currentRevision();
        if (rv > current) {
          registry.awaitRevision(rv);
        }
        from = rv;
      }
      w.lastRevision = from;
      w.storageWatch = registry.storage().watch(type.listPrefix(namespace), from, w);
    } catch (CompactedException e) {
      w.fail(StatusErrors.gone("too old resource version: " + rv + " (" + e.compactedRevision() + ")"));
      return w;
    } catch (FutureRevisionException e) {
      w.fail(StatusErrors.tooLargeResourceVersion(e.requestedRevision(), e.currentRevision()));
      return w;
    } catch (StorageTimeoutException e) {
      w.fail(StatusErrors.timeout("storage did not answer in time: " + e.getMessage()));
      return w;
    } catch (StorageUnavailableException e) {
      w.fail(StatusErrors.unavailable("storage is unavailable: " + e.getMessage()));
      return w;
    } catch (ApiException e) {
      if (e.code() == 410 || e.code() == 504) {
        w.fail(e);
        return w;
      }
      throw e;
    }
    if (o.allowWatchBookmarks() && bookmarkSeconds > 0) {
      w.bookmarkTask = timers.scheduleAtFixedRate(w::sendBookmark, bookmarkSeconds, bookmarkSeconds, TimeUnit.SECONDS);
    }
    w.timeoutTask = timers.schedule(() -> {
      if (o.allowWatchBookmarks()) {
        w.sendBookmark();
      }
      w.close();
    }, timeoutSeconds, TimeUnit.SECONDS);
    return w;
  }

  @Override
  public void onEvents(List<WatchEvent> events) {
    if (closed.get()) {
      return;
    }
    if (sink.congested()) {
      close();
      return;
    }
    synchronized (this) {
      for (WatchEvent e : events) {
        deliver(e);
        lastRevision = Math.max(lastRevision, e.revision());
      }
    }
  }

  private void deliver(WatchEvent e) {
    KeyValue prev = e.prevKv();
    if (e.type() == WatchEvent.Type.DELETE) {
      WatchObject obj = WatchObject.forEvent(prev.key(), prev.value(), e.revision());
      if (matches(obj)) {
        send("DELETED", obj);
      }
      return;
    }
    WatchObject now = WatchObject.forEvent(e.kv().key(), e.kv().value(), e.revision());
    boolean nowMatches = matches(now);
    if (prev == null) {
      if (nowMatches) {
        send("ADDED", now);
      }
      return;
    }
    if (selection.isEverything()) {
      send("MODIFIED", now);
      return;
    }
    boolean before = matches(new WatchObject(prev.value(), prev.modRevision()));
    if (nowMatches && before) {
      send("MODIFIED", now);
    } else if (nowMatches) {
      send("ADDED", now);
    } else if (before) {
      // Previous content at the event's revision (not shared: the cache holds the new content).
      send("DELETED", new WatchObject(prev.value(), e.revision()));
    }
  }

  private void send(String eventType, WatchObject obj) {
    sink.event(eventType, type.isCustom() ? WatchObject.of(Registry.present(type, obj.node())) : obj);
  }

  private boolean matches(WatchObject obj) {
    return selection.isEverything() || selection.matches(obj.node());
  }

  private synchronized void sendBookmark() {
    if (!closed.get()) {
      Watch sw = storageWatch;
      // the store's progress lets a quiet watch's bookmark move on (etcd watch cache)
      long progress = sw == null ? 0 : sw.progressRevision();
      if (progress > lastRevision) {
        lastRevision = progress;
      }
      sink.bookmark(lastRevision, false);
    }
  }

  @Override
  public void onClose(StorageException cause) {
    if (cause instanceof CompactedException c && !closed.get()) {
      // the store lost history this watch still needed (etcd compacted while unreachable): 410, re-list
      synchronized (this) {
        sink.error(StatusErrors.gone("too old resource version: " + lastRevision + " (" + c.compactedRevision() + ")"));
      }
    }
    close();
  }

  private void fail(ApiException e) {
    if (closed.compareAndSet(false, true)) {
      sink.error(e);
      sink.end();
    }
  }

  /** Stops the watch and ends the stream; idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Watch sw = storageWatch;
    if (sw != null) {
      sw.close();
    }
    if (bookmarkTask != null) {
      bookmarkTask.cancel(false);
    }
    if (timeoutTask != null) {
      timeoutTask.cancel(false);
    }
    synchronized (this) {
      sink.end();
    }
    onClosed.run();
  }

  /** Runs {@code r} once the watch is closed (at once when it already is). */
  public void onClosed(Runnable r) {
    onClosed = r;
    if (closed.get()) {
      r.run();
    }
  }

  public ResourceType type() {
    return type;
  }
}
