package io.capstan.controllers.testing;

import io.capstan.controllers.pods.ActivePods;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The pod events of one namespace in the order one watch delivered them, for ordering checks. */
public final class PodEvents implements AutoCloseable {
  public record Event(Watcher.Action action, String name, boolean ready) {
    @Override
    public String toString() {
      return action + " " + name + (ready ? " ready" : "");
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final Watch watch;

  private PodEvents(KubernetesClient client, String namespace) {
    watch = client.pods().inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        synchronized (events) {
          events.add(new Event(action, pod.getMetadata().getName(),
              ActivePods.isRunningAndReady(pod) && pod.getMetadata().getDeletionTimestamp() == null));
        }
      }

      @Override
      public void onClose(WatcherException cause) {}
    });
  }

  public static PodEvents record(KubernetesClient client, String namespace) {
    return new PodEvents(client, namespace);
  }

  /** Index of the first ADDED event of {@code name}; -1 when none. */
  public int firstAdded(String name) {
    return first(e -> e.action() == Watcher.Action.ADDED && e.name().equals(name));
  }

  /** Index of the first event showing {@code name} Running and Ready; -1 when none. */
  public int firstReady(String name) {
    return first(e -> e.ready() && e.name().equals(name));
  }

  /** The names of deleted pods in the order of their DELETED events. */
  public List<String> deletedOrder() {
    synchronized (events) {
      return events.stream().filter(e -> e.action() == Watcher.Action.DELETED).map(Event::name).toList();
    }
  }

  public String log() {
    synchronized (events) {
      return events.stream().map(Event::toString).collect(Collectors.joining("; "));
    }
  }

  /**
   * The fewest pods Running, Ready and not terminating at any point of the recorded stream after
   * the first time there were {@code from} of them; -1 when there never were.
   */
  public int minReadyAfterReaching(int from) {
    synchronized (events) {
      java.util.Map<String, Boolean> ready = new java.util.HashMap<>();
      int min = -1;
      for (Event e : events) {
        if (e.action() == Watcher.Action.DELETED) {
          ready.remove(e.name());
        } else {
          ready.put(e.name(), e.ready());
        }
        int count = (int) ready.values().stream().filter(b -> b).count();
        if (min < 0 && count >= from) {
          min = count;
        } else if (min >= 0) {
          min = Math.min(min, count);
        }
      }
      return min;
    }
  }

  private int first(java.util.function.Predicate<Event> p) {
    synchronized (events) {
      for (int i = 0; i < events.size(); i++) {
        if (p.test(events.get(i))) {
          return i;
        }
      }
      return -1;
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
