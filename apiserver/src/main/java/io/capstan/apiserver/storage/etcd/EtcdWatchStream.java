package io.capstan.apiserver.storage.etcd;

import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.WatchEvent;
import io.etcd.jetcd.api.Event;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One etcd watch stream over a key range from a revision, with previous values. Events reach the
 * handler grouped by revision, in order, on gRPC's thread for this call. The stream ends once: by
 * {@link #cancel}, by a compaction ({@link Handler#compacted}) or by a failure ({@link
 * Handler#failed}); no progress notification is asked for.
 */
final class EtcdWatchStream {

  /** What the stream reports. */
  interface Handler {
    void events(List<WatchEvent> batch);

    void compacted(long compactRevision);

    void failed(Throwable cause);
  }

  private final AtomicBoolean ended = new AtomicBoolean();
  private volatile boolean created;
  private volatile StreamObserver<WatchRequest> requests;

  private EtcdWatchStream() {}

  /** Opens a watch of keys with SPI prefix {@code prefix} for revisions {@code >= fromRevision}. */
  static EtcdWatchStream open(EtcdClient client, String prefix, long fromRevision, Handler handler) {
    EtcdWatchStream s = new EtcdWatchStream();
    StreamObserver<WatchResponse> responses = new StreamObserver<>() {
      @Override
      public void onNext(WatchResponse r) {
        if (s.ended.get()) {
          return;
        }
        if (r.getCanceled()) {
          if (!s.end()) {
            return;
          }
          s.closeCall();
          if (r.getCompactRevision() != 0) {
            client.sawCompacted(r.getCompactRevision());
            handler.compacted(r.getCompactRevision());
          } else {
            handler.failed(new IllegalStateException("etcd cancelled the watch: " + r.getCancelReason()));
          }
          return;
        }
        if (r.getCreated()) {
          s.created = true;
        }
        if (r.getEventsCount() > 0) {
          deliver(client, r.getEventsList(), handler);
        }
      }

      @Override
      public void onError(Throwable t) {
        if (s.ended.compareAndSet(false, true)) {
          client.resetBackoff();
          handler.failed(t);
        }
      }

      @Override
      public void onCompleted() {
        if (s.ended.compareAndSet(false, true)) {
          handler.failed(new IllegalStateException("etcd ended the watch stream"));
        }
      }
    };
    s.requests = client.watchStub().watch(responses);
    s.requests.onNext(WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(client.rangeStart(prefix)).setRangeEnd(client.rangeEnd(prefix))
        .setStartRevision(fromRevision).setPrevKv(true)).build());
    return s;
  }

  private static void deliver(EtcdClient client, List<Event> events, Handler handler) {
    List<WatchEvent> batch = new ArrayList<>();
    long rev = -1;
    for (Event e : events) {
      WatchEvent we = convert(client, e);
      if (we.revision() != rev && !batch.isEmpty()) {
        handler.events(batch);
        batch = new ArrayList<>();
      }
      rev = we.revision();
      batch.add(we);
    }
    if (!batch.isEmpty()) {
      handler.events(batch);
    }
  }

  private static WatchEvent convert(EtcdClient client, Event e) {
    KeyValue prev = e.hasPrevKv() ? client.toKv(e.getPrevKv()) : null;
    if (e.getType() == Event.EventType.DELETE) {
      KeyValue tombstone = new KeyValue(client.spiKey(e.getKv().getKey()), null, 0, e.getKv().getModRevision(), 0);
      return new WatchEvent(WatchEvent.Type.DELETE, tombstone, prev);
    }
    KeyValue kv = client.toKv(e.getKv());
    // a create has create == mod revision; etcd sends no prevKv for it
    return new WatchEvent(WatchEvent.Type.PUT, kv, kv.createRevision() == kv.modRevision() ? null : prev);
  }

  /** Whether etcd confirmed the watch. */
  boolean created() {
    return created;
  }

  /** Ends the stream; the handler hears nothing more. Idempotent. */
  void cancel() {
    if (end()) {
      closeCall();
    }
  }

  private void closeCall() {
    StreamObserver<WatchRequest> r = requests;
    if (r instanceof ClientCallStreamObserver<WatchRequest> c) {
      c.cancel("watch closed", null);
    } else if (r != null) {
      r.onCompleted();
    }
  }

  private boolean end() {
    return ended.compareAndSet(false, true);
  }
}
