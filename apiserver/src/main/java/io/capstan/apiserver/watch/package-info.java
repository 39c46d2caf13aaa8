/**
 * API watches: {@link io.capstan.apiserver.watch.ApiWatch} turns a storage watch into Kubernetes
 * watch events (initial ADDED events, selector transitions, bookmarks, 410 as an ERROR event,
 * timeouts) and hands them to a {@link io.capstan.apiserver.watch.WatchSink}, which the HTTP
 * layer implements for chunked responses and WebSockets. Depends on registry and storage.
 */
package io.capstan.apiserver.watch;
