package io.capstan.apiserver.it;

import io.capstan.apiserver.testing.ApiServerFixture;

/** {@link WatchIT} with the API server on a real etcd instead of SQLite. */
class EtcdWatchIT extends WatchIT implements ApiServerFixture.OnEtcd {}
